"""`kiosk ledger publish` and `kiosk ledger programs`: a version published for later is
announced with its effective time, listed with where it stands, and a document whose
effective_from is no moment, or has passed, is refused naming the field (and by `kiosk
init`, the kiosk's own loader, alike)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import kiosk, kiosk_json
from tests.helpers.program import PLAIN_PROGRAM


def document(folder: Path, version: str, effective_from: str | None) -> Path:
    text = PLAIN_PROGRAM.read_text(encoding="utf-8").replace(
        'version = "2026.2"', f'version = "{version}"' + (
            "" if effective_from is None else f"\neffective_from = {effective_from}"), 1)
    path = folder / f"{version}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_version_published_for_later_is_announced_and_listed(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    first = kiosk_json(ledger, "ledger", "publish", str(document(tmp_path, "2026.2", None)))
    assert (first["version"], first["standing"], first["new"]) == ("2026.2", "current", True)
    later = document(tmp_path, "2999.1", "2999-01-01T00:00:00+08:00")
    said = kiosk(ledger, "ledger", "publish", str(later)).stdout
    assert said.startswith("Program 2999.1 published: takes effect 2999-01-01 00:00 "
                           "Asia/Taipei (2998-12-31T16:00:00+00:00), announced; 2026.2 "
                           "stays in force until then.")
    again = kiosk_json(ledger, "ledger", "publish", str(later))
    assert (again["effective_from"], again["new"]) == ("2998-12-31T16:00:00+00:00", False)
    listed = kiosk_json(ledger, "ledger", "programs")["programs"]
    assert [(p["version"], p["standing"]) for p in listed] == [
        ("2026.2", "current"), ("2999.1", "announced")]
    assert listed[1]["effective_from"] == "2998-12-31T16:00:00+00:00"


def test_an_effective_from_that_is_no_moment_or_has_passed_is_refused(tmp_path: Path
                                                                      ) -> None:
    ledger = tmp_path / "ledger"
    kiosk_json(ledger, "ledger", "publish", str(document(tmp_path, "2026.2", None)))
    for version, value, said in [
            ("2026.3", "2027-01-01", "effective_from: a date alone is not a moment"),
            ("2026.4", "2027-01-01T00:00:00", "effective_from: 2027-01-01T00:00:00 has no "
                                              "UTC offset"),
            ("2026.5", "2026-01-01T00:00:00+08:00", "effective_from: 2025-12-31T16:00:00+00:00 "
                                                    "has passed")]:
        err = kiosk_json(ledger, "ledger", "publish", str(document(tmp_path, version, value)),
                         expect=1)["error"]
        assert err["code"] == "invalid_program" and said in err["message"], err
        # The kiosk's own loader says the same of a document that is no moment.
        if "passed" not in said:
            err = kiosk_json(tmp_path / version, "init", "--program",
                             str(document(tmp_path, version, value)), expect=1)["error"]
            assert err["code"] == "invalid_program" and said in err["message"], err
    listed = kiosk_json(ledger, "ledger", "programs")["programs"]
    assert [p["version"] for p in listed] == ["2026.2"]


def test_a_version_name_published_with_another_document_is_refused(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    kiosk_json(ledger, "ledger", "publish", str(document(tmp_path, "2026.2", None)))
    other = tmp_path / "other.toml"
    other.write_text(PLAIN_PROGRAM.read_text(encoding="utf-8").replace(
        "signup_bonus = ", "signup_bonus = 1", 1), encoding="utf-8")
    err = kiosk_json(ledger, "ledger", "publish", str(other), expect=1)["error"]
    assert "version 2026.2 was published before with another document" in err["message"]

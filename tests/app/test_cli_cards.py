"""`kiosk member find` and `kiosk card reissue`: a lost card from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.app.cli import main
from kiosk.store.disk import storage_error
from tests.helpers.cli import kiosk, kiosk_json
from tests.helpers.program import PLAIN_PROGRAM


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "k1"
    kiosk(folder, "init", "--device-id", "till-1", "--program", str(PLAIN_PROGRAM))
    return folder


def test_a_lost_card_is_replaced_from_the_phone_number(data, tmp_path):
    joined = kiosk_json(data, "member", "enroll", "--name", "王小明", "--phone",
                        "0987-654-321", "--consent")
    kiosk(data, "sale", "--card", joined["card_payload"], "--amount", "1000")
    [found] = kiosk_json(data, "member", "find", "+886 987 654 321")["members"]
    assert (found["name"], found["cards"], found["balance"]) == (
        "王小明", [joined["card_no"]], 60)
    out = tmp_path / "new.png"
    new = kiosk_json(data, "card", "reissue", "0987654321", "--out", str(out))
    assert new["revoked"] == [joined["card_no"]] and new["balance"] == 60
    [code] = zxingcpp.read_barcodes(Image.open(out))
    assert code.text == new["card_payload"]  # the printed card scans as the new card
    refused = kiosk_json(data, "balance", "--card", joined["card_payload"], expect=1)
    assert refused["error"]["code"] == "revoked"
    assert kiosk_json(data, "balance", "--card", new["card_payload"])["balance"] == 60


def test_a_search_that_finds_nobody_or_nothing_says_so(data):
    assert kiosk_json(data, "member", "find", "0900 000 000")["members"] == []
    nobody = kiosk_json(data, "card", "reissue", "0900 000 000", expect=1)
    assert nobody["error"]["code"] == "unknown_member"
    junk = kiosk_json(data, "member", "find", "hello", expect=1)
    assert junk["error"]["code"] == "invalid_input"


@pytest.fixture
def joined(data: Path) -> dict[str, str]:
    return kiosk_json(data, "member", "enroll", "--name", "王小明", "--phone",
                      "0987-654-321", "--consent")


def _cards(data: Path) -> list[str]:
    return kiosk_json(data, "member", "find", "0987-654-321")["members"][0]["cards"]


def test_reissuing_an_already_cancelled_card_is_refused_and_changes_nothing(data, joined):
    """An old lost card's number typed again: before, the member's current card was
    cancelled and yet another issued."""
    new = kiosk_json(data, "card", "reissue", joined["card_no"])
    refused = kiosk_json(data, "card", "reissue", joined["card_no"], expect=1)
    assert refused["error"]["code"] == "card_already_replaced"
    message = refused["error"]["message"]
    assert f"{joined['card_no']} is already cancelled" in message and new["card_no"] in message
    assert _cards(data) == [new["card_no"]]
    assert kiosk_json(data, "balance", "--card", new["card_payload"])["balance"] == new["balance"]


@pytest.mark.parametrize("out, expect, said", [
    ("card.txt", 1, "--out: cards are saved as .png or .pdf, not 'card.txt'"),
    ("no/such/dir/card.png", 3, "there is no folder"),
])
def test_a_reissue_to_an_out_that_cant_be_written_changes_nothing(data, joined, tmp_path,
                                                                   out, expect, said):
    before = _cards(data)
    proc = kiosk(data, "card", "reissue", "0987-654-321", "--out", str(tmp_path / out),
                 expect=expect)
    assert proc.stderr.startswith("error: ") and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert said in proc.stderr
    assert expect == 1 or "nothing was recorded" in proc.stderr
    assert _cards(data) == before == [joined["card_no"]]
    kiosk(data, "balance", "--card", joined["card_payload"])  # the card still works


def test_a_reissued_card_whose_image_then_fails_is_still_shown(data, joined, tmp_path,
                                                                monkeypatch, capsys):
    def disk_full(image: object, path: Path) -> None:  # as write_whole says a full disk
        full = OSError(28, "No space left on device")
        raise storage_error(full, path) from full

    monkeypatch.setattr("devices.card_image.save_card", disk_full)
    out = tmp_path / "new.png"
    assert main(["--data-dir", str(data), "card", "reissue", "0987654321", "--out", str(out),
                 "--json"]) == 3
    new = json.loads(capsys.readouterr().out)
    assert new["revoked"] == [joined["card_no"]] and new["out"] is None
    assert new["card_payload"].startswith("CP1.") and _cards(data) == [new["card_no"]]
    assert new["error"]["code"] == "storage"
    assert new["error"]["message"] == (
        f"the new card is issued, but its image could not be written to {out}: No space "
        f"left on device; draw it again with `kiosk card render {new['card_no']} --out FILE`")
    assert not out.exists()
    assert main(["--data-dir", str(data), "card", "reissue", "0987654321", "--out",
                 str(out)]) == 3
    shown = capsys.readouterr()
    assert shown.out.startswith("New card ") and "Card payload: CP1." in shown.out
    assert shown.err.startswith("error: the new card is issued, but its image")

"""The `kiosk` command, run as a real process in a temporary data folder."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.codes import read_codes
from tests.helpers.cli import KIOSK, copy_of, kiosk, kiosk_json
from tests.helpers.program import PLAIN_PROGRAM


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A kiosk set up through the real command, and a copy with a member enrolled through
    it, once for the module: (set up, with the member, the member's card)."""
    folder = tmp_path_factory.mktemp("cli")
    kiosk(folder / "k1", "init", "--store-name", "Test store", "--device-id", "till-1",
          "--program", str(PLAIN_PROGRAM))
    member = copy_of(folder / "k1", folder / "member" / "k1")
    enrolled = kiosk_json(member, "member", "enroll", "--name", "王小明", "--phone",
                          "0987-654-321", "--consent")
    return folder / "k1", member, str(enrolled["card_payload"])


@pytest.fixture
def data(request: pytest.FixtureRequest, templates: tuple[Path, Path, str],
         tmp_path: Path) -> Path:
    """A copy of the kiosk set up once, with the member enrolled if the test takes
    ``card``."""
    return copy_of(templates[1] if "card" in request.fixturenames else templates[0],
                   tmp_path / "k1")


@pytest.fixture
def card(templates: tuple[Path, Path, str], data: Path) -> str:
    return templates[2]


def test_a_whole_counter_session_from_the_command_line(data, card):
    sale = kiosk_json(data, "sale", "--card", card, "--amount", "1250", "--order-ref", "A-1")
    assert (sale["points"], sale["balance"], sale["tier"]) == (12, 62, "bronze")
    redeemed = kiosk_json(data, "redeem", "--card", card, "--reward", "coffee")
    assert (redeemed["balance"], redeemed["authorised"]) == (2, "offline")
    refunded = kiosk_json(data, "refund", "--order-ref", "A-1")
    assert refunded["balance"] == -10
    view = kiosk_json(data, "balance", "--card", card)
    assert (view["name"], view["phone"], view["balance"]) == ("王小明", "•••••••321", -10)
    assert [e["kind"] for e in view["recent"]] == ["reverse", "redeem", "earn", "bonus"]
    assert kiosk_json(data, "verify") == {"ok": True, "problems": [], "pending_uploads": 4}


def test_text_output_is_one_readable_line(data, card):
    out = kiosk(data, "sale", "--card", card, "--amount", "300").stdout
    assert out.count("\n") == 1 and "+3 points" in out and "Balance 53" in out


def test_errors_exit_non_zero_with_one_line_or_a_json_object(data, card):
    proc = kiosk(data, "sale", "--card", "https://evil.example/", "--amount", "5", expect=1)
    assert proc.stdout == "" and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("error: ") and "Counterpoint" in proc.stderr
    err = kiosk_json(data, "sale", "--card", card, "--amount", "12.5", expect=1)
    assert err["error"]["code"] == "invalid_amount"
    err = kiosk_json(data, "redeem", "--card", card, "--reward", "tote", expect=1)
    assert err["error"] == {"code": "not_enough_points",
                            "message": "500 points needed, the member has 50"}
    err = kiosk_json(data, "sale", "--amount", "5", expect=2)
    assert err["error"]["code"] == "usage" and "--card" in err["error"]["message"]
    assert kiosk_json(data, "verify")["pending_uploads"] == 1


def test_a_name_with_a_control_character_is_refused_and_nothing_is_stored(data):
    # A command line can't carry a NUL (tests/services/test_enrolment.py sends one);
    # an escape sequence pasted into a name is refused by the same rule.
    err = kiosk_json(data, "member", "enroll", "--name", "Ann\x1b[2J", "--phone",
                     "0912-000-111", "--consent", expect=1)
    assert err["error"] == {"code": "invalid_input",
                            "message": "the name contains a control character (U+001B)"}
    assert kiosk_json(data, "verify")["pending_uploads"] == 0


def test_a_command_on_an_uninitialised_folder_says_what_to_do(tmp_path):
    err = kiosk_json(tmp_path / "empty", "verify", expect=1)
    assert err["error"]["code"] == "not_initialised" and "kiosk init" in err["error"]["message"]


def test_kiosk_home_chooses_the_data_folder_when_no_flag_is_given(tmp_path, data, card):
    env = {**os.environ, "KIOSK_HOME": str(data)}
    proc = subprocess.run([KIOSK, "balance", "--card", card, "--json"], capture_output=True,
                          text=True, timeout=60, env=env)
    assert json.loads(proc.stdout)["balance"] == 50


def test_two_kiosks_side_by_side_keep_separate_ledgers(tmp_path, data, card):
    other = tmp_path / "k2"
    kiosk(other, "init", "--device-id", "till-2", "--card-prefix", "2000",
          "--program", str(PLAIN_PROGRAM))
    err = kiosk_json(other, "balance", "--card", card, expect=1)
    assert err["error"]["code"] == "unknown_issuer"  # not paired through a ledger yet


@pytest.mark.parametrize("suffix", ["png", "pdf"])
def test_a_rendered_card_decodes_back_to_the_members_payload(data, card, tmp_path, suffix):
    out = tmp_path / f"card.{suffix}"
    rendered = kiosk_json(data, "card", "render", card, "--out", str(out))
    if suffix == "pdf":
        assert out.read_bytes().startswith(b"%PDF")
        return
    [code] = read_codes(out)
    assert code.text == card
    by_number = kiosk_json(data, "card", "render", rendered["card_no"], "--out",
                           str(tmp_path / "again.png"))
    assert by_number["member_id"] == rendered["member_id"]
    assert kiosk_json(data, "balance", "--card", code.text)["balance"] == 50


@pytest.mark.parametrize("out", ["card.txt", "card", "no/such/folder/card.png"])
def test_a_card_rendered_where_it_cant_be_written_is_refused_in_a_line(data, card, tmp_path,
                                                                       out):
    proc = kiosk(data, "card", "render", card, "--out", str(tmp_path / out),
                 expect=3 if "/" in out else 1)
    assert proc.stderr.startswith("error: ") and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert (".png or .pdf" if "/" not in out else "there is no folder") in proc.stderr


STORE_CATALOGUE = """schema = 1
currency = "HKD"
minor_units = 1
[[products]]
sku = "EGG-TART"
ean13 = "4891234000012"
price = 95
name = { en = "Egg tart", zh-TW = "蛋撻" }
[[products]]
sku = "MILK-TEA"
ean13 = "4891234000029"
price = 180
name = { en = "Milk tea" }
"""


def test_product_labels_scan_back_to_the_stores_own_codes(data, tmp_path):
    (data / "catalogue.toml").write_text(STORE_CATALOGUE, encoding="utf-8")
    out = tmp_path / "labels"
    made = kiosk_json(data, "label", "render", "--out", str(out))
    assert made["catalogue"] == str(data / "catalogue.toml")
    assert [zxingcpp.read_barcodes(Image.open(p))[0].text for p in made["labels"]] == [
        "4891234000012", "4891234000029"]
    shelf = kiosk_json(data, "label", "render", "4891234000029", "--symbology", "code128",
                       "--language", "zh-TW", "--out", str(out))
    [code] = zxingcpp.read_barcodes(Image.open(shelf["labels"][0]))
    assert (code.text, code.format) == ("MILK-TEA", zxingcpp.BarcodeFormat.Code128)
    unknown = kiosk_json(data, "label", "render", "123", "--out", str(out), expect=1)
    assert unknown["error"] == {"code": "unknown_product",
                                "message": "not in catalogue.toml: 123"}
    (data / "catalogue.toml").write_text(STORE_CATALOGUE.replace("4891234000012",
                                                                 "4891234000013"))
    broken = kiosk_json(data, "label", "render", "--out", str(out), expect=1)
    assert broken["error"]["message"] == ("catalogue.toml: products[0].ean13: check digit "
                                          "of 4891234000013 should be 2")


def test_init_twice_is_refused(data):
    err = kiosk_json(data, "init", expect=1)
    assert err["error"]["code"] == "already_initialised"


def test_an_invalid_program_document_is_named_at_init(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(PLAIN_PROGRAM.read_text()
                   .replace("multiplier = 1.5", "multiplier = 0"))
    err = kiosk_json(tmp_path / "k", "init", "--program", str(bad), expect=1)
    assert err["error"]["code"] == "invalid_program"
    assert "tiers[1].multiplier" in err["error"]["message"]


@pytest.mark.parametrize("prefix", ["abc", "99999999999", ""])
def test_a_bad_card_prefix_is_named_at_init_and_makes_no_store(tmp_path, prefix):
    err = kiosk_json(tmp_path / "k", "init", "--card-prefix", prefix, expect=1)
    assert err["error"]["code"] == "invalid_input"
    assert err["error"]["message"] == (f"--card-prefix: a card prefix is 4 to 6 digits, not "
                                       f"{prefix!r}")
    assert not (tmp_path / "k" / "kiosk.db").exists()
    kiosk(tmp_path / "k", "init", "--card-prefix", "2000")  # and a good one goes through


def test_the_stores_language_is_set_from_the_command_line(data):
    assert kiosk_json(data, "language") == {"language": "en"}
    assert kiosk_json(data, "language", "zh-TW") == {"language": "zh-TW"}
    refused = kiosk_json(data, "language", "fr", expect=1)
    assert refused["error"]["code"] == "invalid_input"
    assert kiosk_json(data, "language") == {"language": "zh-TW"}

"""`kiosk shop member-find` and `kiosk shop card-reissue`: the online shop replaces a lost
card through a real `kiosk ledger serve` process, and a kiosk set up with `kiosk init
--ledger-url` refuses the old card and takes the new one after `kiosk sync`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import zxingcpp
from PIL import Image

from kiosk.app.cli import main
from kiosk.services import Enrolment, enrol
from kiosk.store.disk import storage_error
from tests.helpers.cli import kiosk, kiosk_json
from tests.helpers.ledger_process import LedgerProcess, paired, start_ledger


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[LedgerProcess]:
    process = start_ledger(f"sqlite:///{tmp_path / 'ledger' / 'ledger.db'}", tmp_path / "ledger")
    yield process
    process.kill()


def test_the_shop_replaces_a_lost_card_and_the_kiosk_refuses_the_old_one(ledger, tmp_path):
    till, web = tmp_path / "till", tmp_path / "web"
    till_token = ledger.add_device("till-1")
    kiosk(till, "init", "--ledger-url", ledger.url, "--device-token", till_token)
    joined = kiosk_json(till, "member", "enroll", "--name", "王小明", "--phone",
                        "0987-654-321", "--consent")
    kiosk(till, "sale", "--card", joined["card_payload"], "--amount", "1000")
    kiosk(till, "sync")
    shop = ("--ledger-url", ledger.url, "--token", ledger.add_device("web", "shop"))

    [found] = kiosk_json(web, "shop", "member-find", "+886 987 654 321", *shop)["members"]
    assert (found["member_id"], found["name"], found["balance"]) == (
        joined["member_id"], "王小明", 60)
    assert found["phone"] != "0987654321"  # masked, as at the counter
    out = tmp_path / "new.png"
    new = kiosk_json(web, "shop", "card-reissue", "--member", found["member_id"],
                     "--request-id", "lost-1", "--out", str(out), *shop)
    assert (new["cancelled"], new["balance"], new["request_id"]) == (
        [joined["card_no"]], 60, "lost-1")
    [code] = zxingcpp.read_barcodes(Image.open(out))
    assert code.text == new["card_payload"]  # the printed card scans as the new card
    again = kiosk_json(web, "shop", "card-reissue", "--member", found["member_id"],
                       "--request-id", "lost-1", *shop)
    assert again["duplicate"] and (again["card_no"], again["cancelled"]) == (
        new["card_no"], new["cancelled"])

    kiosk(till, "sync")
    refused = kiosk_json(till, "balance", "--card", joined["card_payload"], expect=1)
    assert refused["error"]["code"] == "revoked"
    assert kiosk_json(till, "balance", "--card", new["card_payload"])["balance"] == 60
    text = kiosk(web, "shop", "card-reissue", "--member", found["member_id"], *shop).stdout
    assert text.startswith("New card ") and "Request id: reissue-" in text


def test_the_shop_commands_refuse_plainly(ledger, tmp_path):
    web = tmp_path / "web"
    shop = ("--ledger-url", ledger.url, "--token", ledger.add_device("web", "shop"))
    member = "0192f1c4-7b1e-7c3a-9d2e-5a6b7c8d9e0f"
    assert kiosk_json(web, "shop", "member-find", "0900 000 000", *shop)["members"] == []
    nobody = kiosk_json(web, "shop", "card-reissue", "--member", member, *shop, expect=1)
    assert nobody["error"]["code"] == "unknown_member"
    till = ("--ledger-url", ledger.url, "--token", ledger.add_device("till-1"))
    kiosk_token = kiosk_json(web, "shop", "card-reissue", "--member", member, *till, expect=1)
    assert kiosk_token["error"]["code"] == "forbidden"
    junk = kiosk_json(web, "shop", "card-reissue", "--member", "me", *shop, expect=1)
    assert junk["error"]["code"] == "invalid_input"
    suffix = kiosk_json(web, "shop", "card-reissue", "--member", member, "--out", "card.gif",
                        *shop, expect=1)
    assert ".png or .pdf" in suffix["error"]["message"]
    long_id = kiosk_json(web, "shop", "card-reissue", "--member", member, "--request-id",
                         "x" * 65, *shop, expect=1)
    assert long_id["error"]["code"] == "invalid" and "request_id" in long_id["error"]["message"]
    offline = kiosk_json(web, "shop", "card-reissue", "--member", member, "--ledger-url",
                         "http://127.0.0.1:9", "--token", "cpt_x", expect=4)
    assert offline["error"]["code"] == "offline"
    assert "--request-id reissue-" in offline["error"]["message"]  # to ask again with


def test_a_phone_the_ledger_refuses_is_said_in_a_sentence(ledger, tmp_path):
    shop = ("--ledger-url", ledger.url, "--token", ledger.add_device("web", "shop"))
    short = kiosk_json(tmp_path / "web", "shop", "member-find", "12345", *shop, expect=1)
    assert short["error"] == {"code": "invalid", "message": "the ledger refused: phone: "
                              "String should have at least 6 characters (422)"}


@pytest.fixture
def on_ledger(ledger: LedgerProcess, tmp_path: Path) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """A member enrolled at a till and synced: their id, their card's number, and the
    shop's ``--ledger-url`` and ``--token``."""
    till = paired(ledger, tmp_path, "till-a")
    joined = enrol(till.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    till.agent().sync_once()
    till.kiosk.store.close()
    yield (str(joined.member.id), joined.card.card_no,
           ("--ledger-url", ledger.url, "--token", ledger.add_device("web", "shop")))


def _revoked(ledger: LedgerProcess, shop: tuple[str, ...]) -> list[str]:
    state = requests.get(f"{ledger.url}/v1/state", timeout=10,
                         headers={"Authorization": f"Bearer {shop[-1]}"}).json()
    return list(state["revoked_cards"])


def test_a_shop_reissue_to_an_out_that_cant_be_written_asks_the_ledger_nothing(
        ledger, on_ledger, tmp_path):
    member, card_no, shop = on_ledger
    for out, expect, said in (("no/dir/card.png", 3, f"could not write {tmp_path}/no/dir/"),
                              ("card.txt", 1, "--out: cards are saved as .png or .pdf")):
        refused = kiosk_json(tmp_path / "web", "shop", "card-reissue", "--member", member,
                             "--out", str(tmp_path / out), *shop, expect=expect)
        assert refused["error"]["message"].startswith(said), refused
    assert card_no not in _revoked(ledger, shop)


def test_a_shop_card_whose_image_then_fails_is_still_shown_with_its_request_id(
        ledger, on_ledger, tmp_path, monkeypatch, capsys):
    member, card_no, shop = on_ledger

    def disk_full(image: object, path: Path) -> None:  # as write_whole says a full disk
        full = OSError(28, "No space left on device")
        raise storage_error(full, path) from full

    monkeypatch.setattr("devices.card_image.save_card", disk_full)
    out = tmp_path / "new.png"
    assert main(["shop", "card-reissue", "--member", member, "--out", str(out), *shop,
                 "--json"]) == 3
    new = json.loads(capsys.readouterr().out)
    assert new["cancelled"] == [card_no] == _revoked(ledger, shop)
    assert new["request_id"].startswith("reissue-") and new["card_payload"].startswith("CP1.")
    assert new["error"]["message"] == (
        f"the new card is issued, but its image could not be written to {out}: No space "
        f"left on device; draw it again with the same command and --request-id "
        f"{new['request_id']}")
    monkeypatch.undo()
    again = kiosk_json(tmp_path / "web", "shop", "card-reissue", "--member", member,
                       "--request-id", new["request_id"], "--out", str(out), *shop)
    assert again["duplicate"] and again["card_no"] == new["card_no"]
    [code] = zxingcpp.read_barcodes(Image.open(out))
    assert code.text == new["card_payload"]

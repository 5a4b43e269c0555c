"""`kiosk shop member-find` and `kiosk shop card-reissue`: the online shop replaces a lost
card through a real `kiosk ledger serve` process, and a kiosk set up with `kiosk init
--ledger-url` refuses the old card and takes the new one after `kiosk sync`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.helpers.cli import kiosk, kiosk_json
from tests.helpers.ledger_process import LedgerProcess, start_ledger


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

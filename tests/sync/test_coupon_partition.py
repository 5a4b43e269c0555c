"""One coupon spent at two kiosks while they are cut off from the ledger (issue 15): both
hold it (a birthday coupon, issued at each by the member's first visit there, under one
derived id), both take it offline, and when they sync one use counts and the other is
reported like an overdraft; neither sale is lost, and the shop can't spend it again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import requests

from kiosk.services import Enrolment, Sale, SaleLine, enrol, identify, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from tests.helpers.checkout_ledger import get
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import CHECKOUT, program_text
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program

CAKE = '''
[[coupons]]
id = "birthday-cake"
names = { en = "Birthday cake", zh-TW = "生日蛋糕", zh-CN = "生日蛋糕" }
value = { kind = "free_item", item = "CAKE" }
valid_days = 30
trigger = { on = "birthday" }
'''
BASKET = (SaleLine("CAKE", 1, 120, "cake"), SaleLine("AMOUNT", 1, 500))


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path,
                                 program_text(CHECKOUT + CAKE, version="2026.2-cake"))


def test_a_coupon_spent_at_two_partitioned_kiosks_counts_once_and_is_reported(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    b.agent().sync_once()
    today = datetime.now(UTC).astimezone(a.kiosk.program.zone)
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678",
                                      birthday=date(1990, today.month, 1), consent=True))
    member = joined.member.id
    a.agent().sync_once()
    identify(b.kiosk, joined.card.payload)
    b.agent().sync_once()  # b knows the member; from here on both are cut off
    at_a = ring_up_sale(a.kiosk, Sale(member, 100, "A-1"))
    at_b = ring_up_sale(b.kiosk, Sale(member, 100, "B-1"))
    [cake] = [c.id_for(member) for c in at_a.coupons if c.rule == "birthday-cake"]
    assert cake in [c.id_for(member) for c in at_b.coupons]  # one coupon, held at both
    used_a = check_out(a.kiosk, Checkout(member, BASKET, coupon_id=cake, order_ref="A-2"))
    used_b = check_out(b.kiosk, Checkout(member, BASKET, coupon_id=cake, order_ref="B-2"))
    assert used_a.priced.net_minor == used_b.priced.net_minor == 500  # the cake free, twice

    a.agent().sync_once()
    b.agent().sync_once()
    held = {c["id"]: c for c in get(ledger, f"/v1/members/{member}/coupons", "shop")}
    first = held[str(cake)]
    assert (first["used_channel"], first["used_order_ref"]) == ("till-a", "A-2")
    [double] = get(ledger, "/v1/reports/coupon-double-uses")
    assert (double["channel"], double["order_ref"], double["first_channel"],
            double["first_order_ref"]) == ("till-b", "B-2", "till-a", "A-2")
    assert get(ledger, "/v1/reports/rejections") == []  # both sales stand, both earn
    shop = ledger.add_device("web", "shop")
    made = requests.post(f"{ledger.url}/v1/shop/orders", timeout=10, json={
        "member_id": str(member), "order_ref": "W-1", "amount_minor": 100},
        headers={"Authorization": f"Bearer {shop}"})  # the order it is spent on
    assert made.status_code == 200, made.text
    again = requests.post(f"{ledger.url}/v1/coupons/{cake}/use", json={"order_ref": "W-1"},
                          headers={"Authorization": f"Bearer {shop}"}, timeout=10)
    assert again.status_code == 409 and again.json()["code"] == "coupon_used"
    assert ledger.check() == []
    for k in (a, b):
        k.kiosk.store.close()

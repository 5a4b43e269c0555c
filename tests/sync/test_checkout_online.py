"""A checkout online (issue 15): the ledger holds its points and its coupon in one hold and
records them with the order; it prices the order again and refuses a discount the loyalty
doesn't give; a coupon two channels spent while apart is recorded once and reported."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from kiosk.engine.record import record_json
from kiosk.services import Enrolment, Sale, SaleLine, enrol, identify, ring_up_sale
from kiosk.services.checkout import Checkout, CouponRefused, check_out
from kiosk.store import STORE_FILE
from sync.authoriser import LedgerAuthoriser
from sync.client import LedgerClient
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk
from tests.helpers.program import CHECKOUT, program_text
from tests.helpers.program_ledger import (
    BOTH_DATABASES,
    own_name,
    own_till,
    shared_ledger_on_program,
)

VERSION = "2026.2-checkout"
KEYED = SaleLine("AMOUNT", 1, 1000)


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[LedgerProcess]:
    """One ledger for the module's tests: each pairs devices and enrols members of its own,
    and reads the reports for its own devices and coupons."""
    yield from shared_ledger_on_program(request, tmp_path_factory,
                                        program_text(CHECKOUT, version=VERSION))


def online(k: PairedKiosk) -> None:
    k.kiosk.authoriser = LedgerAuthoriser(k.agent(timeout=(0.5, 2.0)))


def admin_get(ledger: LedgerProcess, path: str) -> list[dict[str, object]]:
    token = ledger.add_device(f"office-{uuid.uuid4().hex[:8]}", "admin")
    answer = requests.get(f"{ledger.url}{path}", headers={"Authorization": f"Bearer {token}"},
                          timeout=10)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def rejections(ledger: LedgerProcess, device: str) -> list[dict[str, object]]:
    return admin_get(ledger, f"/v1/reports/rejections?device={device}")


def double_uses(ledger: LedgerProcess, coupon: uuid.UUID) -> list[dict[str, object]]:
    """The coupon-double-uses report's rows for ``coupon``."""
    return [row for row in admin_get(ledger, "/v1/reports/coupon-double-uses")
            if row["coupon_id"] == str(coupon)]


def coupons_on_ledger(ledger: LedgerProcess, member: uuid.UUID) -> list[dict[str, object]]:
    token = ledger.add_device(f"web-{uuid.uuid4().hex[:8]}", "shop")
    answer = requests.get(f"{ledger.url}/v1/members/{member}/coupons",
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def test_online_the_ledger_holds_the_points_and_records_them_with_the_order(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    k = own_till(ledger, tmp_path, "till-a")
    joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    member = joined.member.id
    ring_up_sale(k.kiosk, Sale(member, 9000, "TOP-UP"))  # 50 + 90 points
    online(k)
    result = check_out(k.kiosk, Checkout(member, (KEYED,), reward_id="nt100-off", points=20,
                                         order_ref="C-1"))
    assert result.authorised == "online"
    shop = LedgerClient(ledger.url, ledger.add_device(own_name("web"), "shop"))
    assert shop.balance(member) == 140 - 120  # held and confirmed before any sync
    k.agent().sync_once()  # the earn on NT$880 and the order; the redemption: a duplicate
    assert shop.balance(member) == 140 - 120 + 8 == identify(k.kiosk, joined.card.payload).balance
    assert rejections(ledger, k.kiosk.channel) == []
    assert ledger.check() == []
    k.kiosk.store.close()


def test_a_coupon_another_store_issued_is_held_and_used_once_online(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    a, b = own_till(ledger, tmp_path, "till-a"), own_till(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    member = joined.member.id
    big = ring_up_sale(a.kiosk, Sale(member, 3000, "A-1"))  # issues 10% off next time
    coupon = big.coupons[0].id_for(member)
    a.agent().sync_once()
    b.agent().sync_once()
    identify(b.kiosk, joined.card.payload)  # till b knows the member (their card)
    online(b)
    at_b = check_out(b.kiosk, Checkout(member, (KEYED,), coupon_id=coupon, order_ref="B-1"))
    assert (at_b.authorised, at_b.priced.net_minor) == ("online", 900)
    [held] = coupons_on_ledger(ledger, member)
    assert (held["used_channel"], held["used_order_ref"]) == (b.kiosk.channel, "B-1")
    online(a)
    with pytest.raises(CouponRefused, match=f"used on {b.kiosk.channel}, order B-1"):
        check_out(a.kiosk, Checkout(member, (KEYED,), coupon_id=coupon, order_ref="A-2"))
    b.agent().sync_once()
    assert double_uses(ledger, coupon) == []
    for k in (a, b):
        k.kiosk.store.close()


def test_a_coupon_spent_offline_and_at_the_shop_counts_once_and_is_reported(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    a = own_till(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    member = joined.member.id
    coupon = ring_up_sale(a.kiosk, Sale(member, 3000, "A-1")).coupons[0].id_for(member)
    a.agent().sync_once()
    web = own_name("web")
    shop = ledger.add_device(web, "shop")
    made = requests.post(f"{ledger.url}/v1/shop/orders", timeout=10, json={
        "member_id": str(member), "order_ref": "W-1", "amount_minor": 100},
        headers={"Authorization": f"Bearer {shop}"})  # the order it is spent on
    assert made.status_code == 200, made.text
    spent = requests.post(f"{ledger.url}/v1/coupons/{coupon}/use", json={"order_ref": "W-1"},
                          headers={"Authorization": f"Bearer {shop}"}, timeout=10)
    assert spent.status_code == 200, spent.text
    # The till is offline (no authoriser): it holds the coupon and takes it.
    offline = check_out(a.kiosk, Checkout(member, (KEYED,), coupon_id=coupon, order_ref="A-2"))
    assert (offline.authorised, offline.priced.net_minor) == ("offline", 900)
    a.agent().sync_once()
    [held] = coupons_on_ledger(ledger, member)
    assert (held["used_channel"], held["used_order_ref"]) == (web, "W-1")  # the first use
    [double] = double_uses(ledger, coupon)
    assert (double["coupon_id"], double["channel"], double["order_ref"],
            double["first_channel"], double["first_order_ref"]) == (
        str(coupon), a.kiosk.channel, "A-2", web, "W-1")
    assert rejections(ledger, a.kiosk.channel) == []  # the sale stands
    a.kiosk.store.close()


def test_the_ledger_refuses_an_earn_on_a_discount_the_loyalty_does_not_give(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """A tampered till records 100 points used as money but no discount, and earns on the
    whole NT$1,000 (10 points, not 9): money the member never paid. The order and its entry
    agree, so only pricing the order again shows it; the ledger does and refuses the earn."""
    a = own_till(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    member = joined.member.id
    ring_up_sale(a.kiosk, Sale(member, 9000, "TOP-UP"))
    check_out(a.kiosk, Checkout(member, (KEYED,), points=100, order_ref="C-1"))
    with a.kiosk.store.read() as tx:
        record = tx.orders.get(a.kiosk.channel, "C-1")
    assert record is not None
    forged = replace(record, order=replace(record.order, loyalty=replace(
        record.order.loyalty, discount_minor=0)))
    with sqlite3.connect(a.data_dir / STORE_FILE) as db:
        db.execute("UPDATE orders SET record = ? WHERE order_ref = 'C-1'",
                   (record_json(forged),))
        db.execute("DROP TRIGGER entries_append_only_update")  # the tampering
        db.execute("UPDATE entries SET points = 10, amount_minor = 1000 "
                   "WHERE order_ref = 'C-1' AND kind = 'earn'")
    a.agent().sync_once()
    rejected = rejections(ledger, a.kiosk.channel)
    assert [(r["code"], "C-1" in str(r["reason"])) for r in rejected] == [
        ("loyalty_mismatch", True)]
    a.kiosk.store.close()

"""A birthday coupon two offline tills both used (a double use, reported) stays used when
the first sale is refunded: the other till's sale still used it. Before, the refund made
the coupon unused again and the shop or any online till took it a third time, with nothing
in the double-use report; the store owner gave away another cake unreported and the
member's coupon list showed it unused (found at review 27)."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import requests

from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.refunds import refund_order
from tests.helpers.checkout_ledger import get
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk, paired
from tests.sync.test_coupon_partition import BASKET, ledger

__all__ = ["ledger"]  # the fixture: the partition test's ledger serving its cake


def cake_used_twice(ledger: LedgerProcess, tmp_path: Path
                    ) -> tuple[PairedKiosk, PairedKiosk, uuid.UUID, uuid.UUID]:
    """Two tills cut off from each other both give the member the birthday cake, A-2 first
    and B-2 a double use, reported: the tills, the member and the coupon."""
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    b.agent().sync_once()
    today = datetime.now(UTC).astimezone(a.kiosk.program.zone)
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678",
                                      birthday=date(1990, today.month, 1), consent=True))
    member = joined.member.id
    a.agent().sync_once()
    identify(b.kiosk, joined.card.payload)
    b.agent().sync_once()
    at_a = ring_up_sale(a.kiosk, Sale(member, 100, "A-1"))
    ring_up_sale(b.kiosk, Sale(member, 100, "B-1"))
    [cake] = [c.id_for(member) for c in at_a.coupons if c.rule == "birthday-cake"]
    check_out(a.kiosk, Checkout(member, BASKET, coupon_id=cake, order_ref="A-2"))
    check_out(b.kiosk, Checkout(member, BASKET, coupon_id=cake, order_ref="B-2"))
    a.agent().sync_once()
    b.agent().sync_once()
    [double] = get(ledger, "/v1/reports/coupon-double-uses")
    assert (double["order_ref"], double["first_order_ref"]) == ("B-2", "A-2")
    return a, b, member, cake


def shop_uses(ledger: LedgerProcess, member: uuid.UUID, cake: uuid.UUID
              ) -> tuple[dict[str, object], requests.Response]:
    """The coupon as the ledger shows it, and the shop's try to use it on a new order."""
    state = {c["id"]: c for c in get(ledger, f"/v1/members/{member}/coupons", "shop")}[str(cake)]
    shop = ledger.add_device("web", "shop")
    made = requests.post(f"{ledger.url}/v1/shop/orders", timeout=10, json={
        "member_id": str(member), "order_ref": "W-1", "amount_minor": 100},
        headers={"Authorization": f"Bearer {shop}"})
    assert made.status_code == 200, made.text
    return state, requests.post(f"{ledger.url}/v1/coupons/{cake}/use", timeout=10,
                                json={"order_ref": "W-1"},
                                headers={"Authorization": f"Bearer {shop}"})


def test_refunding_the_first_use_of_a_double_used_coupon_frees_it_for_a_third_use(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """Two tills cut off from the ledger both give the member the free birthday cake (a
    double use, reported). Then the first sale is refunded at its till. The ledger's
    whole-refund path clears the coupon's use outright, though the other till's sale still
    used it: the coupon is 'unused' again and the shop (or any till online) accepts it a
    third time, with nothing in the double-use report about that use. The store owner
    gives away a second cake unreported; the member's coupon list shows it unused."""
    a, b, member, cake = cake_used_twice(ledger, tmp_path)

    refund_order(a.kiosk, "A-2")  # the first sale taken back; B-2's cake was still eaten
    a.agent().sync_once()
    state, use = shop_uses(ledger, member, cake)
    try:
        assert use.status_code == 409, (use.status_code, use.text[:160])
        assert state["used_order_ref"] == "B-2", f"coupon shown as {state}"
    finally:
        for k in (a, b):
            k.kiosk.store.close()


# Second review (27): the coupon handed to the other use only if that order still stands.
def test_both_uses_refunded_gives_the_coupon_back(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """Both sales brought back, the second use first: the member's birthday cake is theirs
    again, not 'used by B-2', a sale taken back."""
    a, b, member, cake = cake_used_twice(ledger, tmp_path)

    refund_order(b.kiosk, "B-2")  # the double use taken back first
    b.agent().sync_once()
    refund_order(a.kiosk, "A-2")  # then the first use: neither sale stands
    a.agent().sync_once()
    state, use = shop_uses(ledger, member, cake)
    try:
        assert state.get("used_order_ref") is None, f"coupon shown as {state}"
        assert use.status_code == 200, (use.status_code, use.text[:160])
    finally:
        for k in (a, b):
            k.kiosk.store.close()

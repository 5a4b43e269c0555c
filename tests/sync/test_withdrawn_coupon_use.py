"""A coupon the ledger withdrew (its issuing sale refunded whole) that a till cut off from
the ledger still gave is recorded as used and reported in the coupon double-use report,
like an overdraft: the goods are gone. Before, the ledger marked it used silently, and the
owner's reports showed nothing though a withdrawn coupon was spent (found at review 27)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.refunds import refund_order
from tests.helpers.checkout_ledger import get
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.sync.test_coupon_partition import BASKET, ledger

__all__ = ["ledger"]  # the fixture: the partition test's ledger serving its cake


def test_a_withdrawn_coupon_spent_offline_is_recorded_as_used_and_not_reported(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """The member's first visit at till-a issues the birthday-cake coupon, and a visit at
    till-b issues the same one (one derived id; the ledger keeps till-a's row). Till-a's
    visit is refunded whole, so the ledger withdraws the coupon (voided), though till-b's
    visit, which issued it too, stands. Till-b, cut off, still holds the coupon and gives
    the cake. When till-b syncs, record_uses marks the
    withdrawn coupon 'used' with no double-use/overdraft-like record (it checks only that
    the coupon is the member's): the owner's reports show nothing, though a coupon the
    ledger withdrew was spent (DESIGN: a coupon used offline beyond what it may is
    recorded and reported like an overdraft)."""
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
    [cake] = [c.id_for(member) for c in at_a.coupons if c.rule == "birthday-cake"]
    ring_up_sale(b.kiosk, Sale(member, 100, "B-1"))  # b issues it too (one derived id)
    a.agent().sync_once()
    b.agent().sync_once()  # b holds the coupon; from here on b is cut off
    refund_order(a.kiosk, "A-1")
    a.agent().sync_once()
    held = {c["id"]: c for c in get(ledger, f"/v1/members/{member}/coupons", "shop")}
    assert held[str(cake)]["voided_at"] is not None  # withdrawn on the ledger
    check_out(b.kiosk, Checkout(member, BASKET, coupon_id=cake, order_ref="B-2"))
    b.agent().sync_once()
    reported = (get(ledger, "/v1/reports/coupon-double-uses")
                + get(ledger, "/v1/reports/rejections") + get(ledger, "/v1/reports/overdrafts"))
    held = {c["id"]: c for c in get(ledger, f"/v1/members/{member}/coupons", "shop")}
    try:
        state = held[str(cake)]
        assert reported or not (state["voided_at"] and state["used_at"]), (
            f"withdrawn AND used, nothing reported: {state['voided_at']=} "
            f"{state['used_order_ref']=}")
    finally:
        for k in (a, b):
            k.kiosk.store.close()

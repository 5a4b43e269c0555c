"""A confirm the ledger refuses is a refusal (review 28b). Confirming a hold appends its
redeem entry, which the ledger's audit may still refuse; ``/v1/redemptions/{id}/confirm``
answered that 200 with status "rejected", and a checkout's confirm answered "confirmed"
with the held points and marked its coupons used, while nothing was recorded and the hold
stayed "held", its points blocked till it lapsed. Here the shop's checkout held 50 points
for order W-5, then the shop's order W-5 spent its own 50 (a buggy caller): the ledger
refuses the hold's redemption as a second spend of the order. Now: 422 with the audit's
code and reason, the coupons not used, and the hold voided (its points free again)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.engine.orders import OrderLine
from sync.protocol import EntryWire, UploadRequest
from sync.server import models as m
from sync.server.calls import LedgerRefusal
from sync.server.checkout_holds import CheckoutHolds
from sync.server.counter import OnlineCounter
from sync.server.coupon_uses import COUPONS
from sync.server.ledger import Ledger
from sync.server.shop_checkout import ShopLoyalty
from sync.wire_holds import CheckoutHoldRequest, CheckoutRef
from tests.helpers.ledger_wire import KIOSK, SHOP, members, sale
from tests.helpers.program import CHECKOUT, program_text
from tests.sync.conftest import in_process_ledger_on, program_file


@pytest.fixture(params=["postgres", "sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    yield from in_process_ledger_on(request, tmp_path,
                                    program_file(tmp_path, program_text(CHECKOUT)))


def _redemption(member_id: uuid.UUID, order_ref: str) -> EntryWire:
    return EntryWire(id=uuid.uuid4(), member_id=member_id, kind="redeem", points=-50,
                     channel="web", occurred_at=datetime.now(UTC), program_version="2026.2",
                     order_ref=order_ref, note="checkout")


def _spend_the_order_elsewhere(counter: OnlineCounter, member_id: uuid.UUID) -> None:
    """Order W-5 spends 50 points of its own, so the held redemption for it is refused."""
    counter.order(SHOP, member_id, 1000, "W-5", (OrderLine("TEA", 1, 1000),),
                  ShopLoyalty(points=50))


def _state(ledger: Ledger, hold_id: uuid.UUID) -> str:
    with ledger.engine.connect() as conn:
        return str(conn.execute(select(m.Reservation.state).where(
            m.Reservation.id == hold_id)).scalar_one())


def test_a_checkout_confirm_the_ledger_refuses_is_refused_and_uses_no_coupon(
        ledger: Ledger) -> None:
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[sale(member, 1, 300)]))
    counter, holds = OnlineCounter(ledger), CheckoutHolds(OnlineCounter(ledger))
    counter.order(SHOP, member.id, 3000, "W-1")  # earns the "next10" coupon
    with ledger.engine.connect() as conn:
        coupon = conn.execute(select(COUPONS.c.id).where(
            COUPONS.c.member_id == member.id)).scalar_one()
    entry = _redemption(member.id, "W-5")
    holds.hold(SHOP, CheckoutHoldRequest(member_id=member.id, order_ref="W-5", entry=entry,
                                         coupon_ids=[coupon]))
    _spend_the_order_elsewhere(counter, member.id)
    balance = ledger.balance(member.id)

    with pytest.raises(LedgerRefusal) as refused:
        holds.confirm(SHOP, CheckoutRef(order_ref="W-5", entry_id=entry.id,
                                        coupon_ids=[coupon]))
    assert refused.value.status == 422
    assert refused.value.code == "checkout_points", refused.value
    assert "this redemption would take 100" in str(refused.value)
    with ledger.engine.connect() as conn:
        used = conn.execute(select(COUPONS.c.used_at).where(COUPONS.c.id == coupon)).scalar()
    assert used is None  # the coupon is not spent on an order the confirm didn't make
    assert ledger.balance(member.id) == balance  # nothing recorded
    assert _state(ledger, entry.id) == "voided"
    assert counter.history(member.id, 1).available == balance  # its 50 points free again


def test_a_redemption_confirm_the_ledger_refuses_is_refused_and_the_hold_voided(
        ledger: Ledger) -> None:
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[sale(member, 1, 300)]))
    counter = OnlineCounter(ledger)
    entry = _redemption(member.id, "W-5")
    counter.reserve(SHOP, entry, 60)
    _spend_the_order_elsewhere(counter, member.id)
    balance = ledger.balance(member.id)

    with pytest.raises(LedgerRefusal) as refused:  # was: 200, status "rejected"
        counter.confirm(SHOP, entry.id)
    assert (refused.value.status, refused.value.code) == (422, "checkout_points")
    assert ledger.balance(member.id) == balance
    assert _state(ledger, entry.id) == "voided"
    with pytest.raises(LedgerRefusal) as again:  # a retry is told the hold is gone
        counter.confirm(SHOP, entry.id)
    assert again.value.status == 410

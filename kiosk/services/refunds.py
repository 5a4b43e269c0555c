"""Refunding an order: each of its entries gets a reversing entry (corrections are new
entries, nothing is edited), so the member is back where they were before the sale. The
counter picks the order from this kiosk's recent sales, so nobody has to copy an order
number off a banner that was shown for six seconds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from kiosk.ledger import Entry, balance, reversal
from kiosk.services.context import Kiosk
from kiosk.services.errors import AlreadyRefunded, UnknownOrder, check_text
from kiosk.services.staff import acting, record
from kiosk.staff import AuditAction


@dataclass(frozen=True, slots=True)
class RefundResult:
    order_ref: str
    entries: tuple[Entry, ...]
    points: int  # change to the member's balance (negative for a refunded purchase)
    balance: int


@dataclass(frozen=True, slots=True)
class RecentOrder:
    """A sale rung up at this kiosk, as the refund list shows it."""

    order_ref: str
    member_id: uuid.UUID
    member_name: str  # empty for a member known here only by another store's card
    when: datetime  # UTC
    amount_minor: int
    points: int  # what the order's entries gave (less what it redeemed): a refund takes it back
    refunded: bool


MAX_LISTED = 200


def recent_orders(kiosk: Kiosk, member_id: uuid.UUID | None = None,
                  limit: int = 20) -> tuple[RecentOrder, ...]:
    """This kiosk's latest sales, newest first: the member's when one is at the counter.
    Only this channel's: an order ref is unique per channel and a refund acts on this
    channel's order only (DESIGN, orders are facts)."""
    if not 0 < limit <= MAX_LISTED:
        raise ValueError(f"limit must be between 1 and {MAX_LISTED}")
    return _sales(kiosk, member_id, None, limit)


def find_order(kiosk: Kiosk, order_ref: str) -> RecentOrder | None:
    """A typed order number (a receipt from a day no longer listed) as the list would
    show it, so the refund is confirmed with its amount and points; None when this kiosk
    rang up no sale with that number."""
    return next(iter(_sales(kiosk, None, order_ref, 1)), None)


def _sales(kiosk: Kiosk, member_id: uuid.UUID | None, order_ref: str | None,
           limit: int) -> tuple[RecentOrder, ...]:
    with kiosk.store.read() as tx:
        rows = tx.entries.recent_sales(kiosk.channel, member_id, order_ref, limit)
    return tuple(RecentOrder(ref, member, name or "", when, amount, points, refunded)
                 for ref, member, name, when, amount, points, refunded in rows)


def refund_order(kiosk: Kiosk, order_ref: str, note: str | None = None,
                 approved_by: str | None = None) -> RefundResult:
    """Reverse every entry of this kiosk's order ``order_ref``. ``approved_by`` names the
    manager who allowed it, in the reversals' note, so the ledger itself is the audit."""
    check_text("reason", note, layout=True)
    check_text("approver", approved_by)
    note = note or "refund"
    if approved_by is not None:
        note = f"{note} (approved by {approved_by})"[:200]
    now = kiosk.clock()
    with kiosk.store.write() as tx:
        found = [(e, done) for e, done in tx.entries.of_order(kiosk.channel, order_ref)
                 if e.reverses is None]
        if not found:
            raise UnknownOrder(f"no points were recorded for order {order_ref!r} "
                               f"at this kiosk ({kiosk.channel})")
        members = {e.member_id for e, _ in found}
        if len(members) > 1:
            raise UnknownOrder(f"order {order_ref!r} is ambiguous: it names several members")
        open_entries = [e for e, done in found if not done]
        if not open_entries:
            raise AlreadyRefunded(f"order {order_ref!r} has already been refunded")
        entries = tuple(
            reversal(e, id=kiosk.new_id(), occurred_at=now, channel=kiosk.channel,
                     program_version=kiosk.program.version, note=note,
                     staff=acting(kiosk, approved_by))
            for e in open_entries)
        tx.entries.append(entries)
        order = tx.orders.get(kiosk.channel, order_ref)
        if order is not None and order.coupons:
            # What the order issued goes with it (the ledger withdraws its copies too).
            tx.orders.withdraw_coupons(open_entries[0].member_id, order.coupons)
        record(tx, kiosk, AuditAction.REFUND,
               f"{order_ref} · {balance(entries):+d}",
               approved_by=approved_by)
        after = tx.entries.balance(open_entries[0].member_id)
    return RefundResult(order_ref, entries, balance(entries), after)

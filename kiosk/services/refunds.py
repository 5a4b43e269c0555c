"""Refunding an order: each of its entries gets a reversing entry (corrections are new
entries, nothing is edited), so the member is back where they were before the sale."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ledger import Entry, EntryKind, reversal
from kiosk.services.context import Kiosk
from kiosk.services.errors import AlreadyRefunded, UnknownOrder, check_text


@dataclass(frozen=True, slots=True)
class RefundResult:
    order_ref: str
    entries: tuple[Entry, ...]
    points: int  # change to the member's balance (negative for a refunded purchase)
    balance: int


def refund_order(kiosk: Kiosk, order_ref: str, note: str | None = None) -> RefundResult:
    check_text("reason", note, layout=True)
    now = kiosk.clock()
    with kiosk.store.write() as tx:
        found = [(e, done) for e, done in tx.order_entries(kiosk.channel, order_ref)
                 if e.kind is not EntryKind.REVERSE]
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
                     program_version=kiosk.program.version, note=note or "refund")
            for e in open_entries)
        tx.append(entries)
        balance = tx.balance(open_entries[0].member_id)
    return RefundResult(order_ref, entries, sum(e.points for e in entries), balance)

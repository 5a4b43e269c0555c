"""Refunds by line on the ledger (DESIGN, engine point 7): the refunds a device records go
up with the reversals they make, and the ledger checks each reversal against them, from
the order it stored, with the same engine (``kiosk.engine.refunds``): never more than
the refunded lines take back, never more than the order spent comes back.

A refund that is none (of an order the ledger doesn't hold, or more than is left of a
line) is not kept; the reversals it would have justified are then refused one by one
with a reason, like any entry the ledger refuses (no poison pill). An entry reversed
without any refund (an order recorded before orders had lines, a redemption of no
recorded order) must be reversed whole, once, as before; an entry of an order the ledger
holds by line that gave the member something back when reversed (the points or stamps it
spent) comes back only with a refund of its lines.

A once-only bonus the order's stored awards say it earned (its first-purchase bonus, an
entry with a derived id on the derived channel) is reversed by the device that recorded
the order, naming it, once its refunds hand it back whole (``bonuses_back``); a device
from before that refunds the order whole without it, and that stands too.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, func, select

from kiosk.audit import Rejected, Rejection, reversal_kind_problem, reversal_problem
from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.orders import Award
from kiosk.engine.record import OrderRecord
from kiosk.engine.refunds import (
    RETURNED_BONUSES,
    Refund,
    bonuses_back,
    refund_json,
    refund_of_json,
    refund_problem,
    refunded,
    still_to_undo,
)
from kiosk.ledger import EntryKind
from sync.protocol import EntryWire
from sync.server import models as m
from sync.server.bulk import insert_ignore
from sync.server.calls import Caller
from sync.server.orders import ORDERS, records_of
from sync.wire_orders import RefundWire

log = logging.getLogger(__name__)

REFUNDS: Table = m.Refund.__table__  # type: ignore[assignment]
ENTRIES: Table = m.Entry.__table__  # type: ignore[assignment]


def lock_order(conn: Connection, channel: str, *refs: str) -> None:
    """Hold these orders of ``channel`` until the transaction ends: two refunds of one
    order (the shop's and an upload, or two shop calls) queue up, each reading what the
    other refunded (SQLite's writer lock does this by itself)."""
    if conn.dialect.name == "postgresql" and refs:
        conn.execute(select(ORDERS.c.order_ref).where(
            ORDERS.c.channel == channel, ORDERS.c.order_ref.in_(list(refs))).with_for_update())


def refunds_of(conn: Connection, channel: str, refs: Collection[str]) -> dict[str, list[Refund]]:
    """The stored refunds of ``channel``'s orders among ``refs``, oldest first, by ref."""
    out: dict[str, list[Refund]] = {}
    if not refs:
        return out
    r = REFUNDS.c
    for ref, text in conn.execute(select(r.order_ref, r.record).where(
            r.channel == channel, r.order_ref.in_(list(refs)))
            .order_by(r.occurred_at, r.id)):
        out.setdefault(ref, []).append(refund_of_json(text))
    return out


def store_refunds(conn: Connection, caller: Caller, wires: Sequence[RefundWire],
                  sent: Mapping[str, OrderRecord], received_at: datetime) -> None:
    """Keep the request's refunds of the caller's orders, in the caller's transaction, with
    the orders locked (a shop refund and an upload of one order queue up); a refund the
    ledger holds already is nothing new, and one that is no refund of its order is left
    out (logged): its reversals are then refused."""
    mine = [w for w in wires if w.channel == caller.device_id]
    if not mine:
        return
    refs = {w.order_ref for w in mine}
    lock_order(conn, caller.device_id, *refs)
    records = {**records_of(conn, caller.device_id, refs - sent.keys()),
               **{ref: sent[ref] for ref in refs & sent.keys()}}
    held = refunds_of(conn, caller.device_id, refs)
    rows: list[dict[str, Any]] = []
    for wire in mine:
        refund, record = wire.to_refund(), records.get(wire.order_ref)
        earlier = held.setdefault(wire.order_ref, [])
        if record is None or any(r.id == refund.id for r in earlier):
            continue
        problem = refund_problem(record.order, refunded(earlier), refund.lines)
        if problem is not None:
            log.warning("refund %s of %s/%s not kept: %s", refund.id, caller.device_id,
                        wire.order_ref, problem)
            continue
        earlier.append(refund)
        rows.append({"id": refund.id, "channel": refund.channel, "order_ref": refund.order_ref,
                     "occurred_at": refund.occurred_at, "record": refund_json(refund),
                     "received_at": received_at})
    insert_ignore(conn, REFUNDS, rows)


@dataclass
class ReversalCheck:
    """Checks the reversals of one upload against the entries they reverse: within what
    the order's refunds undo of each (cumulatively, with the reversals it already has and
    those earlier in the batch), or, with no refund, a whole mirror made once."""

    conn: Connection
    originals: Mapping[uuid.UUID, Any]
    _records: dict[tuple[str, str], OrderRecord | None] = field(default_factory=dict)
    _refunds: dict[tuple[str, str], list[Refund]] = field(default_factory=dict)
    _back: dict[uuid.UUID, tuple[int, int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """What the stored originals' orders, refunds and reversals are, in a few queries."""
        ids = list(self.originals)
        if not ids:
            return
        e = ENTRIES.c
        for reverses, points, amount, count in self.conn.execute(
                select(e.reverses, func.sum(e.points), func.sum(e.amount_minor),
                       func.count()).where(e.reverses.in_(ids)).group_by(e.reverses)):
            self._back[reverses] = (int(points), int(amount), int(count))
        by_channel: dict[str, set[str]] = {}
        for row in self.originals.values():
            if row.order_ref is not None:
                by_channel.setdefault(row.channel, set()).add(row.order_ref)
        for channel, refs in by_channel.items():
            records = records_of(self.conn, channel, refs)
            refunds = refunds_of(self.conn, channel, refs)
            for ref in refs:
                self._records[channel, ref] = records.get(ref)
                self._refunds[channel, ref] = refunds.get(ref, [])

    def _order(self, channel: str, ref: str) -> tuple[OrderRecord | None, list[Refund]]:
        """``channel``'s order ``ref`` and its stored refunds (read once)."""
        key = (channel, ref)
        if key not in self._records:
            self._records[key] = records_of(self.conn, channel, [ref]).get(ref)
            self._refunds[key] = refunds_of(self.conn, channel, [ref]).get(ref, [])
        return self._records[key], self._refunds.get(key, [])

    def _bonus_of(self, wire: EntryWire, original: Any) -> tuple[OrderRecord, Award] | None:
        """The order ``wire`` names and the award in its stored record that ``original``
        (an entry on the derived channel) is the entry of, if it is a bonus an order's
        refund takes back (``RETURNED_BONUSES``); None otherwise."""
        if original.channel != DERIVED_CHANNEL or wire.order_ref is None:
            return None
        record, _ = self._order(wire.channel, wire.order_ref)
        if record is None or record.order.member_id != wire.member_id:
            return None
        return next(((record, a) for a in record.awards
                     if a.once is not None and a.once == original.note
                     and a.rule in RETURNED_BONUSES
                     and a.id_for(wire.member_id) == original.id), None)

    def _bonus_problem(self, wire: EntryWire, original: Any, record: OrderRecord,
                       award: Award, count: int) -> Rejection | None:
        """A once-only bonus taken back with its order: a whole mirror, once, by the device
        that recorded the order, once the order's refunds hand it back whole."""
        # Its mirror is checked on the refunding channel: the bonus is on the derived one.
        problem = _mirror_problem(wire, original, wire.channel)
        if problem is None and count:
            problem = Rejection(Rejected.ALREADY_REVERSED, "this entry was already reversed")
        _, refunds = self._order(wire.channel, record.order.order_ref)
        if problem is None and award not in bonuses_back(record, refunded(refunds)):
            problem = Rejection(Rejected.REFUND, (
                f"the {award.rule} bonus comes back with the whole order; the refunds of "
                f"order {record.order.order_ref!r} leave some of it"))
        return problem

    def problem(self, wire: EntryWire, original: Any) -> Rejection | None:
        """Why ``wire`` may not reverse ``original`` (None: it may, and it counts)."""
        key = (original.channel, original.order_ref)
        record, refunds = self._records.get(key), self._refunds.get(key, [])
        back_points, back_amount, count = self._back.get(original.id, (0, 0, 0))
        bonus = self._bonus_of(wire, original)
        if bonus is not None:
            problem = self._bonus_problem(wire, original, *bonus, count)
        elif record is None or (not refunds and original.points >= 0):
            # A whole mirror: of an order with no lines, of a redemption of none, or one
            # that only takes back what the order gave (a kiosk from before refunds by line
            # refunded so, and its queued refunds still go up so: they mint nothing).
            problem = _mirror_problem(wire, original, original.channel)
            if problem is None and count:
                problem = Rejection(Rejected.ALREADY_REVERSED, "this entry was already reversed")
        else:  # the amounts are checked against the refunds instead of a mirror's
            problem = reversal_kind_problem(
                channel=wire.channel, member=wire.member_id, kind=wire.kind, note=wire.note,
                original_channel=original.channel, original_member=original.member_id,
                original_kind=original.kind, original_note=original.note,
                original_reverses=original.reverses)
            if problem is None and not refunds:
                # What the order spent (its checkout's points, a full card's stamps) comes
                # back only with a refund of its lines: a whole mirror with none would give
                # it back while the member keeps the goods, as often as a token liked.
                problem = Rejection(Rejected.REFUND, (
                    f"order {original.order_ref!r} was recorded with its lines: what it "
                    "spent comes back only with a refund of its lines, and none came"))
            if problem is None:
                kind = EntryKind(original.kind)
                most = still_to_undo(record, refunded(refunds), kind=kind, note=original.note,
                                     points=original.points,
                                     amount_minor=original.amount_minor,
                                     back_points=back_points, back_amount=back_amount)
                if not (_within(wire.points, most[0]) and _within(wire.amount_minor, most[1])):
                    problem = Rejection(Rejected.REFUND, (
                        f"reverses {wire.points} points and {wire.amount_minor} of spend; the "
                        f"refunds of order {original.order_ref!r} take back {most[0]} and "
                        f"{most[1]} more of this entry"))
        if problem is None:
            self._back[original.id] = (back_points + wire.points,
                                       back_amount + wire.amount_minor, count + 1)
        return problem


def _within(value: int, most: int) -> bool:
    """Whether ``value`` goes the way of ``most`` and no further (0 always fits)."""
    return 0 <= value <= most if most >= 0 else most <= value <= 0


def _mirror_problem(wire: EntryWire, original: Any, original_channel: str
                    ) -> Rejection | None:
    """Why ``wire`` is not a whole mirror of ``original`` (read as on
    ``original_channel``), or None."""
    return reversal_problem(
        channel=wire.channel, points=wire.points, amount_minor=wire.amount_minor,
        member=wire.member_id, original_channel=original_channel,
        original_points=original.points, original_amount=original.amount_minor,
        original_member=original.member_id, kind=wire.kind, note=wire.note,
        original_kind=original.kind, original_note=original.note,
        original_reverses=original.reverses)

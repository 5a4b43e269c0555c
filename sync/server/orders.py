"""The orders devices upload with their entries (DESIGN, the program engine: orders in,
entries out): kept in the ``orders`` table with the record the ledger re-runs the rules
with (``audit.py`` reads them), stored in the upload's own transaction, and read back one
at a time by the channel that recorded them.

An order is a fact, recorded once: the same (channel, ref) sent again with the same
content is nothing new (a retried upload), and with other content it is refused whole,
422 ``order_conflict``, naming the order. A 422, not a 409: the kiosk's agent halves a
request the ledger refuses as invalid down to what it refuses and keeps that back with the
ledger's words, so one bad order never stops everything after it (no poison pill).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, select

from kiosk.engine.record import OrderRecord, record_json, record_of_json
from kiosk.ledger import EntryKind
from sync.protocol import OrderWire
from sync.server import models as m
from sync.server.bulk import array_type, insert_rows, pg_cursor
from sync.server.calls import Caller, LedgerRefusal

ORDERS: Table = m.Order.__table__  # type: ignore[assignment]


def check_channels(caller: Caller, orders: Sequence[OrderWire]) -> None:
    """A device records orders on its own channel only; and one key twice in a request
    must be the same order. Checked before anything is read or written."""
    first: dict[str, OrderWire] = {}
    for i, order in enumerate(orders):
        if order.channel != caller.device_id:
            raise LedgerRefusal(422, "wrong_channel", f"orders[{i}].channel: "
                                f"{order.channel!r} is not this device's ({caller.device_id!r})")
        seen = first.setdefault(order.order_ref, order)
        if seen is not order and seen != order:
            raise LedgerRefusal(422, "order_conflict", f"orders[{i}]: order "
                                f"{order.order_ref!r} comes twice with different content")


def records_of(conn: Connection, channel: str, refs: Collection[str]
               ) -> dict[str, OrderRecord]:
    """The stored orders of ``channel`` among ``refs``, by ref (one query)."""
    if not refs:
        return {}
    if conn.dialect.name == "postgresql":
        # One binary array, as bulk.py's look-ups: the statement never changes with the
        # number of refs (an upload names up to 500 orders).
        with pg_cursor(conn, named=False) as cur:
            cur.execute("SELECT order_ref, record FROM orders WHERE channel = %(c)s AND "
                        "order_ref = ANY(CAST(%(v)b AS "
                        f"{array_type(ORDERS, 'order_ref', conn.dialect)}))",
                        {"c": channel, "v": list(refs)})
            rows: list[Any] = cur.fetchall()
    else:
        o = ORDERS.c
        rows = list(conn.execute(select(o.order_ref, o.record).where(
            o.channel == channel, o.order_ref.in_(list(refs)))))
    return {ref: record_of_json(text) for ref, text in rows}


def sent_records(orders: Sequence[OrderWire]) -> dict[str, OrderRecord]:
    """A request's orders as the records the ledger checks and keeps, by ref (the first
    copy of a ref: :func:`check_channels` refuses a second one that differs), in the
    request's order: converted once an upload, for the audit and for :func:`store_orders`."""
    records: dict[str, OrderRecord] = {}
    for wire in orders:
        if wire.order_ref not in records:
            records[wire.order_ref] = wire.to_record()
    return records


def store_orders(conn: Connection, caller: Caller, orders: Sequence[OrderWire],
                 received_at: datetime, sent: Mapping[str, OrderRecord] | None = None
                 ) -> list[OrderRecord]:
    """Insert the request's orders in the caller's transaction; an identical copy of one
    the ledger has is ignored, one with other content refuses the whole request. The
    records are returned: the coupons they give are issued once their entries are in
    (``coupons.issue_for_orders``). ``sent``: the orders' records if the caller has them
    (:func:`sent_records`)."""
    if not orders:
        return []
    records = sent_records(orders) if sent is None else sent
    rows: list[dict[str, Any]] = [{
        "channel": caller.device_id, "order_ref": ref, "member_id": r.order.member_id,
        "occurred_at": r.order.occurred_at, "program_version": r.program_version,
        "gross_minor": r.order.gross_minor, "net_paid_minor": r.order.net_paid_minor,
        "record": record_json(r), "received_at": received_at}
        for ref, r in records.items()]
    written = {row[0] for row in insert_rows(conn, ORDERS, rows, returning=["order_ref"])}
    others = [ref for ref in records if ref not in written]
    for ref, held in records_of(conn, caller.device_id, others).items():
        if held != records[ref]:
            i = next(i for i, wire in enumerate(orders) if wire.order_ref == ref)
            raise LedgerRefusal(422, "order_conflict", f"orders[{i}]: order {ref!r} was "
                                f"recorded on {caller.device_id} with different content")
    return list(records.values())


def orders_with_earn(conn: Connection, channel: str, refs: Collection[str]) -> set[str]:
    """Of these orders of ``channel``, the ones whose base earn the ledger holds: an order's
    other awards, and the coupons it issues, stand only with it."""
    if not refs:
        return set()
    if conn.dialect.name == "postgresql":
        # A look-up of each order's earn (``ux_entries_sale_order``), a subquery per ref:
        # ``order_ref IN (...)``, or EXISTS (a semi-join), was planned as a scan of every
        # earn of the channel, filtered (9 ms at 30,000 entries, growing with the ledger).
        with pg_cursor(conn, named=False) as cur:
            cur.execute("SELECT q.ref FROM unnest(CAST(%(r)b AS text[])) AS q(ref) "
                        "WHERE (SELECT true FROM entries e WHERE e.channel = %(c)s "
                        "AND e.order_ref = q.ref AND e.kind = 'earn' AND e.note IS NULL "
                        "AND e.reverses IS NULL LIMIT 1)", {"c": channel, "r": list(refs)})
            return {row[0] for row in cur.fetchall()}
    e = m.Entry.__table__.c
    return set(conn.execute(select(e.order_ref).where(
        e.channel == channel, e.order_ref.in_(list(refs)), e.kind == EntryKind.EARN.value,
        e.note.is_(None), e.reverses.is_(None))).scalars())


class Orders:
    """The read side: one order, for the channel that recorded it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, caller: Caller, channel: str, order_ref: str) -> OrderWire:
        """A device reads its own channel's orders (the back office any): another's is
        answered as if it did not exist."""
        if caller.kind != "admin" and channel != caller.device_id:
            raise LedgerRefusal(404, "unknown_order", f"no order {order_ref!r} on {channel}")
        with self.engine.connect() as conn:
            found = records_of(conn, channel, [order_ref]).get(order_ref)
        if found is None:
            raise LedgerRefusal(404, "unknown_order", f"no order {order_ref!r} on {channel}")
        return OrderWire.of(found)

"""Orders (``tx.orders``): each sale's record, kept until the ledger has it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, tuple_, update

from kiosk.engine.record import OrderRecord, record_json, record_of_json
from kiosk.store import models as m
from kiosk.store.session import Rows
from kiosk.store.types import to_micros

_O = m.OrderRow.__table__.c
_INSERT = ("INSERT INTO orders (channel, order_ref, member_id, occurred_at, record, on_ledger) "
           "VALUES (?, ?, ?, ?, ?, 0)")


class SqliteOrders(Rows):
    __slots__ = ()

    def add(self, record: OrderRecord) -> None:
        """On the driver connection, in the sale's transaction: SQLAlchemy's own insert cost
        a millisecond a sale (BENCHMARKS.md, durable sale)."""
        order = record.order
        self._raw().execute(_INSERT, (
            order.channel, order.order_ref,
            None if order.member_id is None else order.member_id.bytes,
            to_micros(order.occurred_at), record_json(record)))

    def get(self, channel: str, order_ref: str) -> OrderRecord | None:
        text = self.conn.execute(select(_O.record).where(
            _O.channel == channel, _O.order_ref == order_ref)).scalar()
        return None if text is None else record_of_json(text)

    def to_upload(self, keys: Iterable[tuple[str, str]]) -> list[OrderRecord]:
        wanted = list(set(keys))
        if not wanted:
            return []
        rows = self.conn.execute(select(_O.record).where(
            _O.on_ledger.is_(False), tuple_(_O.channel, _O.order_ref).in_(wanted)))
        return [record_of_json(r) for r in rows.scalars()]

    def unsent(self, limit: int) -> list[OrderRecord]:
        rows = self.conn.execute(select(_O.record).where(_O.on_ledger.is_(False))
                                 .order_by(_O.occurred_at).limit(limit))
        return [record_of_json(r) for r in rows.scalars()]

    def mark_on_ledger(self, keys: Iterable[tuple[str, str]]) -> None:
        wanted = list(set(keys))
        if wanted:
            self.conn.execute(update(m.OrderRow).where(
                tuple_(_O.channel, _O.order_ref).in_(wanted)).values(on_ledger=True))

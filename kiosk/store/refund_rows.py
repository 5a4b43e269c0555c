"""Refunds by line (``tx.refunds``): each refund of some of an order's lines, kept until
the ledger has it (it checks the refund's reversals against it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select, tuple_, update

from kiosk.engine.refunds import Refund, refund_json, refund_of_json
from kiosk.store import models as m
from kiosk.store.session import Rows
from kiosk.store.types import to_micros

_R = m.RefundRow.__table__.c


class SqliteRefunds(Rows):
    __slots__ = ()

    def add(self, refund: Refund) -> None:
        self._raw().execute(
            "INSERT INTO refunds (id, channel, order_ref, occurred_at, record, on_ledger) "
            "VALUES (?, ?, ?, ?, ?, 0)",
            (refund.id.bytes, refund.channel, refund.order_ref,
             to_micros(refund.occurred_at), refund_json(refund)))

    def of_order(self, channel: str, order_ref: str) -> list[Refund]:
        rows = self.conn.execute(select(_R.record).where(
            _R.channel == channel, _R.order_ref == order_ref).order_by(_R.occurred_at, _R.id))
        return [refund_of_json(r) for r in rows.scalars()]

    def to_upload(self, keys: Iterable[tuple[str, str]]) -> list[Refund]:
        wanted = list(set(keys))
        if not wanted:
            return []
        rows = self.conn.execute(select(_R.record).where(
            _R.on_ledger.is_(False), tuple_(_R.channel, _R.order_ref).in_(wanted))
            .order_by(_R.occurred_at, _R.id))
        return [refund_of_json(r) for r in rows.scalars()]

    def unsent(self, limit: int) -> list[Refund]:
        rows = self.conn.execute(select(_R.record).where(_R.on_ledger.is_(False))
                                 .order_by(_R.occurred_at, _R.id).limit(limit))
        return [refund_of_json(r) for r in rows.scalars()]

    def mark_on_ledger(self, ids: Iterable[uuid.UUID]) -> None:
        wanted = list(set(ids))
        if wanted:
            self.conn.execute(update(m.RefundRow).where(_R.id.in_(wanted))
                              .values(on_ledger=True))

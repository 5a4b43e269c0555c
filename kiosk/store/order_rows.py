"""Orders (``tx.orders``): each sale's record, kept until the ledger has it, and the
coupons the member orders issued."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, tuple_, update

from kiosk.engine.orders import CouponIssue
from kiosk.engine.record import OrderRecord, record_json, record_of_json
from kiosk.records import KeptCoupon
from kiosk.store import models as m
from kiosk.store.session import Rows
from kiosk.store.types import DamagedValue, from_micros, to_micros

_O = m.OrderRow.__table__.c
_C = m.CouponRow.__table__.c
_COUPONS = ("SELECT rule, once, valid_from, expires_at FROM coupons WHERE member_id = ? "
            "AND expires_at > ? AND used_at IS NULL ORDER BY expires_at, id")
_COUPON = ("SELECT member_id, rule, once, valid_from, expires_at, used_by FROM coupons "
           "WHERE id = ?")
# One conditional update: of two checkouts taking one coupon, one wins.
_USE_COUPON = ("UPDATE coupons SET used_at = ?, used_by = ? WHERE id = ? "
               "AND (used_by IS NULL OR used_by = ?)")
# A coupon two orders issue under one derived id (two kiosks' copies) is one coupon.
_INSERT_COUPON = ("INSERT OR IGNORE INTO coupons (id, member_id, rule, once, valid_from, "
                  "expires_at) VALUES (?, ?, ?, ?, ?, ?)")
_INSERT = ("INSERT INTO orders (channel, order_ref, member_id, occurred_at, record, on_ledger) "
           "VALUES (?, ?, ?, ?, ?, 0)")


def order_of_row(record: str | bytes, channel: str, order_ref: str) -> OrderRecord:
    """An order's stored record back: one that doesn't read is a :class:`DamagedValue`
    naming the order (a storage error, not a ValueError: the cashier's input is fine)."""
    try:
        return record_of_json(record)
    except ValueError as exc:
        raise DamagedValue(f"orders row {channel!r}/{order_ref!r}", exc) from None


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
        if record.coupons and order.member_id is not None:
            self.add_coupons(order.member_id, record.coupons)

    def add_coupons(self, member_id: uuid.UUID, coupons: Iterable[CouponIssue]) -> None:
        self._raw().executemany(_INSERT_COUPON, [
            (c.id_for(member_id).bytes, member_id.bytes, c.rule, c.once,
             to_micros(c.valid_from), to_micros(c.expires_at)) for c in coupons])

    def withdraw_coupons(self, member_id: uuid.UUID, coupons: Iterable[CouponIssue]) -> None:
        self._raw().executemany("DELETE FROM coupons WHERE id = ?",
                                [(c.id_for(member_id).bytes,) for c in coupons])

    def coupons(self, member_id: uuid.UUID, at: datetime) -> list[CouponIssue]:
        """Plain SQL: the member screen reads it on every scan."""
        rows = self._raw().execute(_COUPONS, (member_id.bytes, to_micros(at)))
        return [CouponIssue(rule, once, from_micros(start), from_micros(end))
                for rule, once, start, end in rows]

    def coupon(self, coupon_id: uuid.UUID) -> KeptCoupon | None:
        row = self._raw().execute(_COUPON, (coupon_id.bytes,)).fetchone()
        if row is None:
            return None
        member, rule, once, start, end, used_by = row
        return KeptCoupon(uuid.UUID(bytes=member),
                          CouponIssue(rule, once, from_micros(start), from_micros(end)), used_by)

    def use_coupon(self, coupon_id: uuid.UUID, order_ref: str, at: datetime) -> bool:
        cursor = self._raw().execute(_USE_COUPON, (to_micros(at), order_ref, coupon_id.bytes,
                                                   order_ref))
        return cursor.rowcount == 1

    def release_coupon(self, coupon_id: uuid.UUID, order_ref: str) -> None:
        self._raw().execute("UPDATE coupons SET used_at = NULL, used_by = NULL WHERE id = ? "
                            "AND used_by = ?", (coupon_id.bytes, order_ref))

    def get(self, channel: str, order_ref: str) -> OrderRecord | None:
        """Plain SQL: a checkout asks it first, whether it was rung up before."""
        row = self._raw().execute("SELECT record FROM orders WHERE channel = ? AND "
                                  "order_ref = ?", (channel, order_ref)).fetchone()
        return None if row is None else order_of_row(row[0], channel, order_ref)

    def to_upload(self, keys: Iterable[tuple[str, str]]) -> list[OrderRecord]:
        wanted = list(set(keys))
        if not wanted:
            return []
        rows = self.conn.execute(select(_O.record, _O.channel, _O.order_ref).where(
            _O.on_ledger.is_(False), tuple_(_O.channel, _O.order_ref).in_(wanted)))
        return [order_of_row(*r) for r in rows]

    def unsent(self, limit: int) -> list[OrderRecord]:
        rows = self.conn.execute(select(_O.record, _O.channel, _O.order_ref)
                                 .where(_O.on_ledger.is_(False))
                                 .order_by(_O.occurred_at).limit(limit))
        return [order_of_row(*r) for r in rows]

    def mark_on_ledger(self, keys: Iterable[tuple[str, str]]) -> None:
        wanted = list(set(keys))
        if wanted:
            self.conn.execute(update(m.OrderRow).where(
                tuple_(_O.channel, _O.order_ref).in_(wanted)).values(on_ledger=True))

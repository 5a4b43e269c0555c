"""The ledger as this kiosk holds it (``tx.entries``): appends, and what is derived from
the entries (balances, tier spend, a sale's state, orders, the day's figures).

Appends, a sale's state and the tier spend are plain SQL on the driver connection: this
is every sale's path, and building statements in the SQLAlchemy layer cost more than
SQLite's own commit (BENCHMARKS.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import and_, func, select

from kiosk.engine.orders import CARD_WALLET
from kiosk.ledger import SPEND_KINDS, Entry, EntryKind
from kiosk.records import SaleState, SpendFloor
from kiosk.store import models as m
from kiosk.store.columns import (
    ENTRY_LIST,
    ENTRY_TABLE_COLUMNS,
    INSERT_ENTRY,
    entry_of_params,
    entry_of_row,
    entry_params,
)
from kiosk.store.session import Rows
from kiosk.store.types import DamagedValue, from_micros, to_micros
from kiosk.tiers import TIER_POINT_KINDS
from kiosk.wallets import LotRow

_ENTRIES = m.LedgerEntry.__table__
_E = _ENTRIES.c
_MEMBERS = m.Member.__table__
_BALANCES = m.Balance.__table__
_REJECTIONS = m.Rejection.__table__

# Spend the ledger refused (or this kiosk held back) is not the member's: it leaves the
# tier's sum. With no refusals (the usual store) the second sum reads an empty table. Nor
# is spend on an entry that is no sale (an older ledger's): the third sum, read from its
# partial index (migration 0015), empty in the usual store.
# Parameters: member, since, member, since, member, since.
_SPEND_KINDS = "(" + ", ".join(f"'{k.value}'" for k in sorted(SPEND_KINDS)) + ")"
TIER_SPEND = (
    "(SELECT COALESCE(SUM(amount_minor), 0) FROM entries "
    " WHERE member_id = ? AND occurred_at >= ?) - "
    "(SELECT COALESCE(SUM(e.amount_minor), 0) FROM rejections r "
    " JOIN entries e ON e.id = r.entry_id WHERE e.member_id = ? AND e.occurred_at >= ?"
    f" AND e.kind IN {_SPEND_KINDS}) - "
    "(SELECT COALESCE(SUM(amount_minor), 0) FROM entries WHERE member_id = ? "
    f" AND occurred_at >= ? AND amount_minor <> 0 AND kind NOT IN {_SPEND_KINDS})")
_SALE_STATE = (
    "SELECT (SELECT profile_pending FROM members WHERE id = ?), " + TIER_SPEND + ", "
    "(SELECT points FROM balances WHERE member_id = ?), "
    "(SELECT id FROM entries WHERE channel = ? AND order_ref = ? AND kind = 'earn'), "
    "EXISTS (SELECT 1 FROM orders WHERE channel = ? AND order_ref = ?)")

# What the member screen reads, as plain SQL on the driver connection: through SQLAlchemy
# each cost 0.3-0.5 ms more than the query itself (BENCHMARKS.md, identify).
_BALANCE = "SELECT points FROM balances WHERE member_id = ?"
_OF_MEMBER = f"SELECT {ENTRY_LIST} FROM entries WHERE member_id = ? ORDER BY occurred_at, id"
_RECENT = (f"SELECT {ENTRY_LIST} FROM entries WHERE member_id = ? "
           "ORDER BY occurred_at DESC, id DESC LIMIT ?")
_NOT_REFUSED = " AND id NOT IN (SELECT entry_id FROM rejections)"
# What the lots replay (available, pending, expiring): the entries the balance counts, so
# none the ledger refused or this kiosk held back (the rejections_leave_balance trigger
# took them out of the balance), in the ledger's order: its seq, then what it has not
# numbered yet in the order it was made here (the rowid: entries are never deleted, and
# the outbox numbers them in that order), as it will number them. Not by time: an expiry
# is dated when its lot expired, and a spend that reached the ledger after the expiry
# run, dated before it, is replayed after it there.
_LOT_ORDER = " ORDER BY server_seq IS NULL, server_seq, rowid"
_LOT_ENTRIES = (f"SELECT {ENTRY_LIST} FROM entries WHERE member_id = ?" + _NOT_REFUSED
                + _LOT_ORDER)
_LOT_ROWS = ("SELECT id, kind, points, occurred_at, reverses, note, order_ref IS NOT NULL "
             "FROM entries WHERE member_id = ?" + _NOT_REFUSED + _LOT_ORDER)
_TIER_SPEND = ("SELECT occurred_at, amount_minor FROM entries WHERE member_id = ? "
               f"AND occurred_at >= ? AND amount_minor != 0 AND kind IN {_SPEND_KINDS}"
               + _NOT_REFUSED)
_TIER_POINTS = (  # what kiosk.tiers.earns_tier_points counts
    "SELECT occurred_at, points FROM entries WHERE member_id = ? AND occurred_at >= ? "
    "AND order_ref IS NOT NULL AND (kind IN ("
    + ", ".join(f"'{k.value}'" for k in sorted(TIER_POINT_KINDS)) + ") "
    "OR (kind = 'reverse' AND points < 0))" + _NOT_REFUSED)
# A punch card's stamps: the member's stamp entries, by the card their note names.
_STAMPS = ("SELECT note, SUM(points) FROM entries WHERE member_id = ? AND kind = 'stamp' "
           "AND id NOT IN (SELECT entry_id FROM rejections) GROUP BY note")


# What the offline floor counts as spent: a redemption (a checkout's points among them)
# and a donation, both taken within the floor (kiosk.services.redemption); the ledger
# counts the same (sync/server/floor_limits.py). The index below holds the same kinds.
_FLOOR_KINDS = "kind IN ('redeem', 'donate')"
# The offline floor's three figures in one statement: the balance; this device's
# redemptions and donations for the member on the day (a voided one still counts, which
# errs on the safe side; bounded on both sides, so one dated ahead by a clock set forward
# counts on its own day only); and those waiting for the ledger's answer, from their own
# index (migration 0016; its WHERE is the query's, word for word, or SQLite can't use it).
_SPEND_FLOOR = (
    "SELECT (SELECT points FROM balances WHERE member_id = ?), "
    "(SELECT coalesce(sum(points), 0) FROM entries WHERE member_id = ? AND occurred_at >= ? "
    f"AND occurred_at < ? AND channel = ? AND {_FLOOR_KINDS}), "
    f"(SELECT count(*) FROM entries INDEXED BY ix_entries_pending_spend WHERE {_FLOOR_KINDS} "
    "AND server_seq IS NULL AND NOT EXISTS (SELECT 1 FROM rejections r "
    "WHERE r.entry_id = entries.id))")


class SqliteEntries(Rows):
    __slots__ = ()

    def append(self, entries: Sequence[Entry]) -> None:
        """In the same statement, triggers move the cached balance and put each entry in
        the outbox (migrations 0001 and 0004)."""
        if entries:
            self._raw().executemany(INSERT_ENTRY, [entry_params(e) for e in entries])

    def sale_state(self, member_id: uuid.UUID, since: datetime, channel: str,
                   order_ref: str | None) -> SaleState:
        """Everything a sale must know before it writes, in one query."""
        row = self._raw().execute(_SALE_STATE, (
            member_id.bytes, member_id.bytes, to_micros(since), member_id.bytes,
            to_micros(since), member_id.bytes, to_micros(since), member_id.bytes, channel,
            order_ref, channel, order_ref)).fetchone()
        return SaleState(row[0] is not None, int(row[1]), int(row[2] or 0),
                         None if row[3] is None else uuid.UUID(bytes=row[3]), bool(row[0]),
                         bool(row[4]))

    def balance(self, member_id: uuid.UUID) -> int:
        row = self._raw().execute(_BALANCE, (member_id.bytes,)).fetchone()
        return int(row[0] or 0) if row else 0

    def present(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        wanted = list(ids)
        if not wanted:
            return set()
        return set(self.conn.execute(select(_E.id).where(_E.id.in_(wanted))).scalars())

    def has_purchase(self, member_id: uuid.UUID) -> bool:
        return self.conn.execute(select(_E.id).where(
            _E.member_id == member_id, _E.kind == EntryKind.EARN.value, _E.amount_minor > 0)
            .limit(1)).first() is not None

    def stamps(self, member_id: uuid.UUID) -> dict[str, int]:
        rows = self._raw().execute(_STAMPS, (member_id.bytes,)).fetchall()
        return {note.removeprefix(CARD_WALLET): int(held) for note, held in rows if note}

    def spend_since(self, member_id: uuid.UUID, since: datetime) -> int:
        row = self._raw().execute("SELECT " + TIER_SPEND, (
            member_id.bytes, to_micros(since), member_id.bytes, to_micros(since),
            member_id.bytes, to_micros(since))).fetchone()
        return int(row[0])

    def tier_events(self, member_id: uuid.UUID, since: datetime,
                    basis: Literal["spend", "points"]) -> list[tuple[datetime, int]]:
        """Only under a tier policy other than the window's spend (not a sale's usual
        path): the member's entries since the policy's history bound, by the index on
        (member, time)."""
        rows = self._raw().execute(_TIER_SPEND if basis == "spend" else _TIER_POINTS,
                                   (member_id.bytes, to_micros(since)))
        try:
            return [(from_micros(at), int(amount)) for at, amount in rows]
        except DamagedValue as exc:
            raise exc.at(f"entries of member {member_id}") from None
        except (ValueError, TypeError) as exc:
            raise DamagedValue(f"entries of member {member_id}", exc) from None

    def recent(self, member_id: uuid.UUID, limit: int) -> list[Entry]:
        return [entry_of_params(r) for r in self._raw().execute(_RECENT,
                                                                (member_id.bytes, limit))]

    def of_member(self, member_id: uuid.UUID) -> list[Entry]:
        return [entry_of_params(r) for r in self._raw().execute(_OF_MEMBER,
                                                                (member_id.bytes,))]

    def lot_entries(self, member_id: uuid.UUID) -> list[Entry]:
        return [entry_of_params(r) for r in self._raw().execute(_LOT_ENTRIES,
                                                                (member_id.bytes,))]

    def lot_rows(self, member_id: uuid.UUID) -> list[LotRow]:
        try:
            return [(entry_id, kind, points, from_micros(at), reverses, note, bool(purchase))
                    for entry_id, kind, points, at, reverses, note, purchase
                    in self._raw().execute(_LOT_ROWS, (member_id.bytes,))]
        except DamagedValue as exc:
            raise exc.at(f"entries of member {member_id}") from None

    def sale(self, channel: str, order_ref: str) -> Entry | None:
        row = self.conn.execute(select(*ENTRY_TABLE_COLUMNS).where(
            _E.channel == channel, _E.order_ref == order_ref, _E.kind == EntryKind.EARN.value,
        )).first()
        return None if row is None else entry_of_row(row)

    def of_order(self, channel: str, order_ref: str) -> list[tuple[Entry, int, int]]:
        """An order ref is unique per channel only: another kiosk or the shop may use the
        same one for an order of its own, which is never this order's."""
        back = _ENTRIES.alias("back")

        def undone(column: str) -> Any:
            return (select(func.coalesce(func.sum(back.c[column]), 0))
                    .where(back.c.reverses == _E.id).scalar_subquery())
        rows = self.conn.execute(
            select(*ENTRY_TABLE_COLUMNS, undone("points").label("back_points"),
                   undone("amount_minor").label("back_amount"))
            .where(_E.order_ref == order_ref, _E.channel == channel)
            .order_by(_E.occurred_at, _E.id))
        return [(entry_of_row(r), int(r.back_points), int(r.back_amount)) for r in rows]

    def recent_sales(self, channel: str, member_id: uuid.UUID | None, order_ref: str | None,
                     limit: int) -> list[tuple[str, uuid.UUID, str | None, datetime, int, int,
                                               bool]]:
        part, back = _ENTRIES.alias("part"), _ENTRIES.alias("back")
        points = select(func.coalesce(func.sum(part.c.points), 0)).where(
            part.c.order_ref == _E.order_ref, part.c.channel == _E.channel,
            part.c.kind.not_in([EntryKind.REVERSE.value, EntryKind.STAMP.value])
        ).scalar_subquery()
        query = (select(_E.order_ref, _E.member_id, _MEMBERS.c.name, _E.occurred_at,
                        _E.amount_minor, points,
                        and_(select(back.c.id).where(back.c.reverses == _E.id).exists(),
                             select(func.coalesce(func.sum(back.c.amount_minor), 0))
                             .where(back.c.reverses == _E.id).scalar_subquery()
                             == -_E.amount_minor))
                 .select_from(_ENTRIES.outerjoin(_MEMBERS, _MEMBERS.c.id == _E.member_id))
                 .where(_E.channel == channel, _E.kind == EntryKind.EARN.value,
                        _E.order_ref.is_not(None))
                 .order_by(_E.occurred_at.desc(), _E.id.desc()).limit(limit))
        if member_id is not None:
            query = query.where(_E.member_id == member_id)
        if order_ref is not None:
            query = query.where(_E.order_ref == order_ref)
        return [(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), bool(r[6]))
                for r in self.conn.execute(query)]

    def spend_floor(self, member_id: uuid.UUID, start: datetime, end: datetime,
                    channel: str) -> SpendFloor:
        """Plain SQL, one statement: every offline redemption and checkout reads it."""
        balance, spent, waiting = self._raw().execute(_SPEND_FLOOR, (
            member_id.bytes, member_id.bytes, to_micros(start), to_micros(end),
            channel)).fetchone()
        return SpendFloor(int(balance or 0), -int(spent), int(waiting))

    def since(self, since: datetime, channel: str) -> list[Entry]:
        """What the manager's day figures add up."""
        rows = self.conn.execute(select(*ENTRY_TABLE_COLUMNS).where(
            _E.occurred_at >= since, _E.channel == channel).order_by(_E.occurred_at))
        return [entry_of_row(r) for r in rows]

"""The local store behind the services: typed reads and appends over one SQLite transaction.

Writes go through :meth:`LocalStore.write`, which commits before it returns, so a caller
that got a result back can tell the cashier it is done (DESIGN invariant 3).
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, text, update

from kiosk.ledger import Entry, EntryKind
from kiosk.members import PROFILE, Member
from kiosk.store import models as m
from kiosk.store.checkpoint import AUTOCHECKPOINT_PAGES, Checkpointer
from kiosk.store.disk import DATABASE_ERRORS, storage_error
from kiosk.store.disk import StorageError as StorageError  # where callers import it from
from kiosk.store.staff_rows import StaffRows
from kiosk.store.types import from_micros, to_micros

ACKED_THROUGH = "acked_through"  # the ledger's last acknowledgement mark, in settings


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    device_id: str
    channel: str
    store_name: str
    signing_key: bytes
    certificate: str
    root_public_key: bytes


@dataclass(frozen=True, slots=True)
class CardRecord:
    card_no: str
    member_id: uuid.UUID
    key_id: str
    payload: str
    issued_at: datetime


_E = m.LedgerEntry.__table__.c
_ENTRY_COLUMNS = (_E.id, _E.member_id, _E.kind, _E.points, _E.channel, _E.occurred_at,
                  _E.program_version, _E.order_ref, _E.amount_minor, _E.reverses,
                  _E.reward_id, _E.note, _E.tier, _E.staff)
_ENTRIES = m.LedgerEntry.__table__
_OUTBOX = m.Outbox.__table__
_BALANCES = m.Balance.__table__
_MEMBERS = m.Member.__table__
_CARDS = m.Card.__table__


def _entry(row: Any) -> Entry:
    return Entry(row.id, row.member_id, EntryKind(row.kind), row.points, row.channel,
                 row.occurred_at, row.program_version, row.order_ref, row.amount_minor,
                 row.reverses, row.reward_id, row.note, row.tier, row.staff)


_INSERT_ENTRY = (
    "INSERT INTO entries (id, member_id, kind, points, amount_minor, channel, order_ref, "
    "program_version, occurred_at, reverses, reward_id, note, tier, staff) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_INSERT_PULLED = (
    "INSERT INTO entries (id, member_id, kind, points, amount_minor, channel, order_ref, "
    "program_version, occurred_at, reverses, reward_id, note, tier, staff, server_seq) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
_SET_SERVER_SEQ = "UPDATE entries SET server_seq = ? WHERE id = ? AND server_seq IS NULL"
_INSERT_REJECTION = ("INSERT OR IGNORE INTO rejections (entry_id, reason, rejected_at) "
                     "VALUES (?, ?, ?)")
_SETTLED = (  # an outbox row whose entry the ledger has answered for
    "(entry_id IS NULL OR EXISTS (SELECT 1 FROM entries e WHERE e.id = outbox.entry_id "
    "AND e.server_seq IS NOT NULL) OR EXISTS (SELECT 1 FROM rejections r "
    "WHERE r.entry_id = outbox.entry_id))")
_CLEARED = ("SELECT count(*) FROM outbox WHERE device_seq <= ? AND entry_id IS NOT NULL AND "
            + _SETTLED)
_CLEAR_OUTBOX = "DELETE FROM outbox WHERE device_seq < ? AND " + _SETTLED
_TOMBSTONE = "UPDATE outbox SET entry_id = NULL WHERE device_seq = ? AND " + _SETTLED
# Spend the ledger refused (or this kiosk held back) is not the member's: it leaves the
# tier's sum. With no refusals (the usual store) the second sum reads an empty table.
# Parameters: member, since, member, since.
_TIER_SPEND = (
    "(SELECT COALESCE(SUM(amount_minor), 0) FROM entries "
    " WHERE member_id = ? AND occurred_at >= ?) - "
    "(SELECT COALESCE(SUM(e.amount_minor), 0) FROM rejections r "
    " JOIN entries e ON e.id = r.entry_id WHERE e.member_id = ? AND e.occurred_at >= ?)")
_SALE_STATE = (
    "SELECT (SELECT profile_pending FROM members WHERE id = ?), " + _TIER_SPEND + ", "
    "(SELECT points FROM balances WHERE member_id = ?), "
    "(SELECT id FROM entries WHERE channel = ? AND order_ref = ? AND kind = 'earn')")


_OUTBOX_BATCH = (
    "SELECT o.device_seq, e.id, e.member_id, e.kind, e.points, e.amount_minor, e.channel, "
    "e.order_ref, e.program_version, e.occurred_at, e.reverses, e.reward_id, e.note, e.tier, "
    "e.staff FROM outbox o JOIN entries e ON e.id = o.entry_id WHERE o.device_seq > ? "
    "ORDER BY o.device_seq LIMIT ?")


def _entry_of_params(row: Sequence[Any]) -> Entry:
    """The inverse of :func:`_params`: an entry from its stored columns."""
    (id_, member, kind, points, amount, channel, order_ref, version, micros, reverses,
     reward, note, tier, staff) = row
    return Entry(uuid.UUID(bytes=id_), uuid.UUID(bytes=member), EntryKind(kind), points,
                 channel, from_micros(micros), version, order_ref, amount,
                 uuid.UUID(bytes=reverses) if reverses else None, reward, note, tier,
                 staff)


def _params(e: Entry) -> tuple[Any, ...]:
    return (e.id.bytes, e.member_id.bytes, e.kind.value, e.points, e.amount_minor, e.channel,
            e.order_ref, e.program_version, to_micros(e.occurred_at),
            e.reverses.bytes if e.reverses else None, e.reward_id, e.note, e.tier,
            e.staff)


@dataclass(frozen=True, slots=True)
class SaleState:
    member_known: bool
    spend_minor: int  # net spend in the tier window
    balance: int
    earlier_sale: uuid.UUID | None  # this order's earn entry, if it was rung up before
    profile_pending: bool = False  # known here only by another store's card


def _member(row: Any) -> Member:
    return Member(row.id, row.name, row.phone, row.enrolled_at, row.channel, row.birthday,
                  row.referrer_id, bool(row.consent), bool(row.profile_pending))


class Transaction:
    """One open transaction; every method is a single purposeful query."""

    def __init__(self, conn: Connection, driver: sqlite3.Connection | None = None) -> None:
        self.conn = conn
        self._driver = driver

    def _raw(self) -> sqlite3.Connection:
        """The driver connection, inside this same transaction, for the sale's hot path."""
        if self._driver is None:
            driver = self.conn.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            self._driver = driver
        return self._driver

    @property
    def staff(self) -> StaffRows:
        """Staff and the audit trail, in this same transaction."""
        return StaffRows(self.conn)

    # -- device, program, trust -----------------------------------------------------------
    def device(self) -> DeviceRecord | None:
        row = self.conn.execute(select(m.Device).where(m.Device.id == 1)).first()
        if row is None:
            return None
        return DeviceRecord(row.device_id, row.channel, row.store_name, row.signing_key,
                            row.certificate, row.root_public_key)

    def create_device(self, record: DeviceRecord, created_at: datetime) -> None:
        self.conn.execute(insert(m.Device).values(
            id=1, device_id=record.device_id, channel=record.channel,
            store_name=record.store_name, created_at=created_at,
            signing_key=record.signing_key, certificate=record.certificate,
            root_public_key=record.root_public_key, next_card_serial=1))

    def take_card_serial(self) -> int:
        return int(self.conn.execute(
            update(m.Device).where(m.Device.id == 1)
            .values(next_card_serial=m.Device.next_card_serial + 1)
            .returning(m.Device.next_card_serial - 1)).scalar_one())

    def setting(self, key: str) -> str | None:
        return self.conn.execute(select(m.Setting.value).where(m.Setting.key == key)).scalar()

    def set_setting(self, key: str, value: str) -> None:
        from sqlalchemy.dialects.sqlite import insert as upsert

        stmt = upsert(m.Setting).values(key=key, value=value)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["key"],
                                                     set_={"value": value}))

    def install_program(self, version: str, document: str, at: datetime) -> None:
        exists = self.conn.execute(select(m.ProgramVersion.version)
                                   .where(m.ProgramVersion.version == version)).first()
        if exists is None:
            self.conn.execute(insert(m.ProgramVersion).values(
                version=version, document=document, installed_at=at))
        self.set_setting("program_version", version)

    def program_document(self) -> str | None:
        version = self.setting("program_version")
        return self.conn.execute(select(m.ProgramVersion.document)
                                 .where(m.ProgramVersion.version == version)).scalar()

    def add_certificate(self, key_id: str, document: str) -> None:
        self.conn.execute(insert(m.Certificate).values(key_id=key_id, document=document))

    def upsert_certificate(self, key_id: str, document: str, revoked: bool) -> None:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(m.Certificate).values(key_id=key_id, document=document,
                                                   revoked=revoked)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["key_id"],
                                                     set_={"revoked": revoked}))

    def certificates(self) -> list[tuple[str, bool]]:
        rows = self.conn.execute(select(m.Certificate.document, m.Certificate.revoked))
        return [(r.document, bool(r.revoked)) for r in rows]

    def revoked_cards(self) -> frozenset[str]:
        return frozenset(self.conn.execute(select(m.RevokedCard.card_no)).scalars())

    def revoke_card(self, card_no: str, at: datetime) -> None:
        self.conn.execute(insert(m.RevokedCard).values(card_no=card_no, revoked_at=at)
                          .prefix_with("OR IGNORE"))

    # -- members and cards ----------------------------------------------------------------
    def member(self, member_id: uuid.UUID) -> Member | None:
        row = self.conn.execute(select(_MEMBERS).where(_MEMBERS.c.id == member_id)).first()
        return None if row is None else _member(row)

    def member_ids(self) -> list[uuid.UUID]:
        return list(self.conn.execute(select(_MEMBERS.c.id).order_by(_MEMBERS.c.enrolled_at))
                    .scalars())

    def members_with_phone(self, phone: str) -> list[Member]:
        rows = self.conn.execute(select(_MEMBERS).where(_MEMBERS.c.phone == phone))
        return [_member(r) for r in rows]

    def add_member(self, member: Member) -> None:
        self.conn.execute(insert(m.Member).values(
            id=member.id, name=member.name, phone=member.phone, birthday=member.birthday,
            enrolled_at=member.enrolled_at, channel=member.channel,
            referrer_id=member.referrer_id, consent=member.consent,
            profile_pending=member.profile_pending))

    def complete_profiles(self, members: Sequence[Member]) -> None:
        """Members known here only by a card (``profile_pending``) take the profile their
        own store enrolled them with; complete profiles are never overwritten."""
        if members:
            self.conn.execute(
                update(m.Member).where(m.Member.id == bindparam("member"),
                                       m.Member.profile_pending.is_(True))
                .values({**{f: bindparam(f"p_{f}") for f in PROFILE}, "profile_pending": False}),
                [{"member": x.id, **{f"p_{f}": getattr(x, f) for f in PROFILE}}
                 for x in members])

    def add_card(self, card: CardRecord) -> None:
        self.conn.execute(insert(m.Card).values(
            card_no=card.card_no, member_id=card.member_id, key_id=card.key_id,
            payload=card.payload, issued_at=card.issued_at))

    def cards_of(self, member_id: uuid.UUID) -> list[CardRecord]:
        rows = self.conn.execute(select(_CARDS).where(_CARDS.c.member_id == member_id)
                                 .order_by(_CARDS.c.issued_at))
        return [CardRecord(r.card_no, r.member_id, r.key_id, r.payload, r.issued_at)
                for r in rows]

    def card(self, card_no: str) -> CardRecord | None:
        r = self.conn.execute(select(_CARDS).where(_CARDS.c.card_no == card_no)).first()
        return None if r is None else CardRecord(r.card_no, r.member_id, r.key_id, r.payload,
                                                 r.issued_at)

    # -- ledger ---------------------------------------------------------------------------
    def append(self, entries: Sequence[Entry]) -> None:
        """Append entries made here: in the same statement, triggers move the cached balance
        and put each entry in the outbox (migrations 0001 and 0004).

        Plain SQL on purpose: this is every sale's path, and building statements in the
        SQLAlchemy layer cost more than SQLite's own commit (see BENCHMARKS.md)."""
        if entries:
            self._raw().executemany(_INSERT_ENTRY, [_params(e) for e in entries])

    def sale_state(self, member_id: uuid.UUID, since: datetime, channel: str,
                   order_ref: str | None) -> SaleState:
        """Everything a sale must know before it writes, in one query."""
        row = self._raw().execute(_SALE_STATE, (
            member_id.bytes, member_id.bytes, to_micros(since), member_id.bytes,
            to_micros(since), member_id.bytes, channel, order_ref)).fetchone()
        return SaleState(row[0] is not None, int(row[1]), int(row[2] or 0),
                         None if row[3] is None else uuid.UUID(bytes=row[3]), bool(row[0]))

    def balance(self, member_id: uuid.UUID) -> int:
        value = self.conn.execute(select(_BALANCES.c.points)
                                  .where(_BALANCES.c.member_id == member_id)).scalar()
        return int(value or 0)

    def spend_since(self, member_id: uuid.UUID, since: datetime) -> int:
        """Net spend in the tier window, leaving out what the ledger refused."""
        row = self._raw().execute("SELECT " + _TIER_SPEND, (
            member_id.bytes, to_micros(since), member_id.bytes, to_micros(since))).fetchone()
        return int(row[0])

    def recent_entries(self, member_id: uuid.UUID, limit: int) -> list[Entry]:
        rows = self.conn.execute(select(*_ENTRY_COLUMNS).where(_E.member_id == member_id)
                                 .order_by(_E.occurred_at.desc(), _E.id.desc()).limit(limit))
        return [_entry(r) for r in rows]

    def member_entries(self, member_id: uuid.UUID) -> list[Entry]:
        rows = self.conn.execute(select(*_ENTRY_COLUMNS).where(_E.member_id == member_id)
                                 .order_by(_E.occurred_at, _E.id))
        return [_entry(r) for r in rows]

    def sale_entry(self, channel: str, order_ref: str) -> Entry | None:
        row = self.conn.execute(select(*_ENTRY_COLUMNS).where(
            _E.channel == channel, _E.order_ref == order_ref, _E.kind == EntryKind.EARN.value,
        )).first()
        return None if row is None else _entry(row)

    def order_entries(self, channel: str, order_ref: str) -> list[tuple[Entry, bool]]:
        """Every entry of ``channel``'s order ``order_ref``, each with whether it is already
        reversed. An order ref is unique per channel only: another kiosk or the shop may
        use the same one for an order of its own, which is never this order's."""
        reversal = m.LedgerEntry.__table__.alias("reversal")
        rows = self.conn.execute(
            select(*_ENTRY_COLUMNS, reversal.c.id.label("reversed_by"))
            .outerjoin(reversal, reversal.c.reverses == _E.id)
            .where(_E.order_ref == order_ref, _E.channel == channel)
            .order_by(_E.occurred_at, _E.id))
        return [(_entry(r), r.reversed_by is not None) for r in rows]

    def recent_sales(self, channel: str, member_id: uuid.UUID | None, order_ref: str | None,
                     limit: int) -> list[tuple[str, uuid.UUID, str | None, datetime, int, int,
                                               bool]]:
        """``channel``'s sales (earn entries with an order ref), newest first, optionally one
        member's or one order's: (order ref, member, name, time, amount, the points of the
        order's entries but reversals, refunded)."""
        part, back = _ENTRIES.alias("part"), _ENTRIES.alias("back")
        points = select(func.coalesce(func.sum(part.c.points), 0)).where(
            part.c.order_ref == _E.order_ref, part.c.channel == _E.channel,
            part.c.kind != EntryKind.REVERSE.value).scalar_subquery()
        query = (select(_E.order_ref, _E.member_id, _MEMBERS.c.name, _E.occurred_at,
                        _E.amount_minor, points, select(back.c.id)
                        .where(back.c.reverses == _E.id).exists())
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

    def redeemed_between(self, member_id: uuid.UUID, start: datetime, end: datetime,
                         channel: str) -> int:
        """Points this device redeemed for the member dated in [start, end); a voided
        redemption still counts, which errs on the safe side of an offline limit. Bounded
        on both sides: one dated in the future by a clock set ahead counts on its own day,
        not on every day until then."""
        spent = self.conn.execute(
            select(func.coalesce(func.sum(_E.points), 0)).where(
                _E.member_id == member_id, _E.occurred_at >= start, _E.occurred_at < end,
                _E.channel == channel, _E.kind.in_([EntryKind.REDEEM.value]))).scalar_one()
        return -int(spent)

    def entries_since(self, since: datetime, channel: str) -> list[Entry]:
        """This device's entries since ``since``: what the manager's day figures add up."""
        rows = self.conn.execute(select(*_ENTRY_COLUMNS).where(
            _E.occurred_at >= since, _E.channel == channel).order_by(_E.occurred_at))
        return [_entry(r) for r in rows]

    def members_enrolled_since(self, since: datetime, channel: str) -> int:
        return int(self.conn.execute(select(func.count()).select_from(_MEMBERS).where(
            _MEMBERS.c.enrolled_at >= since, _MEMBERS.c.channel == channel)).scalar_one())

    def pending_redemptions(self) -> int:
        return int(self.conn.execute(
            select(func.count()).select_from(_OUTBOX.join(_ENTRIES, _ENTRIES.c.id ==
                                                          _OUTBOX.c.entry_id))
            .where(_E.kind == EntryKind.REDEEM.value)).scalar_one())

    def outbox_size(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(_OUTBOX)
                                     .where(_OUTBOX.c.entry_id.is_not(None))).scalar_one())

    # -- sync -----------------------------------------------------------------------------
    def outbox_batch(self, limit: int, after: int = 0) -> list[tuple[int, Entry]]:
        """The oldest entries not yet acknowledged (numbered above ``after``), with this
        device's number for each. Plain SQL: a 100,000-entry backlog goes through here
        500 rows at a time."""
        rows = self._raw().execute(_OUTBOX_BATCH, (after, limit))
        return [(row[0], _entry_of_params(row[1:])) for row in rows]

    def members_by_id(self, ids: Iterable[uuid.UUID]) -> list[Member]:
        rows = self.conn.execute(select(_MEMBERS).where(_MEMBERS.c.id.in_(set(ids))))
        return [_member(r) for r in rows]

    def cards_of_members(self, ids: Iterable[uuid.UUID]) -> list[CardRecord]:
        rows = self.conn.execute(select(_CARDS).where(_CARDS.c.member_id.in_(set(ids))))
        return [CardRecord(r.card_no, r.member_id, r.key_id, r.payload, r.issued_at)
                for r in rows]

    # Few members and cards are ever waiting for the ledger, and a partial index holds just
    # those, so reading them all and keeping the batch's is one cheap query.
    def members_to_upload(self, ids: Iterable[uuid.UUID]) -> list[Member]:
        """Of ``ids``, the members the ledger doesn't have yet."""
        wanted = set(ids)
        rows = self.conn.execute(select(_MEMBERS).where(text("members.on_ledger = 0")))
        return [_member(r) for r in rows if r.id in wanted]

    def cards_to_upload(self, member_ids: Iterable[uuid.UUID]) -> list[CardRecord]:
        """The cards of these members that the ledger doesn't have yet."""
        wanted = set(member_ids)
        rows = self.conn.execute(select(_CARDS).where(text("cards.on_ledger = 0")))
        return [CardRecord(r.card_no, r.member_id, r.key_id, r.payload, r.issued_at)
                for r in rows if r.member_id in wanted]

    def mark_unsent(self, member_ids: Iterable[uuid.UUID]) -> None:
        """These members and their cards go up again with the next upload that needs
        them (the ledger said it doesn't have one)."""
        raw = self._raw()
        ids = [(i.bytes,) for i in member_ids]
        raw.executemany("UPDATE members SET on_ledger = 0 WHERE id = ?", ids)
        raw.executemany("UPDATE cards SET on_ledger = 0 WHERE member_id = ?", ids)

    def mark_on_ledger(self, member_ids: Iterable[uuid.UUID], card_nos: Iterable[str]) -> None:
        raw = self._raw()
        raw.executemany("UPDATE members SET on_ledger = 1 WHERE id = ?",
                        [(i.bytes,) for i in member_ids])
        raw.executemany("UPDATE cards SET on_ledger = 1 WHERE card_no = ?",
                        [(c,) for c in card_nos])

    def record_acknowledgement(self, synced: Iterable[tuple[uuid.UUID, int]],
                               rejected: Iterable[tuple[uuid.UUID, str]], acked_through: int,
                               at: datetime) -> int:
        """Note the ledger's seq for synced entries and its reasons for rejected ones, and
        clear the outbox below the mark the ledger confirmed; returns rows cleared."""
        raw = self._raw()
        raw.executemany(_SET_SERVER_SEQ, [(seq, entry_id.bytes) for entry_id, seq in synced])
        raw.executemany(_INSERT_REJECTION, [(entry_id.bytes, reason, to_micros(at))
                                            for entry_id, reason in rejected])
        # A row below the mark leaves only once its entry knows its ledger seq (or why the
        # ledger refused it). The mark can cover a batch whose own answer was lost (two in
        # flight, the later one committed first): those rows stay and go up again, and the
        # ledger's "duplicate" answers tell them their seqs (DESIGN invariant 1), which no
        # pull would (the agent pulls with skip_own).
        # Answers come back in order, but a later batch may have been numbered first: its
        # answer's mark can be below one already heard. The highest mark heard counts.
        known = int(self.setting(ACKED_THROUGH) or 0)
        mark = max(acked_through, known)
        cleared = raw.execute(_CLEARED, (mark,)).fetchone()[0]
        raw.execute(_CLEAR_OUTBOX, (mark,))
        # The mark's own row stays as a tombstone: it keeps the next number above it.
        raw.execute(_TOMBSTONE, (mark,))
        if mark > known:
            self.set_setting(ACKED_THROUGH, str(mark))
        return int(cleared)

    def apply_pulled(self, members: Sequence[Member], cards: Sequence[CardRecord],
                     entries: Sequence[tuple[Entry, int]]) -> int:
        """Entries from the ledger (other stores, the shop, our own coming back): new ones
        are appended (the trigger moves balances), known ones get their seq; returns how
        many were new."""
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        # What comes from the ledger is on the ledger, whether we had it already or not.
        if members:
            stmt = sqlite_insert(m.Member).on_conflict_do_update(
                index_elements=["id"], set_={"on_ledger": True})
            self.conn.execute(stmt, [
                {"id": x.id, "name": x.name, "phone": x.phone, "birthday": x.birthday,
                 "enrolled_at": x.enrolled_at, "channel": x.channel,
                 "referrer_id": x.referrer_id, "consent": x.consent, "on_ledger": True,
                 "profile_pending": x.profile_pending}
                for x in members])
            self.complete_profiles([x for x in members if not x.profile_pending])
        if cards:
            stmt = sqlite_insert(m.Card).on_conflict_do_update(
                index_elements=["card_no"], set_={"on_ledger": True})
            self.conn.execute(stmt, [
                {"card_no": c.card_no, "member_id": c.member_id, "key_id": c.key_id,
                 "payload": c.payload, "issued_at": c.issued_at, "on_ledger": True}
                for c in cards])
        raw = self._raw()
        new = raw.executemany(_INSERT_PULLED, [(*_params(e), seq) for e, seq in entries]).rowcount
        # Those already here (ours, coming back) only learn their seq.
        raw.executemany(_SET_SERVER_SEQ, [(seq, e.id.bytes) for e, seq in entries])
        return new

    def quarantine(self, entries: Iterable[tuple[uuid.UUID, str]], at: datetime) -> None:
        """Keep entries back from the ledger, with the reason (they can't be sent, or the
        ledger refused them as a whole request): they stay here, and their numbers go up
        as withheld so the ledger's mark moves past them."""
        self._raw().executemany(_INSERT_REJECTION, [(entry_id.bytes, reason, to_micros(at))
                                                    for entry_id, reason in entries])

    def quarantined(self, entry_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Of ``entry_ids``, those kept back, with the reason."""
        wanted = [i.bytes for i in entry_ids]
        if not wanted:
            return {}
        rows = self._raw().execute(
            f"SELECT entry_id, reason FROM rejections WHERE entry_id IN "
            f"({', '.join('?' * len(wanted))})", wanted)
        return {uuid.UUID(bytes=r[0]): r[1] for r in rows}

    def held_back(self, latest: int, since: datetime) -> tuple[int, list[str]]:
        """How many entries were kept back from the ledger (refused by it, or quarantined
        here) since ``since``, and the reasons of the ``latest`` few."""
        raw, after = self._raw(), to_micros(since)
        count = raw.execute("SELECT count(*) FROM rejections WHERE rejected_at >= ?",
                            (after,)).fetchone()[0]
        reasons = [r[0] for r in raw.execute(
            "SELECT reason FROM rejections WHERE rejected_at >= ? "
            "ORDER BY rejected_at DESC LIMIT ?", (after, latest))]
        return int(count), reasons

    def rejections(self) -> list[tuple[uuid.UUID, str]]:
        rows = self.conn.execute(select(m.Rejection.entry_id, m.Rejection.reason))
        return [(r.entry_id, r.reason) for r in rows]

    # -- verification ---------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Every way the store breaks the ledger's invariants; empty when all is well."""
        found = [f"sqlite: {r[0]}" for r in self.conn.exec_driver_sql("PRAGMA quick_check")
                 if r[0] != "ok"]
        found += [f"sqlite foreign key: {tuple(r)}" for r in
                  self.conn.exec_driver_sql("PRAGMA foreign_key_check")]
        refused = select(m.Rejection.entry_id)  # not on the ledger: not in the balance
        sums = {r[0]: r[1] for r in self.conn.execute(
            select(_E.member_id, func.sum(_E.points)).where(_E.id.not_in(refused))
            .group_by(_E.member_id))}
        cached = {r[0]: r[1] for r in self.conn.execute(
            select(_BALANCES.c.member_id, _BALANCES.c.points))}
        for member_id in sums.keys() | cached.keys():
            if sums.get(member_id, 0) != cached.get(member_id, 0):
                found.append(f"member {member_id}: cached balance {cached.get(member_id)} "
                             f"!= sum of entries {sums.get(member_id, 0)}")
        original = m.LedgerEntry.__table__.alias("original")
        bad_reversals = self.conn.execute(
            select(_E.id).join(original, original.c.id == _E.reverses).where(
                (original.c.points != -_E.points) | (original.c.member_id != _E.member_id)
                | (original.c.amount_minor != -_E.amount_minor)))
        found += [f"entry {r.id}: does not mirror the entry it reverses"
                  for r in bad_reversals]
        for row in self.conn.execute(select(*_ENTRY_COLUMNS)):
            try:
                _entry(row)
            except ValueError as exc:
                found.append(f"entry {row.id}: {exc}")
        # Above the ledger's last mark nothing has been cleared, so every number is there.
        mark = int(self.setting(ACKED_THROUGH) or 0)
        seqs = self.conn.execute(select(func.min(_OUTBOX.c.device_seq),
                                        func.max(_OUTBOX.c.device_seq), func.count())
                                 .where(_OUTBOX.c.device_seq > mark)).one()
        if seqs[2] and seqs[1] - seqs[0] + 1 != seqs[2]:
            found.append(f"outbox: device sequence has gaps ({seqs[2]} rows in "
                         f"{seqs[0]}..{seqs[1]})")
        return found


class LocalStore:
    """Readers take pooled connections; writers share one connection under a lock, since
    SQLite has a single writer anyway and waiting on a lock is cheaper than on SQLITE_BUSY."""

    def __init__(self, engine: Engine, checkpointer: Checkpointer | None = None) -> None:
        self.engine = engine
        self.checkpointer = checkpointer
        self.path = Path(engine.url.database or ".")
        self._write_lock = threading.Lock()
        self._writer: Connection | None = None

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """A read transaction; a disk or database failure (a full disk can't even open the
        WAL) is a StorageError, as for writes."""
        try:
            with self.engine.connect() as conn, conn.begin():
                yield Transaction(conn)
        except DATABASE_ERRORS as exc:
            raise storage_error(exc, self.path) from exc

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """A write transaction that is committed (durably) when the block ends normally.

        The transaction is begun and committed on the driver connection: SQLAlchemy's own
        begin and commit cost a sale more than one of its index pages (BENCHMARKS.md).
        SQLAlchemy statements inside the block still join it (the engine's begin hook sees
        the transaction open), and are committed with it."""
        with self._write_lock:
            try:
                writer = self._writer or self._open_writer()
                driver = writer.connection.driver_connection
                assert isinstance(driver, sqlite3.Connection)
                driver.execute("BEGIN IMMEDIATE")
                try:
                    yield Transaction(writer, driver)
                except BaseException:
                    if writer.in_transaction():
                        writer.rollback()
                    elif driver.in_transaction:
                        driver.execute("ROLLBACK")
                    raise
                if writer.in_transaction():
                    writer.commit()
                else:
                    driver.execute("COMMIT")
            except DATABASE_ERRORS as exc:
                self._drop_writer()
                raise storage_error(exc, self.path) from exc
        if self.checkpointer is not None:
            self.checkpointer.written()

    def _open_writer(self) -> Connection:
        self._writer = self.engine.connect()
        if self.checkpointer is not None:  # it checkpoints between sales
            driver = self._writer.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            driver.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        return self._writer

    def _drop_writer(self) -> None:
        if self._writer is not None:
            self._writer.invalidate()
            self._writer.close()
            self._writer = None

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
        self.engine.dispose()

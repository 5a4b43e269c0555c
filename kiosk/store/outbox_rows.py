"""What waits for the ledger and what came back from it: the outbox, the ledger's
acknowledgements, entries kept back (``tx.outbox``), and entries pulled from the ledger
(``tx.pulled``). Plain SQL where a backlog goes through: a 100,000-entry outbox is read
500 rows at a time."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert as upsert

from kiosk.awards import DERIVED_CHANNEL
from kiosk.ledger import Entry
from kiosk.members import Member
from kiosk.records import ACKED_THROUGH, CardRecord
from kiosk.store import models as m
from kiosk.store.columns import (
    ENTRY_COLUMNS,
    INSERT_PULLED,
    OUTBOX_BATCH,
    card_values,
    entry_of_params,
    entry_params,
    member_values,
)
from kiosk.store.member_rows import SqliteMembers
from kiosk.store.session import Rows, Session
from kiosk.store.settings_rows import get_setting, set_setting
from kiosk.store.types import to_micros

_ENTRIES = m.LedgerEntry.__table__
_OUTBOX = m.Outbox.__table__

SET_SERVER_SEQ = "UPDATE entries SET server_seq = ? WHERE id = ? AND server_seq IS NULL"
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
# The ledger's copy of a once-only award (a derived id, kept once by the ledger: the first
# copy it received) replaces ours where they differ, e.g. ours granted under an older
# program version with another bonus; the same award (member, kind, note) or nothing
# (migration 0014 allows no other change, and moves the balance by the difference).
_AWARD = ("id", "member_id", "kind", "channel", "note")
_CONTENT = tuple(c for c in ENTRY_COLUMNS if c not in _AWARD)
TAKE_LEDGER_COPY = (
    "UPDATE entries SET " + ", ".join(f"{c} = :{c}" for c in _CONTENT)
    + ", server_seq = :seq WHERE id = :id AND channel = :channel "
    "AND member_id = :member_id AND kind = :kind AND note IS :note "
    "AND (server_seq IS NULL OR server_seq = :seq) AND NOT ("
    + " AND ".join(f"{c} IS :{c}" for c in _CONTENT) + ")")


class SqliteOutbox(Rows):
    __slots__ = ()

    def size(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(_OUTBOX)
                                     .where(_OUTBOX.c.entry_id.is_not(None))).scalar_one())

    def batch(self, limit: int, after: int = 0) -> list[tuple[int, Entry]]:
        rows = self._raw().execute(OUTBOX_BATCH, (after, limit))
        return [(row[0], entry_of_params(row[1:])) for row in rows]

    def mark_unsent(self, member_ids: Iterable[uuid.UUID]) -> None:
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

    def acknowledge(self, synced: Iterable[tuple[uuid.UUID, int]],
                    rejected: Iterable[tuple[uuid.UUID, str]], acked_through: int,
                    at: datetime) -> int:
        raw = self._raw()
        raw.executemany(SET_SERVER_SEQ, [(seq, entry_id.bytes) for entry_id, seq in synced])
        raw.executemany(_INSERT_REJECTION, [(entry_id.bytes, reason, to_micros(at))
                                            for entry_id, reason in rejected])
        # A row below the mark leaves only once its entry knows its ledger seq (or why the
        # ledger refused it). The mark can cover a batch whose own answer was lost (two in
        # flight, the later one committed first): those rows stay and go up again, and the
        # ledger's "duplicate" answers tell them their seqs (DESIGN invariant 1), which no
        # pull would (the agent pulls with skip_own).
        # Answers come back in order, but a later batch may have been numbered first: its
        # answer's mark can be below one already heard. The highest mark heard counts.
        known = int(get_setting(self.conn, ACKED_THROUGH) or 0)
        mark = max(acked_through, known)
        cleared = raw.execute(_CLEARED, (mark,)).fetchone()[0]
        raw.execute(_CLEAR_OUTBOX, (mark,))
        # The mark's own row stays as a tombstone: it keeps the next number above it.
        raw.execute(_TOMBSTONE, (mark,))
        if mark > known:
            set_setting(self.conn, ACKED_THROUGH, str(mark))
        return int(cleared)

    def quarantine(self, entries: Iterable[tuple[uuid.UUID, str]], at: datetime) -> None:
        """They stay here, and their numbers go up as withheld so the ledger's mark moves
        past them."""
        self._raw().executemany(_INSERT_REJECTION, [(entry_id.bytes, reason, to_micros(at))
                                                    for entry_id, reason in entries])

    def quarantined(self, entry_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        wanted = [i.bytes for i in entry_ids]
        if not wanted:
            return {}
        rows = self._raw().execute(
            f"SELECT entry_id, reason FROM rejections WHERE entry_id IN "
            f"({', '.join('?' * len(wanted))})", wanted)
        return {uuid.UUID(bytes=r[0]): r[1] for r in rows}

    def held_back(self, latest: int, since: datetime) -> tuple[int, list[str]]:
        """Refused by the ledger, or quarantined here."""
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


class SqlitePulled(Rows):
    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._session = session

    def apply(self, members: Sequence[Member], cards: Sequence[CardRecord],
              entries: Sequence[tuple[Entry, int]]) -> int:
        """New entries are appended (the trigger moves balances), known ones get their
        seq, and the ledger's copy of a once-only award replaces ours; returns how many
        were new."""
        # What comes from the ledger is on the ledger, whether we had it already or not.
        if members:
            stmt = upsert(m.Member).on_conflict_do_update(
                index_elements=["id"], set_={"on_ledger": True})
            self.conn.execute(stmt, [{**member_values(x), "on_ledger": True} for x in members])
            SqliteMembers(self._session).complete_profiles(
                [x for x in members if not x.profile_pending])
        if cards:
            # A number we hold already is on the ledger if the ledger's card is ours; a
            # different card under it (a ledger that kept rows unchecked, review 27) is
            # skipped: our card stays as issued, and waits to go up if it hasn't.
            card = upsert(m.Card)
            stmt = card.on_conflict_do_update(
                index_elements=["card_no"], set_={"on_ledger": True},
                where=(m.Card.member_id == card.excluded.member_id)
                & (m.Card.payload == card.excluded.payload))
            self.conn.execute(stmt, [{**card_values(c), "on_ledger": True} for c in cards])
        raw = self._raw()
        new = raw.executemany(INSERT_PULLED,
                              [(*entry_params(e), seq) for e, seq in entries]).rowcount
        # Those already here (ours, coming back) only learn their seq.
        raw.executemany(SET_SERVER_SEQ, [(seq, e.id.bytes) for e, seq in entries])
        derived = [{**dict(zip(ENTRY_COLUMNS, entry_params(e), strict=True)), "seq": seq}
                   for e, seq in entries if e.channel == DERIVED_CHANNEL]
        if derived:
            raw.executemany(TAKE_LEDGER_COPY, derived)
        return new

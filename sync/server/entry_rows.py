"""An entry as the ledger's ``entries`` table holds it, and back: the one mapping between
the wire's :class:`~sync.protocol.EntryWire` and a row, shared by ingest (which writes and
compares rows), the pull and the shop's look-ups (which read them)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from kiosk.ledger import Entry
from kiosk.wallets import LotRow
from sync.protocol import ENTRY_FIELDS, EntryWire
from sync.server import models as m

ENTRIES: Table = m.Entry.__table__  # type: ignore[assignment]


def wire_row(e: EntryWire) -> dict[str, Any]:
    """The row's columns that the entry's sender decides (not seq, device or receipt)."""
    row = {name: getattr(e, name) for name in ENTRY_FIELDS}
    row["kind"] = e.kind.value
    return row


def wire_of_row(row: Any) -> EntryWire:
    return EntryWire(**{name: getattr(row, name) for name in ENTRY_FIELDS}, seq=row.seq)


def as_utc(at: datetime) -> datetime:
    """A time as a row gives it back, in UTC: SQLite's comes back naive (it is UTC; the
    zone is lost), PostgreSQL's aware in the session's zone."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def member_lot_rows(conn: Connection, member_id: uuid.UUID) -> list[LotRow]:
    """The member's entries as the lots read them, in the ledger's order: a regular's
    thousands of entries are replayed at every hold, and as plain rows, not entries."""
    E = ENTRIES.c
    rows = conn.execute(select(E.id, E.kind, E.points, E.occurred_at, E.reverses, E.note,
                               E.order_ref).where(E.member_id == member_id).order_by(E.seq))
    return [(i.bytes, kind, points, as_utc(at), None if back is None else back.bytes,
             note, order_ref is not None)
            for i, kind, points, at, back, note, order_ref in rows]


def member_entries(conn: Connection, member_id: uuid.UUID) -> list[Entry]:
    """The member's entries, in the ledger's order (the full replay's, for a history with
    a reversal)."""
    return [wire_of_row(r).to_entry() for r in conn.execute(
        select(ENTRIES).where(ENTRIES.c.member_id == member_id).order_by(ENTRIES.c.seq))]

"""An entry as the ledger's ``entries`` table holds it, and back: the one mapping between
the wire's :class:`~sync.protocol.EntryWire` and a row, shared by ingest (which writes and
compares rows), the pull and the shop's look-ups (which read them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table

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

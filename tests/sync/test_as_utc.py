"""A time read back from a ledger row, in UTC whichever database gave it: SQLite's naive
(it is UTC), PostgreSQL's aware in the session's zone. One helper
(``sync.server.entry_rows.as_utc``) for the floor limits and the tier events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sync.server.entry_rows import as_utc

NOON = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize("read", [
    NOON.replace(tzinfo=None),  # SQLite
    NOON.astimezone(timezone(timedelta(hours=8))),  # PostgreSQL in Taipei's zone
    NOON,
])
def test_a_row_time_is_the_same_instant_in_utc(read: datetime) -> None:
    back = as_utc(read)
    assert (back, back.utcoffset()) == (NOON, timedelta(0))

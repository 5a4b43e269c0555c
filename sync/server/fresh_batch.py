"""PostgreSQL's fast path for the usual upload: a batch of entries none of which the
ledger has seen, written with their receipts and the members' balances in one statement.

The careful path (``Ledger._insert_entries``) inserts with ``ON CONFLICT DO NOTHING
RETURNING id`` so that a replayed batch inserts nothing, then sends receipts and balances
as two more statements. On PostgreSQL ``ON CONFLICT`` costs a speculative insertion per
row (measured: 25 ms for 500 entries against 19 ms for a plain insert), and each
statement is another round trip carrying its own arrays. Replays are rare (a crash or a
lost answer), so this path tries a plain insert of everything inside a savepoint: any
unique violation (a replay, an order already recorded, a second reversal) rolls the
savepoint back and the caller takes the careful path, so the outcome is the same either
way and nothing is written twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import psycopg
from sqlalchemy import Connection

from sync.server import models as m
from sync.server.bulk import _array_type, _pg_cursor

_COLUMNS = ("id", "seq", "member_id", "kind", "points", "amount_minor", "channel",
            "order_ref", "program_version", "occurred_at", "reverses", "reward_id", "note",
            "device_id", "device_seq")


def _statement(conn: Connection, receipts: bool) -> str:
    table = m.Entry.__table__
    arrays = ", ".join(f"CAST(%({c})b AS {_array_type(table, c, conn)})" for c in _COLUMNS)
    names = ", ".join(_COLUMNS)
    receipt = ("receipt AS (INSERT INTO receipts (device_id, device_seq, entry_id, status) "
               "SELECT device_id, device_seq, id, 'accepted' FROM batch "
               "WHERE device_seq IS NOT NULL), " if receipts else "")
    return (f"WITH batch AS (SELECT * FROM unnest({arrays}) AS b({names})), "
            f"entry AS (INSERT INTO entries ({names}) SELECT {names} FROM batch), "
            f"{receipt}"
            "total AS (SELECT member_id, sum(points) AS points FROM batch GROUP BY member_id) "
            "INSERT INTO balances (member_id, points) SELECT member_id, points FROM total "
            "ON CONFLICT (member_id) DO UPDATE SET points = balances.points + "
            "excluded.points RETURNING member_id, points")


def append_fresh(conn: Connection, rows: Sequence[dict[str, Any]], *,
                 receipts: bool) -> dict[uuid.UUID, int] | None:
    """Insert ``rows`` (entries with seq, device and device seq) with an "accepted"
    receipt each (when ``receipts``) and move their members' balances; returns each
    member's balance after, or None if any row conflicted, in which case nothing was
    written."""
    savepoint = conn.begin_nested()
    try:
        with _pg_cursor(conn) as cur:
            cur.execute(_statement(conn, receipts),
                        {c: [row[c] for row in rows] for c in _COLUMNS})
            after = {row.member_id: row.points for row in cur.fetchall()}
    except psycopg.errors.UniqueViolation:
        savepoint.rollback()
        return None
    savepoint.commit()
    return after

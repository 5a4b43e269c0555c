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

from sync.protocol import EntryWire
from sync.server import models as m
from sync.server.bulk import array_type

_COLUMNS = ("id", "seq", "member_id", "kind", "points", "amount_minor", "channel",
            "order_ref", "program_version", "occurred_at", "reverses", "reward_id", "note",
            "device_id", "device_seq")


def _statement(conn: Connection, receipts: bool, returning: bool) -> str:
    table = m.Entry.__table__
    arrays = ", ".join(f"CAST(%({c})b AS {array_type(table, c, conn)})" for c in _COLUMNS)
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
            "excluded.points" + (" RETURNING member_id, points" if returning else ""))


def append_fresh(conn: Connection, entries: Sequence[EntryWire], head: int, device_id: str,
                 *, receipts: bool) -> dict[uuid.UUID, int] | None:
    """Insert ``entries`` numbered from ``head`` + 1, with an "accepted" receipt each (when
    ``receipts``), and move their members' balances. Returns the balance after of each
    member who lost points (what overdrafts are judged by), or None if any row conflicted,
    in which case nothing was written."""
    taking = any(e.points < 0 for e in entries)
    arrays: dict[str, list[Any]] = {
        "id": [e.id for e in entries], "seq": list(range(head + 1, head + len(entries) + 1)),
        "member_id": [e.member_id for e in entries], "kind": [e.kind.value for e in entries],
        "points": [e.points for e in entries],
        "amount_minor": [e.amount_minor for e in entries],
        "channel": [e.channel for e in entries], "order_ref": [e.order_ref for e in entries],
        "program_version": [e.program_version for e in entries],
        "occurred_at": [e.occurred_at for e in entries],
        "reverses": [e.reverses for e in entries], "reward_id": [e.reward_id for e in entries],
        "note": [e.note for e in entries], "device_id": [device_id] * len(entries),
        "device_seq": [e.device_seq for e in entries]}
    savepoint = conn.begin_nested()
    try:
        with conn.connection.driver_connection.cursor() as cur:  # type: ignore[union-attr]
            cur.execute(_statement(conn, receipts, taking), arrays)
            after = dict(cur.fetchall()) if taking else {}
    except psycopg.errors.UniqueViolation:
        savepoint.rollback()
        return None
    savepoint.commit()
    return after

"""A ledger database that went bad under a table, on either database: on SQLite the
table's root page overwritten with garbage ("database disk image is malformed"), on
PostgreSQL what it says of a page it can't read (SQLSTATE XX001, data_corrupted), raised
by a view in the table's place (reading it) or a trigger on it (writing it)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Literal

import psycopg
from sqlalchemy.engine import make_url

_DAMAGED = """CREATE FUNCTION damaged() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN
    RAISE EXCEPTION 'invalid page in block 7 of relation base/16384/16401'
        USING ERRCODE = 'data_corrupted';
END $$"""


def damage(db: str, table: str, on: Literal["read", "write"]) -> None:
    """``table`` of the ledger database at ``db`` (a SQLAlchemy URL) fails ``on`` reading
    or writing (SQLite's garbage fails both)."""
    url = make_url(db)
    if url.get_backend_name() == "sqlite":
        assert url.database
        with sqlite3.connect(url.database) as conn:  # everything into the main file
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = conn.execute("PRAGMA page_size").fetchone()[0]
            [root] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                  (table,)).fetchone()
        with Path(url.database).open("r+b") as f:  # a bad sector under the table's root
            f.seek((root - 1) * size)
            f.write(b"\xde\xad\xbe\xef" * (size // 4))
        return
    with psycopg.connect(url.set(drivername="postgresql").render_as_string(False),
                         autocommit=True) as conn:
        conn.execute(_DAMAGED)
        if on == "read":
            conn.execute(f"ALTER TABLE {table} RENAME TO {table}_kept")
            conn.execute(f"CREATE VIEW {table} AS SELECT * FROM {table}_kept "
                         "WHERE (SELECT damaged())")  # once, rows or none
        else:
            conn.execute("CREATE FUNCTION damaged_row() RETURNS trigger LANGUAGE plpgsql AS "
                         "$$ BEGIN PERFORM damaged(); RETURN NEW; END $$")
            conn.execute(f"CREATE TRIGGER damaged BEFORE INSERT ON {table} "
                         "FOR EACH ROW EXECUTE FUNCTION damaged_row()")

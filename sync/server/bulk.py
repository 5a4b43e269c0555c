"""Batch statements whose cost on PostgreSQL does not grow with the batch's shape.

Ingest is dominated by batches of hundreds of rows, and the portable forms cost more in
Python than in the database: a multi-row ``VALUES`` list or an expanding ``IN (...)`` is a
new statement with hundreds of placeholders for every batch size, which SQLAlchemy must
compile and psycopg must parse, and psycopg's text dumper quotes every array element with
a regular expression. So on PostgreSQL these helpers send one array per column in binary
(``unnest`` for inserts, ``= ANY`` for look-ups) on the transaction's own psycopg
connection: the statement text never changes, psycopg prepares it once, and binary arrays
are dumped about four times faster than text ones (measured: 1.3 vs 5.3 ms for a batch of
500). SQLite (the embedded demo ledger) keeps the portable SQLAlchemy forms.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from psycopg.rows import namedtuple_row
from sqlalchemy import Column, Connection, Dialect, select
from sqlalchemy.dialects import sqlite


def pg_cursor(conn: Connection, *, named: bool = True) -> Any:
    """A cursor on the psycopg connection under ``conn``, inside its transaction; rows
    are named tuples, or plain ones where building a name per row costs too much."""
    driver: Any = conn.connection.driver_connection
    return driver.cursor(row_factory=namedtuple_row) if named else driver.cursor()


def array_type(table: Any, column: str, dialect: Dialect) -> str:
    return f"{table.c[column].type.compile(dialect=dialect)}[]"


def insert_rows(conn: Connection, table: Any, rows: Sequence[dict[str, Any]], *,
                conflict: str | None = "DO NOTHING", returning: Sequence[str] = (),
                conflict_target: Sequence[str] = ()) -> list[Any]:
    """Insert ``rows`` (dicts with the same keys) with ``ON CONFLICT [target] <conflict>``
    (None: no conflict clause, a conflict is an error); returns the RETURNING rows (only
    the rows actually written), with attributes named after the columns. On SQLite only
    DO NOTHING and None are supported."""
    if not rows:
        return []
    columns = list(rows[0])
    if conn.dialect.name == "postgresql":
        arrays = ", ".join(f"CAST(%(c{i})b AS {array_type(table, c, conn.dialect)})"
                           for i, c in enumerate(columns))
        target = f" ({', '.join(conflict_target)})" if conflict_target else ""
        sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
               f"SELECT * FROM unnest({arrays})")
        if conflict is not None:
            sql += f" ON CONFLICT{target} {conflict}"
        if returning:
            sql += f" RETURNING {', '.join(returning)}"
        with pg_cursor(conn) as cur:
            cur.execute(sql, {f"c{i}": [row[c] for row in rows] for i, c in enumerate(columns)})
            written: list[Any] = cur.fetchall() if returning else []
            return written
    stmt = sqlite.insert(table)
    if conflict == "DO NOTHING":
        stmt = stmt.on_conflict_do_nothing()
    elif conflict is not None:
        raise NotImplementedError("SQLite callers build their own upserts")
    if returning:
        return list(conn.execute(stmt.returning(*(table.c[c] for c in returning)), rows))
    conn.execute(stmt, list(rows))
    return []


def _any_of(table: Any, key: str, names: Sequence[str], dialect: Dialect) -> str:
    return (f"SELECT {', '.join(names)} FROM {table.name} "
            f"WHERE {key} = ANY(CAST(%(v)b AS {array_type(table, key, dialect)}))")


def select_where_in(conn: Connection, table: Any, key: str, values: Collection[Any],
                    columns: Sequence[str] = ()) -> list[Any]:
    """Rows of ``table`` (``columns``, default all) whose ``key`` is one of ``values``."""
    if not values:
        return []
    names = list(columns) or [c.name for c in table.columns]
    if conn.dialect.name == "postgresql":
        with pg_cursor(conn) as cur:
            cur.execute(_any_of(table, key, names, conn.dialect), {"v": list(values)})
            found: list[Any] = cur.fetchall()
            return found
    picked: list[Column[Any]] = [table.c[n] for n in names]
    return list(conn.execute(select(*picked).where(table.c[key].in_(values))))


def keys_present(conn: Connection, table: Any, key: str, values: Collection[Any]) -> set[Any]:
    """Which of ``values`` are in ``table``'s ``key`` column (plain tuples: a named row per
    value cost more than the query on a 500-entry upload)."""
    if not values:
        return set()
    if conn.dialect.name == "postgresql":
        with pg_cursor(conn, named=False) as cur:
            cur.execute(_any_of(table, key, [key], conn.dialect), {"v": list(values)})
            return {row[0] for row in cur.fetchall()}
    return set(conn.execute(select(table.c[key]).where(table.c[key].in_(values))).scalars())


def insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]],
                  returning: Any = None) -> list[Any]:
    """INSERT ... ON CONFLICT DO NOTHING on either dialect; returns the RETURNING values of
    the ``returning`` column (given as a column), for the rows actually written."""
    written = insert_rows(conn, table, rows, returning=[returning.name] if returning is not
                          None else ())
    return [row[0] for row in written]

"""The ledger's database: PostgreSQL (``postgresql+psycopg://...``) in production, a SQLite
file in demo mode; migrated to the newest schema when the service starts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine

from kiosk.store.engine import sqlite_engine_at
from kiosk.store.migrate import upgrade

_SCRIPTS = Path(__file__).with_name("migrations")


def ledger_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # One writer at a time, decided at BEGIN, so no transaction dies upgrading a read
        # lock; the demo ledger's load is one store's.
        return sqlite_engine_at(url, begin="BEGIN IMMEDIATE", busy_timeout_ms=30_000)
    # No pre-ping: it is a statement on every checkout (two per upload: 3.5% of the
    # server's time under py-spy while ingesting). After a database restart the first
    # statement on a dead connection fails instead; SQLAlchemy then drops the whole pool,
    # the request gets a 503 with Retry-After, and the kiosk's agent retries
    # (tests/sync/test_faults.py kills the ledger's database connections to prove it).
    return create_engine(url, pool_size=8, max_overflow=8)


def migrate(engine: Engine) -> None:
    upgrade(engine, _SCRIPTS)


@contextmanager
def one_statement(engine: Engine) -> Iterator[Connection]:
    """A connection for work done in one statement, atomic on its own: on PostgreSQL
    in autocommit, which saves the BEGIN and COMMIT (0.5-0.8 ms each here, mostly
    driver and SQLAlchemy Python)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT")
        yield conn


@contextmanager
def reading(engine: Engine, conn: Connection | None) -> Iterator[Connection]:
    """The caller's connection, or a connection of its own for the read."""
    if conn is not None:
        yield conn
        return
    with engine.connect() as own:
        yield own

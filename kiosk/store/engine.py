"""SQLite engines, the kiosk's and the demo ledger's: WAL with ``synchronous=FULL`` so a
committed write survives a crash or a power cut, foreign keys on, and each transaction
begun by us on the driver (so a writer can take the lock at BEGIN and never dies
upgrading a read lock)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event


def sqlite_engine_at(url: str, *, begin: str = "BEGIN", busy_timeout_ms: int = 10_000,
                     **pool: Any) -> Engine:
    """An engine on the SQLite database at ``url``; transactions SQLAlchemy opens start
    with ``begin`` (unless the caller began one on the driver already)."""
    engine = create_engine(url, **pool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                       f"busy_timeout={busy_timeout_ms}"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        if not driver.in_transaction:  # the store's writer begins its own, IMMEDIATE
            driver.execute(begin)

    return engine


def sqlite_engine(path: Path) -> Engine:
    """The kiosk's store: readers begin deferred; the one writer begins IMMEDIATE itself
    (:meth:`kiosk.store.repository.LocalStore.write`)."""
    return sqlite_engine_at(f"sqlite:///{path}", pool_size=4, max_overflow=4)

"""The SQLite engine: WAL with ``synchronous=FULL`` so a committed sale survives a crash or
a power cut, and ``BEGIN IMMEDIATE`` for writers so two writers never deadlock on upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", pool_size=4, max_overflow=4)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                       "busy_timeout=10000"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        if not driver.in_transaction:  # the store's writer begins its own, IMMEDIATE
            driver.execute("BEGIN")

    return engine

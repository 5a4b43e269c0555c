"""The one open transaction every repository of a unit of work shares.

Each repository (``*_rows.py``) reads and writes through SQLAlchemy on ``conn``; the
sale's hot path and the outbox go through the driver connection underneath
(:meth:`Session.raw`), inside the same transaction.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Connection


class Session:
    __slots__ = ("_driver", "conn")

    def __init__(self, conn: Connection, driver: sqlite3.Connection | None = None) -> None:
        self.conn = conn
        self._driver = driver

    def raw(self) -> sqlite3.Connection:
        """The driver connection, inside this same transaction."""
        if self._driver is None:
            driver = self.conn.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            self._driver = driver
        return self._driver


class Rows:
    """A repository over a :class:`Session`."""

    __slots__ = ("_raw", "conn")

    def __init__(self, session: Session) -> None:
        self.conn = session.conn
        self._raw = session.raw

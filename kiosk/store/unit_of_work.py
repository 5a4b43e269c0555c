"""The SQLite unit of work: every repository of the port (``kiosk/services/ports.py``)
over one connection and one transaction. Each is made the first time it is reached, so
a sale's transaction builds only what the sale uses."""

from __future__ import annotations

import sqlite3
from functools import cached_property

from sqlalchemy import Connection

from kiosk.store.checks import SqliteChecks
from kiosk.store.device_rows import SqliteDevices, SqliteTrust
from kiosk.store.entry_rows import SqliteEntries
from kiosk.store.member_rows import SqliteCards, SqliteMembers
from kiosk.store.order_rows import SqliteOrders
from kiosk.store.outbox_rows import SqliteOutbox, SqlitePulled
from kiosk.store.refund_rows import SqliteRefunds
from kiosk.store.session import Session
from kiosk.store.settings_rows import SqliteSettings
from kiosk.store.staff_rows import StaffRows


class SqliteUnitOfWork:
    def __init__(self, conn: Connection, driver: sqlite3.Connection | None = None) -> None:
        self.conn = conn  # for what only SQL can say (tests of the schema, migrations)
        self._session = Session(conn, driver)

    @property
    def driver(self) -> sqlite3.Connection:
        """The driver connection its plain SQL goes to."""
        return self._session.raw()

    @cached_property
    def devices(self) -> SqliteDevices:
        return SqliteDevices(self._session)

    @cached_property
    def settings(self) -> SqliteSettings:
        return SqliteSettings(self._session)

    @cached_property
    def trust(self) -> SqliteTrust:
        return SqliteTrust(self._session)

    @cached_property
    def members(self) -> SqliteMembers:
        return SqliteMembers(self._session)

    @cached_property
    def cards(self) -> SqliteCards:
        return SqliteCards(self._session)

    @cached_property
    def entries(self) -> SqliteEntries:
        return SqliteEntries(self._session)

    @cached_property
    def orders(self) -> SqliteOrders:
        return SqliteOrders(self._session)

    @cached_property
    def refunds(self) -> SqliteRefunds:
        return SqliteRefunds(self._session)

    @cached_property
    def outbox(self) -> SqliteOutbox:
        return SqliteOutbox(self._session)

    @cached_property
    def pulled(self) -> SqlitePulled:
        return SqlitePulled(self._session)

    @cached_property
    def staff(self) -> StaffRows:
        return StaffRows(self._session)

    @cached_property
    def checks(self) -> SqliteChecks:
        return SqliteChecks(self._session)

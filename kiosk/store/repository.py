"""The local store behind the services: the SQLite adapter of the ``Store`` port
(``kiosk/services/ports.py``), whose transactions are :class:`SqliteUnitOfWork` objects.

Writes go through :meth:`LocalStore.write`, which commits before it returns, so a caller
that got a result back can tell the cashier it is done (DESIGN invariant 3).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine

from kiosk.records import StorageError as StorageError  # where callers import it from
from kiosk.store.checkpoint import AUTOCHECKPOINT_PAGES, Checkpointer
from kiosk.store.disk import DATABASE_ERRORS, disk_failure, storage_error
from kiosk.store.unit_of_work import SqliteUnitOfWork


@contextmanager
def _on_driver(conn: Connection, work: SqliteUnitOfWork, begin: str
               ) -> Iterator[SqliteUnitOfWork]:
    """A transaction begun and ended on the driver connection (SQLAlchemy's own begin and
    commit cost a sale more than one of its index pages, BENCHMARKS.md); SQLAlchemy
    statements inside still join it (the engine's begin hook sees it open) and end with
    it. Committed when the block ends normally, rolled back when it raises."""
    driver = work.driver
    driver.execute(begin)
    try:
        yield work
    except BaseException:
        if conn.in_transaction():
            conn.rollback()
        elif driver.in_transaction:
            driver.execute("ROLLBACK")
        raise
    if conn.in_transaction():
        conn.commit()
    else:
        driver.execute("COMMIT")


IDLE_READERS = 2  # the counter's thread and a worker's: the pool keeps the rest


class LocalStore:
    """Readers take pooled connections; writers share one connection under a lock, since
    SQLite has a single writer anyway and waiting on a lock is cheaper than on SQLITE_BUSY."""

    def __init__(self, engine: Engine, checkpointer: Checkpointer | None = None) -> None:
        self.engine = engine
        self.checkpointer = checkpointer
        self.path = Path(engine.url.database or ".")
        self._write_lock = threading.Lock()
        self._writer: Connection | None = None
        self._writer_work: SqliteUnitOfWork | None = None
        """The writer's unit of work, kept with it: its repositories hold nothing but the
        connection, and building them for every sale cost it ~10 µs (BENCHMARKS.md)."""
        self._readers_lock = threading.Lock()
        self._idle_readers: list[tuple[Connection, SqliteUnitOfWork]] = []
        self._closed = False

    @contextmanager
    def read(self) -> Iterator[SqliteUnitOfWork]:
        """A read transaction; a disk or database failure (a full disk can't even open the
        WAL) is a StorageError, as for writes.

        Begun and ended on the driver, on a connection kept between reads (up to
        ``IDLE_READERS`` of them): SQLAlchemy's checkout, begin and commit cost a read
        ~15 µs, as much as the member view's own queries. A read that raised gives its
        connection up: a cursor its traceback keeps would hold the old snapshot into the
        next read (a member screen with the points from before a sale). Cursors don't
        leave the block: every repository returns what it read as values."""
        unit = None
        try:
            unit = self._reader()
            with _on_driver(*unit, "BEGIN") as work:
                yield work
        except BaseException as exc:
            if unit is not None:
                unit[0].invalidate()
                unit[0].close()
                unit = None
            if isinstance(exc, DATABASE_ERRORS) and disk_failure(exc):
                raise storage_error(exc, self.path) from exc
            raise
        finally:
            if unit is not None:
                self._put_back(unit)

    def _reader(self) -> tuple[Connection, SqliteUnitOfWork]:
        with self._readers_lock:
            if self._idle_readers:
                conn, work = self._idle_readers.pop()
                driver = conn.connection.driver_connection
                if work.driver is driver:
                    return conn, work
                conn.close()  # SQLAlchemy reconnected underneath: start again
        conn = self.engine.connect()
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        return conn, SqliteUnitOfWork(conn, driver)

    def _put_back(self, unit: tuple[Connection, SqliteUnitOfWork]) -> None:
        """A read that ended normally (committed): its connection kept for the next read,
        or given back to the pool (the writer may need one)."""
        with self._readers_lock:
            if not self._closed and len(self._idle_readers) < IDLE_READERS:
                self._idle_readers.append(unit)
                return
        unit[0].close()

    @contextmanager
    def peek(self) -> Iterator[SqliteUnitOfWork]:
        """A short read on the writer's connection, under its lock (``Store.peek``): the
        pages the last write touched are still in that connection's cache, where another
        connection reads them again (a checkout's look before it rings up: ~16 µs)."""
        with self._write_lock:
            try:
                with _on_driver(*self._writer_unit(), "BEGIN") as work:
                    yield work
            except DATABASE_ERRORS as exc:
                if not disk_failure(exc):
                    raise
                self._drop_writer()
                raise storage_error(exc, self.path) from exc

    @contextmanager
    def write(self) -> Iterator[SqliteUnitOfWork]:
        """A write transaction that is committed (durably) when the block ends normally,
        on the one writer connection, begun IMMEDIATE (:func:`_on_driver`)."""
        with self._write_lock:
            try:
                with _on_driver(*self._writer_unit(), "BEGIN IMMEDIATE") as work:
                    yield work
            except DATABASE_ERRORS as exc:
                if not disk_failure(exc):
                    raise
                self._drop_writer()
                raise storage_error(exc, self.path) from exc
        if self.checkpointer is not None:
            self.checkpointer.written()

    def _writer_unit(self) -> tuple[Connection, SqliteUnitOfWork]:
        """The writer's connection and unit of work (opened the first time); the caller
        holds the write lock."""
        writer, work = self._writer, self._writer_work
        if writer is None or work is None:
            writer, work = self._open_writer()
        driver = writer.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        if work.driver is not driver:  # SQLAlchemy reconnected underneath
            self._writer_work = work = SqliteUnitOfWork(writer, driver)
        return writer, work

    def _open_writer(self) -> tuple[Connection, SqliteUnitOfWork]:
        self._writer = writer = self.engine.connect()
        driver = writer.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        if self.checkpointer is not None:  # it checkpoints between sales
            driver.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        self._writer_work = work = SqliteUnitOfWork(writer, driver)
        return writer, work

    def _drop_writer(self) -> None:
        if self._writer is not None:
            self._writer.invalidate()
            self._writer.close()
            self._writer, self._writer_work = None, None

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer, self._writer_work = None, None
        with self._readers_lock:
            self._closed = True
            idle, self._idle_readers = self._idle_readers, []
        for conn, _ in idle:
            conn.close()
        self.engine.dispose()

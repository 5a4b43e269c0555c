"""The kiosk's durable local store (SQLite, WAL, synchronous=FULL)."""

from __future__ import annotations

from pathlib import Path

from kiosk.store.checkpoint import Checkpointer
from kiosk.store.disk import on_disk
from kiosk.store.engine import sqlite_engine
from kiosk.store.migrate import KIOSK_HEAD, upgrade
from kiosk.store.repository import LocalStore, StorageError
from kiosk.store.unit_of_work import SqliteUnitOfWork

__all__ = ["STORE_FILE", "LocalStore", "SqliteUnitOfWork", "StorageError", "open_store"]

STORE_FILE = "kiosk.db"  # in the kiosk's data folder


def open_store(path: Path) -> LocalStore:
    """Open (creating and migrating as needed) the store at ``path``; a disk or database
    that fails on the way (a full disk, a migration it can't write) is a StorageError."""
    with on_disk(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = sqlite_engine(path)
        try:
            upgrade(engine, head=KIOSK_HEAD)
        except BaseException:
            engine.dispose()
            raise
    return LocalStore(engine, Checkpointer(path))

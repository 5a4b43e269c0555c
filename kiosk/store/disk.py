"""The kiosk's disk failing, said the same way everywhere.

A full disk, a failing one or a database that won't open is neither a bug nor a refusal:
the cashier (and a script) should get one plain sentence, and nothing half done. So the
store's own edges (opening the engine, migrations, every read and write transaction, the
files written beside it) turn the driver's and the OS's errors into :class:`StorageError`
here, and nothing above them catches ``sqlite3`` or ``OSError`` one call at a time. The
``kiosk`` command answers a ``StorageError`` with exit 3.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError

from kiosk.records import StorageError as StorageError  # defined below the services

DATABASE_ERRORS = (DatabaseError, sqlite3.DatabaseError)
"""What to catch at the store's edges (SQLAlchemy wraps the second); of these only a
:func:`disk_failure` is a StorageError: the rest (an IntegrityError is a constraint or the
append-only trigger refusing) go on as they were."""

_DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
DISK_ERRNOS = _FULL_ERRNOS | {errno.EIO, errno.EROFS}
"""OS errors that mean the disk itself failed, wherever they come from."""
_NEARLY_FULL = 1 << 20
"""Free bytes below which a disk I/O error is taken for a full disk: SQLite reports a WAL
or shared-memory file it could not grow as an I/O error, not as SQLITE_FULL."""


def disk_failure(exc: BaseException) -> bool:
    """Whether ``exc`` (one of :data:`DATABASE_ERRORS`) is the disk or the database file
    failing: an OperationalError (I/O, full, can't open, locked) or a plain DatabaseError,
    which is what SQLite says of a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB). Not its
    other subclasses: a constraint (IntegrityError) or a misuse is no storage trouble."""
    if isinstance(exc, OperationalError):
        return True
    cause = getattr(exc, "orig", None) or exc
    return type(cause) in (sqlite3.OperationalError, sqlite3.DatabaseError)


def storage_error(exc: BaseException, where: Path) -> StorageError:
    """``exc`` (a database or OS error about ``where``) as one plain sentence; the driver's
    words stay in the message and on the chained cause, for the log."""
    cause = getattr(exc, "orig", None) or exc
    folder = where if where.is_dir() else where.parent
    if _is_full(cause, folder):
        return StorageError(f"the kiosk's disk is full ({folder}): nothing was recorded; "
                            "free some space and try again")
    if isinstance(cause, OSError):
        return StorageError(f"could not write {where}: {cause.strerror or cause}; "
                            "nothing was recorded")
    if _code(cause) in _DAMAGED:
        return StorageError(
            f"the kiosk's database {where} is damaged ({cause}): nothing was read or "
            "recorded; keep the file (entries not yet synced are only in it) and restore "
            "the data folder from a backup, or set the kiosk up again in a new one")
    return StorageError(f"the kiosk's database in {folder} failed: {cause}; "
                        "nothing was recorded")


def _is_full(cause: BaseException, folder: Path) -> bool:
    if isinstance(cause, OSError):
        return cause.errno in _FULL_ERRNOS
    code = _code(cause)
    if code is None:
        return False
    if code == sqlite3.SQLITE_FULL:
        return True
    return code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) and _free(
        folder) < _NEARLY_FULL


def _code(cause: BaseException) -> int | None:
    """SQLite's primary result code for ``cause``, if it is SQLite's error."""
    code = getattr(cause, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _free(folder: Path) -> int:
    """Free bytes on the disk holding ``folder`` (or its nearest existing parent)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free
            except OSError:
                break
    return _NEARLY_FULL


@contextmanager
def on_disk(where: Path) -> Iterator[None]:
    """Database and OS errors raised in the block, about ``where``, as a StorageError."""
    try:
        yield
    except (*DATABASE_ERRORS, OSError) as exc:
        if not isinstance(exc, OSError) and not disk_failure(exc):
            raise
        raise storage_error(exc, where) from exc


def write_whole(path: Path, write: Callable[[Path], object]) -> None:
    """Write a file whole or not at all: ``write`` fills a temporary file beside ``path``,
    which then takes its place. A full disk leaves no half file behind and an older file
    of that name as it was; any OS error is a StorageError."""
    part = path.with_name(f".{path.name}.part")
    try:
        write(part)
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise storage_error(exc, path) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise

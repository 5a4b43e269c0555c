"""What the ``kiosk ledger`` commands share: the ledger on its database (migrated, its
program published), opened by each command. Apart from ``cli_ledger.py`` so that groups of
ledger commands can live in modules of their own (``cli_ledger_devices.py``) without a
cycle."""

from __future__ import annotations

import argparse
import functools
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.app.cli_base import DEFAULT_PROGRAM, DirCommand, Output
from kiosk.records import StorageError


def now() -> datetime:
    return datetime.now(UTC)


def default_ledger_db(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'ledger.db'}"


_LEDGER_DATABASES = frozenset({("postgresql", "psycopg"), ("sqlite", "pysqlite")})
_SQLITE_DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


def ledger_database(text: str) -> str:
    """``--db``: a URL of a database the ledger runs on; anything else is refused by
    argparse, a usage error (exit 2), before anything is opened."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text)
        kind = (url.get_backend_name(), url.get_driver_name())
    except ArgumentError:  # not a URL, or a scheme SQLAlchemy has no dialect for
        kind = None
    if kind not in _LEDGER_DATABASES:  # the URL is not echoed: it may hold a password
        raise argparse.ArgumentTypeError(
            "not a database the ledger runs on: postgresql+psycopg://user@host/db or "
            "sqlite:///path/to/ledger.db")
    return text


def on_its_database(handler: DirCommand) -> DirCommand:
    """``handler``, a ``kiosk ledger`` command, with its database's trouble anywhere in
    it (opening, migrating, the command's own reads and writes) a StorageError (exit 3)
    naming the database without its password: a SQLite file that can't be opened or is
    damaged, a PostgreSQL server nobody runs or a database it doesn't have."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
        try:
            return handler(args, data_dir, out)
        except Exception as exc:
            from sync.server.middleware import DATABASE_ERRORS, database_trouble

            if not isinstance(exc, DATABASE_ERRORS) or not database_trouble(exc):
                raise
            raise _unusable(exc, args.db or default_ledger_db(data_dir)) from exc

    return run


def open_ledger(args: argparse.Namespace, data_dir: Path) -> Any:
    from kiosk.awards import unapplied
    from kiosk.program import load_program
    from kiosk.store.disk import on_disk
    from sync.server.db import ledger_engine, migrate
    from sync.server.ledger import Ledger

    url = args.db or default_ledger_db(data_dir)
    if url.startswith("sqlite"):
        with on_disk(data_dir):
            data_dir.mkdir(parents=True, exist_ok=True)
    engine = ledger_engine(url)
    migrate(engine)
    ledger = Ledger(engine, now)
    given = getattr(args, "program", None)
    program = load_program(Path(given) if given else DEFAULT_PROGRAM)
    # The shipped default only starts a new ledger: run on a store's ledger, a command
    # without --program (check, add-device, ...) must not make a newer default current.
    if ledger.initialise(program, first_only=not given):
        for part in unapplied(program):
            print(f"note: program {program.version}: {part}", file=sys.stderr)
    return ledger


def _unusable(exc: BaseException, url: str) -> StorageError:
    """The ledger's database failing, in one line that names it (the file, or the server
    and database without the password) and keeps the driver's words."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = ((parsed.database or "(in memory)") if parsed.get_backend_name() == "sqlite"
            else parsed.set(query={}).render_as_string(hide_password=True))
    cause = getattr(exc, "orig", None) or exc
    reason = " ".join(str(cause).split())  # libpq's messages run over several lines
    if getattr(cause, "sqlite_errorcode", 0) & 0xFF in _SQLITE_DAMAGED:
        return StorageError(f"the ledger's database {name} is damaged ({reason}): nothing "
                            "was recorded; restore it from a backup")
    return StorageError(f"the ledger's database {name} can't be used: {reason}; "
                        "nothing was recorded")

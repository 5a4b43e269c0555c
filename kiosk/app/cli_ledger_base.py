"""What the ``kiosk ledger`` commands share: the ledger on its database (migrated, its
program published), opened by each command. Apart from ``cli_ledger.py`` so that groups of
ledger commands can live in modules of their own (``cli_ledger_devices.py``) without a
cycle."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.app.cli_base import DEFAULT_PROGRAM


def now() -> datetime:
    return datetime.now(UTC)


def default_ledger_db(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'ledger.db'}"


def open_ledger(args: argparse.Namespace, data_dir: Path) -> Any:
    from kiosk.awards import unapplied
    from kiosk.program import load_program
    from sync.server.db import ledger_engine, migrate
    from sync.server.ledger import Ledger

    url = args.db or default_ledger_db(data_dir)
    if url.startswith("sqlite"):
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

"""``kiosk ledger publish|programs``: publish a program version, now or announced for its
``effective_from`` (DESIGN, the program engine, 8), and list every version with when it
takes effect and where it stands (superseded, current, announced).

    kiosk ledger publish assets/examples/coffee-shop.toml
    kiosk ledger programs
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.app.cli_base import Output
from kiosk.app.cli_ledger_base import now, open_ledger
from kiosk.services.errors import Refusal


def _when(moment: datetime, zone: ZoneInfo) -> str:
    """The store's local time, then UTC: an owner reads the first, a log the second."""
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} {zone.key} ({moment.isoformat()})"


def _row(found: Any) -> dict[str, object]:
    return {"version": found.version, "effective_from": found.effective_from.isoformat(),
            "published_at": found.published_at.isoformat(), "standing": found.standing}


def cmd_ledger_publish(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from kiosk.program import load_program, program_json

    program = load_program(Path(args.document))  # ProgramError names the field
    started = now()
    args.program = args.document  # opening the ledger publishes it (ProgramError if late)
    ledger = open_ledger(args, data_dir)
    found = next(v for v in ledger.program_versions() if v.version == program.version)
    kept = ledger.program(program.version)
    new = found.published_at >= started
    if not new and kept is not None and program_json(kept) != program_json(program):
        raise Refusal(f"version {program.version} was published before with another "
                      f"document, which the ledger keeps: give this one a new version")
    current = ledger.current_program()
    standing = {"current": "in force now",
                "announced": f"announced; {current.version} stays in force until then",
                "superseded": f"superseded: {current.version} is in force"}[found.standing]
    said = "published" if new else "already published"
    out.result({**_row(found), "new": new},
               f"Program {program.version} {said}: takes effect "
               f"{_when(found.effective_from, program.zone)}, {standing}.")
    return 0


def cmd_ledger_programs(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    ledger = open_ledger(args, data_dir)
    versions = ledger.program_versions()
    zone = ledger.current_program().zone
    lines = [f"{v.version:<20} {v.standing:<10} from {_when(v.effective_from, zone)}"
             for v in versions]
    out.result({"programs": [_row(v) for v in versions]}, "\n".join(lines))
    return 0


def add_program_commands(ledger_command: Callable[..., argparse.ArgumentParser]) -> None:
    """Register the program commands with ``kiosk ledger``'s own ``ledger_command``."""
    q = ledger_command("publish", cmd_ledger_publish,
                       "publish a program document: now, or at its effective_from")
    q.add_argument("document", help="the program document (TOML or JSON)")
    ledger_command("programs", cmd_ledger_programs,
                   "every program version, when it takes effect and where it stands")

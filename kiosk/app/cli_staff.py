"""``kiosk staff`` and ``kiosk audit``: the people who work the counter and the trail of
what they did, for the store owner's scripts (``--json``) and eyes."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.app.cli_base import Output
from kiosk.services import Kiosk
from kiosk.services.manager import FIRST_MANAGER, set_manager_pin
from kiosk.services.staff import (
    NotAManager,
    add_staff,
    audit_trail,
    list_staff,
    remove_staff,
    set_staff_pin,
    staff_named,
)
from kiosk.staff import AuditEvent, Role


def cmd_staff_add(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    person = add_staff(kiosk, args.name, Role(args.role), args.pin)
    out.result({"id": str(person.id), "name": person.name, "role": person.role.value},
               f"{person.name} can now sign in as {person.role.value}.")
    return 0


def cmd_staff_list(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    people = list_staff(kiosk)
    out.result({"staff": [{"id": str(p.id), "name": p.name, "role": p.role.value}
                          for p in people]},
               "\n".join(f"{p.name} ({p.role.value})" for p in people) or "No staff yet.")
    return 0


def cmd_staff_remove(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    person = remove_staff(kiosk, args.name)
    out.result({"removed": person.name}, f"{person.name} can no longer sign in.")
    return 0


def cmd_staff_pin(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    person = staff_named(kiosk, args.name)
    set_staff_pin(kiosk, person.id, args.pin)
    out.result({"name": person.name, "pin": "set"}, f"New PIN set for {person.name}.")
    return 0


def approver(kiosk: Kiosk, name: str | None) -> str | None:
    """``--approved-by``: a manager on this kiosk's staff, by the name they sign in with
    (whoever runs this command can read the store anyway, so no PIN is asked)."""
    if name is None:
        return None
    person = staff_named(kiosk, name)
    if not person.is_manager:
        raise NotAManager(f"{person.name} is not a manager on this kiosk")
    return person.name


def cmd_manager_pin(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    set_manager_pin(kiosk, args.pin, args.name)
    out.result({"manager_pin": "set", "name": args.name},
               f"Manager PIN set for {args.name}.")
    return 0


def event_dict(e: AuditEvent) -> dict[str, Any]:
    return {"id": str(e.id), "at": e.at.isoformat(), "action": e.action.value,
            "staff": e.staff, "approved_by": e.approved_by, "detail": e.detail}


def cmd_audit(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    events = audit_trail(kiosk, args.limit)
    lines = [f"{e.at:%Y-%m-%d %H:%M:%S}Z {e.action.value:<15} {e.staff or '-'}"
             + (f" (approved by {e.approved_by})" if e.approved_by else "")
             + (f": {e.detail}" if e.detail else "") for e in events]
    out.result({"events": [event_dict(e) for e in events]},
               "\n".join(lines) or "Nothing on the trail yet.")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return value


def add_commands(sub: Any, command: Any, parser_class: type[argparse.ArgumentParser]
                 ) -> None:
    staff = sub.add_parser("staff", help="people who work the counter").add_subparsers(
        dest="staff_command", required=True, parser_class=parser_class)
    p = command("add", cmd_staff_add, "add a cashier or manager with their own PIN",
                into=staff)
    p.add_argument("name", help="as the counter shows it, e.g. 'Mei Lin' or '林美'")
    p.add_argument("--role", choices=[r.value for r in Role], default=Role.CASHIER.value)
    p.add_argument("--pin", required=True, help="4 to 12 digits")
    command("list", cmd_staff_list, "who can sign in", into=staff)
    p = command("remove", cmd_staff_remove, "stop someone signing in (the trail keeps them)",
                into=staff)
    p.add_argument("name")
    p = command("pin", cmd_staff_pin, "set a new PIN for someone", into=staff)
    p.add_argument("name")
    p.add_argument("pin", help="4 to 12 digits")

    p = command("manager-pin", cmd_manager_pin,
                "set a manager's PIN (a new manager if the name is new)")
    p.add_argument("pin", help="4 to 12 digits")
    p.add_argument("--name", default=FIRST_MANAGER, help=f"default: {FIRST_MANAGER}")

    p = command("audit", cmd_audit, "what staff did at this counter, newest first")
    p.add_argument("--limit", type=_positive, default=200)

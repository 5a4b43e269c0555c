"""``kiosk ledger add-device|device-store|revoke-device``: the devices the ledger knows (a
kiosk, the shop, an admin), the store a kiosk stands in, and a device's withdrawal.

    kiosk ledger add-device k1 --store "Taipei 101"   # prints its token, once
    kiosk ledger device-store k1 "Xinyi A11"
    kiosk ledger revoke-device k1
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from kiosk.app.cli_base import Output
from kiosk.app.cli_ledger_base import open_ledger
from kiosk.services.errors import Refusal


def cmd_ledger_add_device(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.ledger import LedgerRefusal

    ledger = open_ledger(args, data_dir)
    try:
        device_id, token = ledger.add_device(args.name, args.kind, args.store)
    except LedgerRefusal as exc:
        raise Refusal(str(exc)) from None
    out.result({"device_id": device_id, "kind": args.kind, "store": args.store,
                "token": token},
               f"Device {device_id} ({args.kind}) added. Its token, shown only now: {token}")
    return 0


def cmd_ledger_device_store(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.ledger import LedgerRefusal

    try:
        open_ledger(args, data_dir).set_store(args.name, args.store)
    except LedgerRefusal as exc:
        raise Refusal(str(exc)) from None
    out.result({"device_id": args.name, "store": args.store},
               f"Device {args.name} stands in {args.store}: its store-limited promotions "
               "are judged with that store.")
    return 0


def store_name(text: str) -> str:
    """A store's name as orders carry it (1 to 200 characters, no control characters)."""
    from kiosk.limits import text_problem

    problem = text_problem(text)
    if not 0 < len(text) <= 200 or problem is not None:
        said = "" if problem is None else f": it {problem}"
        raise argparse.ArgumentTypeError(f"a store name is 1 to 200 characters{said}")
    return text


def cmd_ledger_revoke_device(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    open_ledger(args, data_dir).revoke_device(args.name)
    out.result({"device_id": args.name, "revoked": True}, f"Device {args.name} revoked.")
    return 0


def add_device_commands(ledger_command: Callable[..., argparse.ArgumentParser]) -> None:
    """Register the device commands with ``kiosk ledger``'s own ``ledger_command``."""
    q = ledger_command("add-device", cmd_ledger_add_device, "register a kiosk or the shop")
    q.add_argument("name")
    q.add_argument("--kind", choices=("kiosk", "shop", "admin"), default="kiosk")
    q.add_argument("--store", type=store_name, help="the store a kiosk stands in (its "
                   "store-limited promotions; else the store it names when it pairs)")
    q = ledger_command("device-store", cmd_ledger_device_store,
                       "set the store a kiosk stands in")
    q.add_argument("name")
    q.add_argument("store", type=store_name)
    q = ledger_command("revoke-device", cmd_ledger_revoke_device,
                       "withdraw a device's token and card key")
    q.add_argument("name")

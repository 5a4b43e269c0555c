"""The ``kiosk`` command: every counter operation, scriptable, with ``--json`` everywhere.

Exit codes: 0 done; 1 refused (bad card, not enough points, bad input...), nothing changed;
2 usage error; 3 the disk or database failed (full, I/O error, won't open; reads too),
nothing changed; 4 the ledger could not be reached (nothing lost; retry later), except a
transfer whose answer was lost (it may have moved: asked again, it goes under the same id).
One 3 changed something: a card reissued but not drawn to ``--out`` (the card is printed).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kiosk.app.bootstrap import bootstrap, resolve_data_dir
from kiosk.app.cli_base import (
    DirCommand,
    KioskCommand,
    Output,
    Parser,
    UsageError,
    code_quantity,
)
from kiosk.app.cli_cards import add_card_commands
from kiosk.app.cli_checkout import add_checkout_command
from kiosk.app.cli_counter import (
    cmd_balance,
    cmd_card_render,
    cmd_donate,
    cmd_enroll,
    cmd_init,
    cmd_label_render,
    cmd_language,
    cmd_redeem,
    cmd_refund,
    cmd_run,
    cmd_sale,
    cmd_transfer,
    cmd_verify,
)
from kiosk.cards import CardError
from kiosk.money import AmountError
from kiosk.program import ProgramError
from kiosk.services import (
    Refusal,
)
from kiosk.services.errors import InvalidInput, Unreachable
from kiosk.store import StorageError
from kiosk.store.disk import DISK_ERRNOS, storage_error


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS,
                        help="kiosk data folder (default: $KIOSK_HOME or the user data dir)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print results and errors as JSON")
    parser = Parser(prog="kiosk", description="Counterpoint loyalty kiosk", parents=[common])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def command(name: str, handler: KioskCommand | DirCommand, help: str, *,
                needs_kiosk: bool = True, into: Any = sub) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = into.add_parser(name, help=help, parents=[common])
        p.set_defaults(handler=handler, needs_kiosk=needs_kiosk)
        return p

    def at_counter(p: argparse.ArgumentParser) -> None:
        p.add_argument("--staff", metavar="NAME",
                       help="the staff member doing this (their name goes on the entries)")

    p = command("init", cmd_init, "set up this kiosk in its data folder", needs_kiosk=False)
    p.add_argument("--store-name", default="Counterpoint demo store")
    p.add_argument("--device-id", help="name of this kiosk (default: generated)")
    p.add_argument("--program", help="loyalty program document (TOML or JSON)")
    p.add_argument("--card-prefix", default="1000", help="first digits of cards issued here")
    p.add_argument("--ledger-url", help="pair with this central ledger")
    p.add_argument("--device-token", help="the token `kiosk ledger add-device` printed")

    member = sub.add_parser("member", help="members").add_subparsers(
        dest="member_command", required=True, parser_class=Parser)
    p = command("enroll", cmd_enroll, "enrol a new member and issue a card", into=member)
    at_counter(p)
    p.add_argument("--name", required=True)
    p.add_argument("--phone", required=True)
    p.add_argument("--birthday", help="YYYY-MM-DD")
    p.add_argument("--referrer", help="referring member: id, card number or card payload")
    p.add_argument("--consent", action="store_true",
                   help="the member accepted the privacy notice (required)")

    card = sub.add_parser("card", help="member cards").add_subparsers(
        dest="card_command", required=True, parser_class=Parser)
    p = command("render", cmd_card_render, "render a member card to PNG or PDF", into=card)
    p.add_argument("member", help="member id, card number or card payload")
    p.add_argument("--out", required=True, help="card.png or card.pdf")
    add_card_commands(command, member, card, at_counter)

    label = sub.add_parser("label", help="product labels").add_subparsers(
        dest="label_command", required=True, parser_class=Parser)
    p = command("render", cmd_label_render, "render product labels (50 x 30 mm PNG, 300 dpi)",
                needs_kiosk=False, into=label)
    p.add_argument("codes", nargs="*", help="EAN-13 or shop codes (default: every product)")
    p.add_argument("--out", required=True, help="folder for the PNG files")
    p.add_argument("--symbology", choices=("ean13", "code128"), default="ean13",
                   help="EAN-13 (the retail code) or Code 128 (the shop's own code)")
    p.add_argument("--language", choices=("en", "zh-TW", "zh-CN"), default="en")
    p.add_argument("--catalogue", help="catalogue file (default: catalogue.toml in the "
                   "data folder, else the demo catalogue)")

    p = command("sale", cmd_sale, "ring up a sale and award points")
    at_counter(p)
    p.add_argument("--card", required=True, help="the scanned card payload")
    p.add_argument("--amount", required=True, help="sale amount, e.g. 12.34")
    p.add_argument("--order-ref", help="the till's order number (makes retries safe)")
    p.add_argument("--approved-by", metavar="MANAGER",
                   help="the manager who approves a sale above the program's limit")

    add_checkout_command(command, at_counter)

    p = command("donate", cmd_donate, "give points to a cause the program lists")
    at_counter(p)
    p.add_argument("--card", required=True)
    p.add_argument("--cause", required=True, help="cause id from the program")
    p.add_argument("--points", required=True, type=int)

    p = command("transfer", cmd_transfer, "give a member's points to another (online only)")
    at_counter(p)
    p.add_argument("--from", dest="giver", required=True, help="the giver's card payload")
    p.add_argument("--to", dest="receiver", required=True, help="the receiver's card payload")
    p.add_argument("--points", required=True, type=int)

    p = command("redeem", cmd_redeem, "redeem a reward")
    at_counter(p)
    p.add_argument("--card", required=True)
    p.add_argument("--reward", required=True, help="reward id from the program")
    p.add_argument("--order-ref")

    p = command("refund", cmd_refund, "refund an order, whole or by line: reverse its points")
    at_counter(p)
    p.add_argument("--order-ref", required=True)
    p.add_argument("--line", action="append", type=code_quantity, metavar="CODE:QTY",
                   help="refund QTY of the line(s) with product code CODE (repeatable); "
                        "without it, what is left of the whole order")
    p.add_argument("--reason", help="why (kept on the reversing entries)")
    p.add_argument("--approved-by", metavar="MANAGER", help="the manager who approved it")

    p = command("balance", cmd_balance, "show a member's balance, tier and rewards")
    p.add_argument("--card", required=True)

    command("verify", cmd_verify, "recompute balances and check the ledger's invariants")

    p = command("run", cmd_run, "run the counter", needs_kiosk=False)
    p.add_argument("--demo", action="store_true", help="set up demo data if needed")
    p.add_argument("--fullscreen", action="store_true", help="fill the screen (the counter)")
    p.add_argument("--idle-seconds", type=float, default=90.0,
                   help="return to the attract screen after this long without a touch")
    p.add_argument("--text", action="store_true",
                   help="a line-based counter on the terminal instead of the touchscreen app")

    p = command("language", cmd_language,
                "the store's language: the counter starts in it and returns to it when idle")
    p.add_argument("language", nargs="?", help="en, zh-TW or zh-CN (none: show it)")

    from kiosk.app.cli_ledger import add_commands
    from kiosk.app.cli_staff import add_commands as add_staff_commands

    add_staff_commands(sub, command, Parser)
    add_commands(sub, command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    out = Output("--json" in args_list)
    try:
        args = build_parser().parse_args(args_list)
    except UsageError as exc:
        out.error("usage", str(exc))
        return 2
    except InvalidInput as exc:  # an argument no command can take (not UTF-8)
        out.error(exc.code, str(exc))
        return 1
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    try:
        if not args.needs_kiosk:
            return int(args.handler(args, data_dir, out))
        kiosk = bootstrap(data_dir)
        try:
            if getattr(args, "staff", None):  # entries made now name them
                from kiosk.services.staff import staff_named

                kiosk.on_duty = staff_named(kiosk, args.staff)
            return int(args.handler(args, kiosk, out))
        finally:
            kiosk.store.close()
    except CardError as exc:
        out.error(exc.code, str(exc))
    except Refusal as exc:
        out.error(exc.code, str(exc))
    except AmountError as exc:
        out.error("invalid_amount", str(exc))
    except ProgramError as exc:
        out.error("invalid_program", str(exc))
    except StorageError as exc:
        out.error("storage", str(exc))
        return 3
    except OSError as exc:  # the disk failed somewhere no store adapter wraps: still one line
        if exc.errno not in DISK_ERRNOS:
            raise
        out.error("storage", str(storage_error(
            exc, Path(os.fsdecode(exc.filename)) if exc.filename else data_dir)))
        return 3
    except Unreachable as exc:
        out.error("offline", str(exc))
        return 4
    return 1


if __name__ == "__main__":
    sys.exit(main())

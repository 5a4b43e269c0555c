"""The ``kiosk`` command: every counter operation, scriptable, with ``--json`` everywhere.

Exit codes: 0 done; 1 refused (bad card, not enough points, bad input...), nothing changed;
2 usage error; 3 the disk or database failed (full, I/O error, won't open; reads too),
nothing changed; 4 the ledger could not be reached (nothing lost; retry later).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from kiosk import presenters
from kiosk.bootstrap import bootstrap, initialise_standalone, resolve_data_dir
from kiosk.cards import CardError, is_valid_card_number
from kiosk.cli_staff import approver
from kiosk.money import AmountError, to_minor
from kiosk.program import ProgramError, load_program
from kiosk.services import (
    Enrolment,
    Kiosk,
    Refusal,
    Sale,
    enrol,
    identify,
    member_for_card,
    redeem,
    refund_order,
    ring_up_sale,
    verify_store,
)
from kiosk.services.errors import InvalidInput, UnknownMember, Unreachable
from kiosk.store import StorageError
from kiosk.store.disk import DISK_ERRNOS, storage_error

DEFAULT_PROGRAM = Path(__file__).resolve().parent.parent / "assets" / "program.toml"


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


class Output:
    """Prints a result as JSON or as a line of text, and errors the same way."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def result(self, data: dict[str, Any], text: str) -> None:
        print(json.dumps(data, ensure_ascii=False) if self.as_json else text)

    def error(self, code: str, message: str) -> None:
        if self.as_json:
            print(json.dumps({"error": {"code": code, "message": message}},
                             ensure_ascii=False))
        else:
            print(f"error: {message}", file=sys.stderr)


# -- commands -------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    if bool(args.ledger_url) != bool(args.device_token):
        raise InvalidInput("pairing needs both --ledger-url and --device-token")
    if args.ledger_url:
        from sync.pairing import pair_kiosk

        kiosk = pair_kiosk(data_dir, ledger_url=args.ledger_url, token=args.device_token,
                           store_name=args.store_name)
    else:
        program = load_program(Path(args.program) if args.program else DEFAULT_PROGRAM)
        kiosk = initialise_standalone(data_dir, store_name=args.store_name, program=program,
                                      device_id=args.device_id, card_prefix=args.card_prefix)
    try:
        out.result({"data_dir": str(data_dir), "device_id": kiosk.device.device_id,
                    "store_name": kiosk.device.store_name,
                    "program_version": kiosk.program.version,
                    "card_prefix": kiosk.certificate.card_prefix,
                    "paired": bool(args.ledger_url)},
                   f"Kiosk {kiosk.device.device_id} set up in {data_dir} "
                   f"(program {kiosk.program.version}"
                   f"{', paired with ' + args.ledger_url if args.ledger_url else ''}).")
    finally:
        kiosk.store.close()
    return 0


def _member_ref(kiosk: Kiosk, text: str) -> uuid.UUID:
    """A member named by id, card number or card payload."""
    text = text.strip()
    if is_valid_card_number(text):
        with kiosk.store.read() as tx:
            card = tx.card(text)
        if card is None:
            raise UnknownMember(f"no member holds card {text} at this kiosk")
        return card.member_id
    try:
        return uuid.UUID(text)
    except ValueError:
        return member_for_card(kiosk, text)


def cmd_enroll(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    try:
        birthday = date.fromisoformat(args.birthday) if args.birthday else None
    except ValueError:
        raise InvalidInput(f"birthday {args.birthday!r} is not a date (YYYY-MM-DD)") from None
    referrer = _member_ref(kiosk, args.referrer) if args.referrer else None
    result = enrol(kiosk, Enrolment(args.name, args.phone, birthday, referrer, args.consent))
    out.result(presenters.enrolment_dict(result), presenters.enrolment_text(result))
    return 0


def cmd_card_render(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    from devices.card_image import render_card, save_card

    member_id = _member_ref(kiosk, args.member)
    with kiosk.store.read() as tx:
        member, cards = tx.member(member_id), tx.cards_of(member_id)
    if member is None or not cards:
        raise UnknownMember(f"member {args.member} has no card at this kiosk")
    card = cards[-1]
    path = Path(args.out)
    save_card(render_card(card.payload, card.card_no, member.name,
                          kiosk.device.store_name), path)
    out.result({"member_id": str(member_id), "card_no": card.card_no, "out": str(path)},
               f"Card {card.card_no} for {member.name} written to {path}")
    return 0


def cmd_sale(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    member_id = member_for_card(kiosk, args.card)
    amount = to_minor(args.amount, kiosk.program.minor_units)
    result = ring_up_sale(kiosk, Sale(member_id, amount, args.order_ref,
                                      approved_by=approver(kiosk, args.approved_by)))
    out.result(presenters.sale_dict(result), presenters.sale_text(result))
    return 0


def cmd_redeem(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    from sync.pairing import attach_ledger

    member_id = member_for_card(kiosk, args.card)
    attach_ledger(kiosk)  # online authorisation when paired and reachable
    result = redeem(kiosk, member_id, args.reward, args.order_ref)
    out.result(presenters.redemption_dict(result), presenters.redemption_text(result))
    return 0


def cmd_refund(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    result = refund_order(kiosk, args.order_ref, args.reason,
                          approved_by=approver(kiosk, args.approved_by))
    out.result(presenters.refund_dict(result), presenters.refund_text(result))
    return 0


def cmd_balance(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    view = identify(kiosk, args.card)
    out.result(presenters.member_dict(view, kiosk.program),
               presenters.member_text(view, kiosk.program))
    return 0


def cmd_verify(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    report = verify_store(kiosk)
    out.result(presenters.verify_dict(report), presenters.verify_text(report))
    return 0 if report.ok else 1


def _no_display() -> bool:
    """Linux with neither X11 nor Wayland (a server, an SSH session) and no Qt platform
    chosen: the touchscreen app could not open a window."""
    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def cmd_run(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    if not args.text and _no_display():
        print("No display found: running the text counter instead "
              "(set QT_QPA_PLATFORM to choose a Qt platform).", file=sys.stderr)
        args.text = True
    if not args.text:
        from ui.qpa_probe import APT_LINE, platform_problem  # Qt would abort the process

        problem = platform_problem()
        if problem is not None:
            print(f"{problem}: running the text counter instead (for the app: {APT_LINE}).",
                  file=sys.stderr)
            args.text = True
    if args.text:
        from sync.runtime import run

        return run(data_dir, demo=args.demo, program_path=DEFAULT_PROGRAM)
    from ui.app import run_app  # Qt is imported only for the app itself

    return run_app(data_dir, demo=args.demo, program_path=DEFAULT_PROGRAM,
                   fullscreen=args.fullscreen, idle_ms=int(args.idle_seconds * 1000),
                   on_started=lambda _app: print("The counter is running; Ctrl+C stops it.",
                                                 file=sys.stderr, flush=True))


def cmd_label_render(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from devices.catalogue import CatalogueError, catalogue_path, load_catalogue
    from devices.labels import price_text, render_label, save_label

    path = Path(args.catalogue) if args.catalogue else catalogue_path(data_dir, demo=True)
    assert path is not None  # with demo=True there is always the demo catalogue
    try:
        catalogue = load_catalogue(path)
    except CatalogueError as exc:
        out.error("invalid_catalogue", str(exc))
        return 1
    products = list(catalogue.products)
    if args.codes:
        found = {code: catalogue.find(code) for code in args.codes}
        if missing := [code for code, product in found.items() if product is None]:
            out.error("unknown_product", f"not in {path.name}: {', '.join(missing)}")
            return 1
        products = [p for p in found.values() if p is not None]
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for product in products:
        target = folder / f"{product.sku}-{args.symbology}.png"
        save_label(render_label(product, price_text(catalogue, product), args.symbology,
                                args.language), target)
        written.append(str(target))
    out.result({"catalogue": str(path), "labels": written},
               f"{len(written)} label(s) from {path} written to {folder}")
    return 0


def cmd_language(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    from kiosk.services.manager import set_store_language, store_language

    if args.language is not None:
        set_store_language(kiosk, args.language)
    language = store_language(kiosk)
    out.result({"language": language}, f"The counter starts in {language}.")
    return 0


# -- parser ---------------------------------------------------------------------------------

KioskCommand = Callable[[argparse.Namespace, Kiosk, Output], int]
DirCommand = Callable[[argparse.Namespace, Path, Output], int]


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

    p = command("redeem", cmd_redeem, "redeem a reward")
    at_counter(p)
    p.add_argument("--card", required=True)
    p.add_argument("--reward", required=True, help="reward id from the program")
    p.add_argument("--order-ref")

    p = command("refund", cmd_refund, "refund an order: reverse its points")
    at_counter(p)
    p.add_argument("--order-ref", required=True)
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

    from kiosk.cli_staff import add_commands as add_staff_commands
    from sync.cli import add_commands

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

"""The counter's commands (``kiosk init|member|card|label|sale|redeem|refund|balance|verify|
run|language``): each turns its arguments into one service call and prints the result."""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from datetime import date
from pathlib import Path

from kiosk import presenters
from kiosk.app.bootstrap import check_setup_names, initialise_standalone
from kiosk.app.cli_base import DEFAULT_PROGRAM, Output
from kiosk.app.cli_cards import card_out, out_folder
from kiosk.app.cli_staff import approver
from kiosk.cards import is_valid_card_number
from kiosk.cards.card_numbers import check_prefix
from kiosk.money import to_minor
from kiosk.program import load_program
from kiosk.services import (
    Enrolment,
    Kiosk,
    Sale,
    enrol,
    identify,
    member_for_card,
    redeem,
    refund_codes,
    refund_order,
    ring_up_sale,
    scanned_order_ref,
    verify_store,
)
from kiosk.services.errors import InvalidInput, UnknownMember
from kiosk.services.refunds import RefundNeedsApproval


def cmd_init(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    if bool(args.ledger_url) != bool(args.device_token):
        raise InvalidInput("pairing needs both --ledger-url and --device-token")
    check_setup_names(args.store_name, args.device_id)  # the pairing sends the store name
    try:  # before the store is made: a refused init leaves no kiosk.db behind
        check_prefix(args.card_prefix)
    except ValueError as exc:
        raise InvalidInput(f"--card-prefix: {exc}") from None
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
            card = tx.cards.get(text)
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

    path = card_out(args.out)
    member_id = _member_ref(kiosk, args.member)
    with kiosk.store.read() as tx:
        member, cards = tx.members.get(member_id), tx.cards.of_member(member_id)
    if member is None or not cards:
        raise UnknownMember(f"member {args.member} has no card at this kiosk")
    card = cards[-1]
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
    from kiosk.app.ledger_link import attach_ledger

    member_id = member_for_card(kiosk, args.card)
    attach_ledger(kiosk)  # online authorisation when paired and reachable
    result = redeem(kiosk, member_id, args.reward, args.order_ref)
    out.result(presenters.redemption_dict(result), presenters.redemption_text(result))
    return 0


def cmd_donate(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    from kiosk.app.ledger_link import attach_ledger
    from kiosk.services.donations import donate

    member_id = member_for_card(kiosk, args.card)
    attach_ledger(kiosk)  # online: the ledger holds the points first
    result = donate(kiosk, member_id, args.cause, args.points)
    out.result({"cause": result.cause.id, "points": -result.entry.points,
                "balance": result.balance, "authorised": result.authorised,
                "entry": presenters.entry_dict(result.entry)},
               f"Thank you: {-result.entry.points} points to {result.cause.names.en} "
               f"({result.authorised}). Balance {result.balance}.")
    return 0


def cmd_transfer(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    from kiosk.app.ledger_link import attach_ledger
    from kiosk.services.transfers import transfer

    giver, receiver = member_for_card(kiosk, args.giver), member_for_card(kiosk, args.receiver)
    attach_ledger(kiosk)  # online only: the ledger moves the points
    result = transfer(kiosk, giver, receiver, args.points)
    out.result({"points": -result.given.points, "giver_balance": result.giver_balance,
                "receiver_balance": result.receiver_balance,
                "entries": [presenters.entry_dict(e) for e in (result.given, *result.received)]},
               f"{-result.given.points} points moved. Balances: giver {result.giver_balance}, "
               f"receiver {result.receiver_balance}.")
    return 0


def cmd_refund(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    """The whole order, or ``--line CODE:QTY`` (as often as needed). At a kiosk with
    staff, ``--approved-by`` names the manager (no PIN: whoever runs this can read the
    store anyway); without it the refund is refused, naming the option."""
    approved_by = approver(kiosk, args.approved_by)
    order_ref = scanned_order_ref(kiosk, args.order_ref)  # a receipt's QR, or the number
    try:
        if args.line:
            result = refund_codes(kiosk, order_ref, args.line, args.reason, approved_by)
        else:
            result = refund_order(kiosk, order_ref, args.reason, approved_by=approved_by)
    except RefundNeedsApproval:
        raise RefundNeedsApproval("a refund at this kiosk needs a manager's approval: name "
                                  "the manager with --approved-by NAME") from None
    out.result(presenters.refund_dict(result, kiosk.program),
               presenters.refund_text(result, kiosk.program))
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
        from kiosk.app.text_counter import run

        return run(data_dir, demo=args.demo, program_path=DEFAULT_PROGRAM)
    from kiosk.app.qt import run_app  # Qt is imported only for the app itself

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
    folder = out_folder(args.out)
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



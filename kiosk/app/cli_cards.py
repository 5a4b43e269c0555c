"""``kiosk member find`` and ``kiosk card reissue``: a lost card (issue 15).

    kiosk member find "+886 912 345 678"
    kiosk card reissue "0912-345-678" [--member ID] [--out card.png] [--approved-by NAME]

The search is a phone number however it is written, or a card number. A reissue cancels
every card the member holds and issues a new one (``--out`` draws it, to print); more than
one member found asks for ``--member``. A card number already cancelled (an old lost card)
is refused, naming the current card: replacing it would cancel the card the member holds.

``--out`` is checked before anything is recorded (:func:`card_out`, also for ``kiosk card
render`` and ``kiosk shop card-reissue``); a card issued and then not drawn is still shown
(:func:`issued_card_out`).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.app.cli_base import Output
from kiosk.app.cli_staff import approver
from kiosk.services import Kiosk
from kiosk.services.errors import InputProblem, InvalidInput, UnknownMember
from kiosk.services.lost_cards import MemberMatch, find_members, reissue_card
from kiosk.store import StorageError
from kiosk.store.disk import storage_error


def card_out(text: str) -> Path:
    """``--out`` as a path a card can be drawn to, checked before anything is recorded: a
    suffix other than .png or .pdf is refused (exit 1), a folder that doesn't exist or
    can't be written is a storage error (exit 3), each naming the path."""
    from devices.card_image import check_card_path

    path = Path(text)
    try:
        check_card_path(path)
    except ValueError as exc:
        raise InvalidInput(f"--out: {exc}") from None
    return path


def out_folder(text: str) -> Path:
    """``--out`` as a folder files are written into (``kiosk label render``), made if it
    isn't there, checked before anything is drawn as :func:`card_out` checks a card's
    folder: a path that is a file or lies under one, or a folder that can't be made or
    written, is a storage error naming it (exit 3)."""
    path = Path(text)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file of that name
        raise storage_error(NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder"),
                            path) from None
    except NotADirectoryError:
        raise storage_error(NotADirectoryError(errno.ENOTDIR, "it lies under a file"),
                            path) from None
    except OSError as exc:
        raise storage_error(exc, path) from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise storage_error(PermissionError(errno.EACCES, "the folder can't be written"),
                            path)
    return path


def issued_card_out(out: Output, data: dict[str, Any], text: str, path: Path | None,
                    draw: Callable[[Path], None], again: str) -> int:
    """Print a card just issued, drawn to ``path`` first when one was asked for.

    The card is recorded by now, so an image that still can't be written (the disk
    filled since :func:`card_out` looked) must not hide it: the card is printed all the
    same, with its payload, and the error after it (on stderr, or ``error`` beside the
    card's fields with ``--json``), saying ``again``: how to draw it again. Exit 3.
    """
    if path is None:
        out.result(data, text)
        return 0
    try:
        draw(path)
    except (StorageError, OSError) as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else exc
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else cause
        problem = (f"the new card is issued, but its image could not be written to {path}: "
                   f"{reason}; {again}")
        out.result({**data, "out": None, "error": {"code": "storage", "message": problem}},
                   f"{text} Card payload: {data['card_payload']}")
        if not out.as_json:
            print(f"error: {problem}", file=sys.stderr)
        return 3
    out.result({**data, "out": str(path)}, f"{text} Card written to {path}.")
    return 0


def _match(m: MemberMatch) -> dict[str, Any]:
    return {"member_id": str(m.member.id), "name": m.member.name, "phone": m.masked_phone,
            "cards": list(m.cards), "balance": m.balance}


def cmd_member_find(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    found = find_members(kiosk, args.query)
    text = "\n".join(f"{m.member.name} ({m.masked_phone}) {m.member.id}: cards "
                     f"{', '.join(m.cards) or 'none'}, {m.balance} points" for m in found)
    out.result({"members": [_match(m) for m in found]}, text or "No member found.")
    return 0


def cmd_card_reissue(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    path = card_out(args.out) if args.out else None  # before: a reissue can't be undone
    found = find_members(kiosk, args.query)
    if args.member:
        try:
            wanted = uuid.UUID(args.member)
        except ValueError:
            raise InvalidInput(f"--member {args.member!r} is not a member id",
                               InputProblem.PHONE) from None
        found = [m for m in found if m.member.id == wanted]
    if not found:
        raise UnknownMember(f"no member found for {args.query!r} at this kiosk")
    if len(found) > 1:
        raise InvalidInput(f"{len(found)} members found for {args.query!r}: name one with "
                           "--member (`kiosk member find` lists them)", InputProblem.PHONE)
    result = reissue_card(kiosk, found[0].member.id, approver(kiosk, args.approved_by),
                          found_by=args.query)
    data: dict[str, Any] = {"member_id": str(result.member.id), "card_no": result.card.card_no,
                            "card_payload": result.card.payload,
                            "revoked": list(result.revoked), "balance": result.balance}

    def draw(path: Path) -> None:
        from devices.card_image import render_card, save_card

        save_card(render_card(result.card.payload, result.card.card_no, result.member.name,
                              kiosk.device.store_name), path)

    return issued_card_out(
        out, data, f"New card {result.card.card_no} for {result.member.name}; cancelled "
        f"{', '.join(result.revoked) or 'none'}. Balance {result.balance}.", path, draw,
        f"draw it again with `kiosk card render {result.card.card_no} --out FILE`")


def add_card_commands(command: Any, member: Any, card: Any, at_counter: Any) -> None:
    p = command("find", cmd_member_find, "find members by phone or card number", into=member)
    p.add_argument("query", help="a phone number, however written, or a card number")
    p = command("reissue", cmd_card_reissue,
                "replace a lost card: cancel the member's cards, issue a new one", into=card)
    at_counter(p)
    p.add_argument("query", help="the member's phone number, or the lost card's number")
    p.add_argument("--member", help="the member's id, when the search finds several")
    p.add_argument("--out", help="draw the new card to card.png or card.pdf")
    p.add_argument("--approved-by", metavar="MANAGER", help="the manager who approved it")

"""``kiosk member find`` and ``kiosk card reissue``: a lost card (issue 15).

    kiosk member find "+886 912 345 678"
    kiosk card reissue "0912-345-678" [--member ID] [--out card.png] [--approved-by NAME]

The search is a phone number however it is written, or a card number. A reissue cancels
every card the member holds and issues a new one (``--out`` draws it, to print); more than
one member found asks for ``--member``.
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import Any

from kiosk.app.cli_base import Output
from kiosk.app.cli_staff import approver
from kiosk.services import Kiosk
from kiosk.services.errors import InputProblem, InvalidInput, UnknownMember
from kiosk.services.lost_cards import MemberMatch, find_members, reissue_card


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
    result = reissue_card(kiosk, found[0].member.id, approver(kiosk, args.approved_by))
    data: dict[str, Any] = {"member_id": str(result.member.id), "card_no": result.card.card_no,
                            "card_payload": result.card.payload,
                            "revoked": list(result.revoked), "balance": result.balance}
    if args.out:
        from devices.card_image import render_card, save_card

        path = Path(args.out)
        save_card(render_card(result.card.payload, result.card.card_no, result.member.name,
                              kiosk.device.store_name), path)
        data["out"] = str(path)
    out.result(data, f"New card {result.card.card_no} for {result.member.name}; cancelled "
               f"{', '.join(result.revoked) or 'none'}. Balance {result.balance}."
               + (f" Card written to {args.out}." if args.out else ""))
    return 0


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

"""``kiosk shop member-find`` and ``kiosk shop card-reissue``: a lost card replaced by the
online shop through the ledger (issue 15), as ``kiosk member find`` and ``kiosk card
reissue`` replace one at a kiosk.

    kiosk shop member-find "+886 912 345 678" --ledger-url URL --token T
    kiosk shop card-reissue --member ID [--request-id R] [--out card.png] --ledger-url URL

The ledger cancels every card the member holds and issues a new one; a retry with the same
``--request-id`` answers the same card and cancels nothing more (without one, a new id is
made and printed, to retry with: also when the ledger can't be reached, or the card's
``--out`` can't be written after all; ``--out`` is checked before the ledger is asked).
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import Any

from kiosk.app.cli_base import Output
from kiosk.app.cli_cards import card_out, issued_card_out
from kiosk.app.cli_shop_link import member_arg, shop_client
from kiosk.members import mask_phone
from kiosk.services.errors import Unreachable


def cmd_shop_member_find(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    client = shop_client(args)
    try:
        found = [client.member(member_id, limit=1)
                 for member_id in client.find_members(args.phone)]
    finally:
        client.close()
    members = [{"member_id": str(h.member.id), "name": h.member.name,
                "phone": mask_phone(h.member.phone), "balance": h.balance, "tier": h.tier}
               for h in found]
    out.result({"members": members}, "\n".join(
        f"{m['name']} ({m['phone']}) {m['member_id']}: {m['balance']} points, {m['tier']}"
        for m in members) or "No member found.")
    return 0


def cmd_shop_card_reissue(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    member = member_arg(args.member)
    path = card_out(args.out) if args.out else None  # before the ledger cancels anything
    request_id = args.request_id or f"reissue-{uuid.uuid4()}"
    client = shop_client(args)
    try:
        result = client.reissue_card(member, request_id)
    except Unreachable as exc:  # the ledger may have replaced the card before the line fell
        raise Unreachable(f"{exc}; the card may be replaced already: ask again with "
                          f"--request-id {request_id} (it replaces it once)") from exc
    finally:
        client.close()
    data: dict[str, Any] = {"request_id": request_id, **result.model_dump(mode="json")}

    def draw(path: Path) -> None:
        from devices.card_image import render_card, save_card

        save_card(render_card(result.card_payload, result.card_no, result.name or None,
                              args.brand), path)

    return issued_card_out(
        out, data, f"New card {result.card_no} for {result.name or result.member_id}; "
        f"cancelled {', '.join(result.cancelled) or 'none'}. Balance {result.balance}."
        + (" (issued before under this request id)" if result.duplicate else "")
        + f" Request id: {request_id}.", path, draw,
        f"draw it again with the same command and --request-id {request_id}")


def add_shop_card_commands(shop_command: Any) -> None:
    """Register on ``kiosk shop`` (``shop_command`` adds the ledger's URL and token)."""
    q = shop_command("member-find", cmd_shop_member_find,
                     "find members by phone number, however it is written")
    q.add_argument("phone", help="e.g. 0912-345-678 or +886 912 345 678")
    q = shop_command("card-reissue", cmd_shop_card_reissue,
                     "replace a lost card: cancel the member's cards, issue a new one")
    q.add_argument("--member", required=True, help="member id")
    q.add_argument("--request-id", help="made once per replacement: a retry with it answers "
                                        "the same card (default: a new one, printed)")
    q.add_argument("--out", help="draw the new card to card.png or card.pdf")
    q.add_argument("--brand", help="the store's name on the card")

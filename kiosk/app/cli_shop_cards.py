"""``kiosk shop member-find`` and ``kiosk shop card-reissue``: a lost card replaced by the
online shop through the ledger (issue 15), as ``kiosk member find`` and ``kiosk card
reissue`` replace one at a kiosk.

    kiosk shop member-find "+886 912 345 678" --ledger-url URL --token T
    kiosk shop card-reissue --member ID [--request-id R] [--out card.png] --ledger-url URL

The ledger cancels every card the member holds and issues a new one; a retry with the same
``--request-id`` answers the same card and cancels nothing more (without one, a new id is
made and printed, to retry with).
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import Any

from kiosk.app.cli_base import Output
from kiosk.app.cli_shop_link import member_arg, shop_client
from kiosk.members import mask_phone
from kiosk.services.errors import InvalidInput

CARD_SUFFIXES = (".png", ".pdf")


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
    path = Path(args.out) if args.out else None
    if path is not None and path.suffix.lower() not in CARD_SUFFIXES:  # before, not after
        raise InvalidInput(f"--out: cards are saved as .png or .pdf, not {path.name!r}")
    request_id = args.request_id or f"reissue-{uuid.uuid4()}"
    client = shop_client(args)
    try:
        result = client.reissue_card(member, request_id)
    finally:
        client.close()
    data: dict[str, Any] = {"request_id": request_id, **result.model_dump(mode="json")}
    if path is not None:
        from devices.card_image import render_card, save_card

        save_card(render_card(result.card_payload, result.card_no, result.name or None,
                              args.brand), path)
        data["out"] = str(path)
    out.result(data, f"New card {result.card_no} for {result.name or result.member_id}; "
               f"cancelled {', '.join(result.cancelled) or 'none'}. Balance {result.balance}."
               + (" (issued before under this request id)" if result.duplicate else "")
               + (f" Card written to {path}." if path else "")
               + f" Request id: {request_id}.")
    return 0


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

"""What the ``kiosk shop`` commands share: the shop's client for the ledger, and a member
id option read before anything is sent. Apart from ``cli_ledger.py`` so that the shop's
commands can live in modules of their own (``cli_shop_cards.py``) without a cycle."""

from __future__ import annotations

import argparse
import os
import uuid
from typing import TYPE_CHECKING

from kiosk.services.errors import InvalidInput, Refusal

if TYPE_CHECKING:
    from sync.client import LedgerClient


def shop_client(args: argparse.Namespace) -> LedgerClient:
    from sync.client import LedgerClient
    from sync.pairing import ledger_address

    token = args.token or os.environ.get("COUNTERPOINT_SHOP_TOKEN")
    if not args.ledger_url or not token:
        raise Refusal("the shop needs --ledger-url and --token (or COUNTERPOINT_SHOP_TOKEN)")
    return LedgerClient(ledger_address(args.ledger_url), token)


def member_arg(text: str) -> uuid.UUID:
    """``--member`` as a member id: a malformed one is refused before anything is sent."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise InvalidInput(f"--member {text!r} is not a member id (a UUID, e.g. "
                           "0192f1c4-7b1e-7c3a-9d2e-5a6b7c8d9e0f)") from None

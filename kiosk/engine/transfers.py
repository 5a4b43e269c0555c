"""Points a member gives another (a family pool, issue 15): online only, the ledger writes
both sides at once after holding the giver's available points. ``[transfers]`` in the
program turns them on and bounds one transfer."""

from __future__ import annotations

import uuid

from pydantic import Field

from kiosk.engine.doc import Doc

TRANSFER_NOTE = "transfer:"


class TransferPolicy(Doc):
    min_points: int = Field(default=1, ge=1, le=10**6, strict=True)
    max_points: int = Field(default=10_000, ge=1, le=10**6, strict=True)
    """The fewest and the most points one transfer moves."""


def transfer_notes(giver: uuid.UUID, receiver: uuid.UUID) -> tuple[str, str]:
    """The notes of a transfer's two entries: each names the other member."""
    return f"{TRANSFER_NOTE}to:{receiver}", f"{TRANSFER_NOTE}from:{giver}"


def received_id(transfer_id: uuid.UUID) -> uuid.UUID:
    """The receiving side's entry id, derived from the giving side's (the transfer's id)."""
    return uuid.uuid5(transfer_id, "received")

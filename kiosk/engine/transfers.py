"""Points a member gives another (a family pool, issue 15): online only, the ledger writes
both sides at once after holding the giver's available points. ``[transfers]`` in the
program turns them on and bounds one transfer.

Given points keep their age: the receiving side is one entry per expiry among the giver's
lots the transfer takes (in spending order: ``kiosk/wallets.py`` ``transfer_parts``), each
note carrying that expiry, and each lot expires then if its own date says later. Points
about to expire can't be passed back and forth between two members to stay alive, and
points that would have lasted keep lasting. Only a ``transfer`` entry's note is read so:
a device's adjustment with such a note is just a note."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pydantic import Field

from kiosk.engine.doc import Doc
from kiosk.ledger import Entry, EntryKind

TRANSFER_NOTE = "transfer:"
RECEIVED_NOTE = f"{TRANSFER_NOTE}from:"  # how a received side's note starts
CARRIED_NOTE = ";expires:"  # then, if its points expire: the latest time they do
MAX_RECEIVED_PARTS = 24
"""The most entries a transfer's receiving side is made of, one per expiry of the giver's
lots it takes; past that the latest of them are one entry (``kiosk/wallets.py``)."""
RECEIVED_SPREAD = timedelta(microseconds=MAX_RECEIVED_PARTS)
"""How far a transfer's receiving parts lie after the transfer: each a microsecond after
the one before (:func:`part_moment`)."""


class TransferPolicy(Doc):
    min_points: int = Field(default=1, ge=1, le=10**6, strict=True)
    max_points: int = Field(default=10_000, ge=1, le=10**6, strict=True)
    """The fewest and the most points one transfer moves."""


def transfer_notes(giver: uuid.UUID, receiver: uuid.UUID, expires_at: datetime | None = None
                   ) -> tuple[str, str]:
    """The notes of a transfer's two entries: each names the other member; the received
    side's also says ``expires_at``, when the points it moves expire at the latest (None:
    they never do, and it says nothing)."""
    received = f"{RECEIVED_NOTE}{giver}"
    if expires_at is not None:
        received += f"{CARRIED_NOTE}{expires_at.astimezone(UTC).isoformat()}"
    return f"{TRANSFER_NOTE}to:{receiver}", received


def carried_expiry(received_note: str) -> datetime | None:
    """When the points of a received side (its note starts with :data:`RECEIVED_NOTE`)
    expire at the latest, UTC; None if its note says nothing of it (a transfer made before
    notes carried it, or of points that never expire)."""
    _, carries, when = received_note.partition(CARRIED_NOTE)
    if not carries:
        return None
    try:
        expires_at = datetime.fromisoformat(when)
        return None if expires_at.tzinfo is None else expires_at.astimezone(UTC)
    except (ValueError, OverflowError):  # not a time, or one no UTC time can be
        return None


def received_id(transfer_id: uuid.UUID, part: int = 0) -> uuid.UUID:
    """The id of the receiving side's entry ``part`` (0, 1, ... in spending order), derived
    from the giving side's (the transfer's id)."""
    return uuid.uuid5(transfer_id, "received" if part == 0 else f"received:{part}")


def part_moment(at: datetime, part: int) -> datetime:
    """When a transfer made at ``at`` dates its receiving part ``part``: a microsecond after
    the one before, so a kiosk, which replays a member's entries by time, replays them in
    the ledger's order."""
    return at + timedelta(microseconds=part)


def received_parts_in(recent: list[Entry]) -> bool:
    """Whether a member's activity holds a transfer's receiving part (so reading more of
    it may fold parts into one line: :func:`one_line_per_transfer`)."""
    return any(map(_received, recent))


def one_line_per_transfer(recent: list[Entry]) -> list[Entry]:
    """A member's activity, newest first, with a transfer's receiving parts (one an expiry
    of the points given, each a microsecond after the one before) as one line: the first
    part, holding them all. Ten lines of "Transfer +10" at the same minute said nothing
    of the 120 points received, and pushed the member's own visits off the screen."""
    out: list[Entry] = []
    for entry in recent:
        last = out[-1] if out else None
        if (last is not None and _received(entry) and _received(last)
                and entry.note is not None and last.note is not None
                and entry.note.partition(CARRIED_NOTE)[0] == last.note.partition(CARRIED_NOTE)[0]
                and timedelta(0) < last.occurred_at - entry.occurred_at <= RECEIVED_SPREAD):
            out[-1] = replace(entry, points=entry.points + last.points)
        else:
            out.append(entry)
    return out


def _received(entry: Entry) -> bool:
    return (entry.kind is EntryKind.TRANSFER and entry.points > 0
            and (entry.note or "").startswith(RECEIVED_NOTE))

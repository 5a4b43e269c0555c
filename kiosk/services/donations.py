"""A member gives points to a cause the program lists (issue 15), at the counter or by the
CLI: one ``donate`` entry, asked of the ledger first when online (a hold, like a
redemption), else within the offline floor limits; the ledger totals them per cause."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from kiosk.engine.donations import MAX_DONATION, Cause, cause_note
from kiosk.ledger import Entry, EntryKind
from kiosk.services.context import Kiosk
from kiosk.services.errors import (
    InputProblem,
    InvalidInput,
    Refusal,
)
from kiosk.services.redemption import spend_points


class UnknownCause(Refusal):
    code = "unknown_cause"


@dataclass(frozen=True, slots=True)
class DonationResult:
    entry: Entry
    cause: Cause
    balance: int
    authorised: str  # "online" (the ledger held it) or "offline" (floor limits)


def donate(kiosk: Kiosk, member_id: uuid.UUID, cause_id: str, points: int) -> DonationResult:
    program = kiosk.program
    cause = next((c for c in program.causes if c.id == cause_id), None)
    if cause is None:
        raise UnknownCause(f"there is no cause {cause_id!r} in program {program.version}")
    if type(points) is not int or not cause.min_points <= points <= MAX_DONATION:
        raise InvalidInput(f"a donation to {cause.id} is {cause.min_points} to {MAX_DONATION} "
                           f"points", InputProblem.DONATION_SIZE)
    now = kiosk.clock()
    entry = Entry(kiosk.new_id(), member_id, EntryKind.DONATE, -points, kiosk.channel, now,
                  program.version, note=cause_note(cause.id), staff=kiosk.staff_name)
    balance, authorised = spend_points(kiosk, entry)
    return DonationResult(entry, cause, balance, authorised)

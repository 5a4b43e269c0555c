"""A member gives points to a cause the program lists (issue 15), at the counter or by the
CLI: one ``donate`` entry, asked of the ledger first when online (a hold, like a
redemption), else within the offline floor limits; the ledger totals them per cause."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from kiosk.engine.donations import MAX_DONATION, Cause, cause_note
from kiosk.ledger import Entry, EntryKind
from kiosk.records import StorageError
from kiosk.services.context import Kiosk
from kiosk.services.errors import (
    InputProblem,
    InvalidInput,
    MemberNotSynced,
    Refusal,
    UnknownMember,
    Unreachable,
)
from kiosk.services.redemption import within_offline_limits


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
                           f"points", InputProblem.ADJUSTMENT_SIZE)
    now = kiosk.clock()
    entry = Entry(kiosk.new_id(), member_id, EntryKind.DONATE, -points, kiosk.channel, now,
                  program.version, note=cause_note(cause.id), staff=kiosk.staff_name)
    authorised = "offline"
    if kiosk.authoriser is not None:
        try:
            kiosk.authoriser.reserve(entry)
            authorised = "online"
        except Unreachable:
            pass  # the floor limits below decide
    try:
        with kiosk.store.write() as tx:
            member = tx.members.get(member_id)
            if member is None:
                raise UnknownMember("this member is not known at this kiosk")
            if authorised == "offline":
                if member.profile_pending:
                    raise MemberNotSynced("this member joined at another store and this kiosk "
                                          "has not synced their account yet")
                within_offline_limits(tx, kiosk, entry, points)
            tx.entries.append([entry])
            balance = tx.entries.balance(member_id)
    except (Refusal, StorageError):
        if authorised == "online" and kiosk.authoriser is not None:
            kiosk.authoriser.void(entry)
        raise
    if authorised == "online" and kiosk.authoriser is not None:
        kiosk.authoriser.confirm(entry)
    return DonationResult(entry, cause, balance, authorised)

"""The points ledger: immutable entries, balances derived from them.

Every change of points is an :class:`Entry`; corrections are new entries that point at
the entry they correct (``reverses``). Nothing here touches a database or a clock, so
the kiosk and the central ledger compute the same numbers from the same entries.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kiosk.frozen import quick_init


class EntryKind(enum.StrEnum):
    EARN = "earn"
    BONUS = "bonus"
    REDEEM = "redeem"
    ADJUST = "adjust"
    EXPIRE = "expire"
    REVERSE = "reverse"
    DONATE = "donate"
    TRANSFER = "transfer"
    STAMP = "stamp"  # a punch card's stamps, not points: the card is the entry's note


def moves_points(kind: EntryKind) -> bool:
    """Whether an entry of ``kind`` counts in the points balance. A stamp entry moves a
    punch card (its wallet, named by its note: ``card:<id>``), never points: every sum
    that is a balance leaves it out (DESIGN, engine point 5)."""
    return kind is not EntryKind.STAMP


SPEND_KINDS = frozenset({EntryKind.EARN, EntryKind.REVERSE})
"""The kinds whose ``amount_minor`` is a sale's spend (an earn's, negated by its reversal):
the tier window and period vouchers count only theirs, and the ledger refuses any other
kind that carries some (``kiosk.audit.audit``)."""


# The sign each kind may carry; a reversal mirrors the entry it reverses and an
# adjustment or transfer can go either way.
_UTC_OFFSET = timedelta(0)
_NON_NEGATIVE = {EntryKind.EARN, EntryKind.BONUS}
_NON_POSITIVE = {EntryKind.REDEEM, EntryKind.EXPIRE, EntryKind.DONATE}
# A refund takes back a punch card's stamps with a stamp entry (it moves the card, not
# points) that points at the one it reverses, like a reverse entry does for points.
_REVERSING = {EntryKind.REVERSE, EntryKind.STAMP}

REVERSIBLE = frozenset({EntryKind.EARN, EntryKind.BONUS, EntryKind.REDEEM, EntryKind.STAMP})
"""The kinds a device may take back: what an order or a redemption records, undone by a
refund (in parts, or whole) or a voided redemption. Never a transfer (the ledger's own,
both sides at once: undoing one side mints points), an expiry, a donation (given to its
cause) or an adjustment (a correction is a new adjustment, within the day's bound): the
ledger refuses a device's reversal of one (``kiosk.audit.reversal_kind_problem``)."""


class LedgerError(ValueError):
    """An entry that breaks the ledger's rules; a bug upstream, never a cashier's mistake."""


@quick_init
@dataclass(frozen=True, slots=True)
class Entry:
    """One immutable change of a member's points.

    ``amount_minor`` is the spend the entry stands for (sale amount for an earn entry,
    its negation for a refund, 0 otherwise): tiers are computed from it.
    """

    id: uuid.UUID
    member_id: uuid.UUID
    kind: EntryKind
    points: int
    channel: str
    occurred_at: datetime
    program_version: str
    order_ref: str | None = None
    amount_minor: int = 0
    reverses: uuid.UUID | None = None
    reward_id: str | None = None
    note: str | None = None
    tier: str | None = None  # an earn entry's tier as the counter knew it (the rules' input)
    staff: str | None = None  # who made it at the counter, by name (the audit trail)

    def __post_init__(self) -> None:
        problem = entry_problem(self.kind, self.points, self.amount_minor, self.channel,
                                self.occurred_at, self.reverses)
        if problem is not None:
            raise LedgerError(problem)


def entry_problem(kind: EntryKind, points: int, amount_minor: int, channel: str,
                  occurred_at: datetime, reverses: uuid.UUID | None) -> str | None:
    """What makes these fields no valid entry, or None. :class:`Entry` is built only from
    valid fields; the ledger screens a whole upload with this without building one each."""
    if type(points) is not int:
        return f"points must be an int, got {type(points).__name__}"
    if type(amount_minor) is not int:
        return f"amount_minor must be an int, got {type(amount_minor).__name__}"
    if occurred_at.tzinfo is None or occurred_at.utcoffset() != _UTC_OFFSET:
        return "occurred_at must be an aware UTC datetime"
    if kind in _NON_NEGATIVE and points < 0:
        return f"a {kind} entry cannot take points away"
    if kind in _NON_POSITIVE and points > 0:
        return f"a {kind} entry cannot add points"
    if kind is EntryKind.REVERSE and reverses is None:
        return "a reverse entry points at the entry it reverses"
    if reverses is not None and kind not in _REVERSING:
        return "only a reverse entry (or a stamp entry, for stamps) points at another"
    if not channel:
        return "an entry needs the channel it happened on"
    return None


def reversal(original: Entry, *, id: uuid.UUID, occurred_at: datetime, channel: str,
             program_version: str, note: str | None = None, staff: str | None = None,
             part: tuple[int, int] | None = None) -> Entry:
    """The entry that cancels ``original`` exactly: points and spend negated; or, with
    ``part``, that much of it (points and spend, already negated: a refund of some of the
    order's lines). A stamp entry's reversal is a stamp entry on the same card (its note
    names the card, so the reason stays with the points' reversals), and never reaches
    the points balance."""
    if original.reverses is not None:
        raise LedgerError("a reversal is not itself reversed; record a new entry instead")
    if original.kind not in REVERSIBLE:
        raise LedgerError(f"an entry of kind {original.kind.value!r} is not taken back by a "
                          "reversal: only what an order or a redemption recorded is")
    kind = EntryKind.REVERSE
    if original.kind is EntryKind.STAMP:
        kind, note = EntryKind.STAMP, original.note
    points, amount = part if part is not None else (-original.points, -original.amount_minor)
    return Entry(
        id=id, member_id=original.member_id, kind=kind,
        points=points, channel=channel, occurred_at=occurred_at,
        program_version=program_version, order_ref=original.order_ref,
        amount_minor=amount, reverses=original.id,
        reward_id=original.reward_id, note=note, tier=original.tier, staff=staff,
    )


def balance(entries: Iterable[Entry]) -> int:
    """A member's points are the sum of their entries, nothing more (a punch card's stamps
    are not points)."""
    return sum(e.points for e in entries if e.kind is not EntryKind.STAMP)


def balance_mismatches(sums: Mapping[uuid.UUID, int | None],
                       cached: Mapping[uuid.UUID, int | None]) -> list[str]:
    """Each member whose cached balance is not the sum of their entries, said as a problem
    (``kiosk verify`` on a kiosk, the ledger's check): a member missing from either side
    counts as 0 there."""
    return [f"member {member_id}: cached balance {cached.get(member_id)} != sum of entries "
            f"{int(sums.get(member_id) or 0)}"
            for member_id in sorted(sums.keys() | cached.keys(), key=str)
            if int(sums.get(member_id) or 0) != int(cached.get(member_id) or 0)]


@dataclass(frozen=True, slots=True)
class MemberSummary:
    """Totals a member view and a manager report read off the entries."""

    balance: int = 0
    earned: int = 0  # earn + bonus
    redeemed: int = 0  # points spent on rewards, positive
    spend_minor: int = 0  # net of refunds
    entries: int = 0
    kinds: dict[EntryKind, int] = field(default_factory=dict)


def summarize(entries: Iterable[Entry]) -> MemberSummary:
    balance_ = earned = redeemed = spend = count = 0
    kinds: dict[EntryKind, int] = {}
    for e in entries:
        if e.kind is EntryKind.STAMP:
            continue
        balance_ += e.points
        if e.kind in SPEND_KINDS:  # only a sale's (an older ledger's stray spend: not)
            spend += e.amount_minor
        count += 1
        kinds[e.kind] = kinds.get(e.kind, 0) + e.points
        if e.kind in _NON_NEGATIVE:
            earned += e.points
        elif e.kind is EntryKind.REDEEM:
            redeemed -= e.points
    return MemberSummary(balance_, earned, redeemed, spend, count, kinds)


def spend_since(entries: Iterable[Entry], since: datetime) -> int:
    """Net spend (refunds subtracted) in entries at or after ``since``: the tier basis."""
    return sum(e.amount_minor for e in entries
               if e.occurred_at >= since and e.kind in SPEND_KINDS)

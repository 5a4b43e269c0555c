"""Lots: pending points, expiry, and spending in expiry order (DESIGN, engine point 6).

Every movement that adds points opens a *lot* with an ``available_at`` (earned points are
locked through the return window) and an ``expires_at``; spending takes from the lots
that expire first. The *balance* is the sum of the movements, always; what the member may
*spend now* is a different number, and the counter shows both. A lot's dates come from
the program's ``points`` section (``points_policy.py``).

Spending, stated once. Movements are replayed in the ledger's order of truth. A negative
movement takes from the lots spendable at its own time, earliest ``expires_at`` first
(never-expiring last; ties by ``available_at``, then id); what they can't cover (an offline
overdraft, DESIGN invariant 6) is paid at once by the points still pending, in the same
order, and the rest is a *debt* that every lot opened later pays first. A reversal of an
earn takes from the lot it reverses first, then like any spending (so a refund of points
that already paid for something makes a debt). A reversal of a spending gives back what it
took, last taken first: each lot's share as a new lot with that lot's dates (so restored
points expire when they would have; its id is derived from the reversal's and the lot's,
so every replay makes the same), and what was debt as a lot with the reversal's own dates.
A reversal of an expiry dated after its lot expired gives the points back for good (its
own dates); one dated before then gives them back like a spending's, with the lot's dates:
the ledger's correction for a spend dated before an expiry that reached it after the
expiry, whose points that spend then takes first. An expiry takes what its lot has left;
if it says more (a bug upstream), the excess is debt, so no other lot loses a point to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.engine.orders import Award, derived_id
from kiosk.engine.points_policy import PointsPolicy, last_usable_day, lot_dates
from kiosk.ledger import Entry, EntryKind


@dataclass(frozen=True, slots=True)
class Movement:
    """A change of points as lots see it; kiosk and ledger entries adapt to it."""

    id: uuid.UUID
    kind: EntryKind
    points: int
    occurred_at: datetime
    available_at: datetime | None = None  # a positive movement's lot: None = occurred_at
    expires_at: datetime | None = None  # None: never
    reverses: uuid.UUID | None = None
    lot: uuid.UUID | None = None  # an EXPIRE movement's lot

    def __post_init__(self) -> None:
        if type(self.points) is not int:
            raise TypeError(f"points must be an int, got {type(self.points).__name__}")
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")


def movement(entry: Entry, policy: PointsPolicy, zone: ZoneInfo,
             lot: uuid.UUID | None = None) -> Movement:
    """An entry as a movement; a lot's dates come from ``policy``, which must be that of
    the entry's program version (refunds replay stored facts, never today's rules)."""
    opens = entry.points > 0 and entry.kind is not EntryKind.REVERSE
    available_at, expires_at = (lot_dates(policy, entry.occurred_at, zone) if opens
                                else (None, None))
    return Movement(entry.id, entry.kind, entry.points, entry.occurred_at, available_at,
                    expires_at, entry.reverses, lot)


@dataclass(frozen=True, slots=True)
class Lot:
    id: uuid.UUID  # the movement that opened it (or derived, for restored points)
    points: int  # what it opened with
    available_at: datetime
    expires_at: datetime | None
    left: int  # what is still unspent

    def expired(self, at: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= at

    def spendable(self, at: datetime) -> bool:
        return self.available_at <= at and not self.expired(at)


def _spending_order(lot: Lot) -> tuple[bool, datetime, datetime, uuid.UUID]:
    return (lot.expires_at is None, lot.expires_at or lot.available_at, lot.available_at,
            lot.id)


@dataclass(frozen=True, slots=True)
class Wallet:
    """A member's points after a replay: the lots (in the order they opened) and the
    debt that the next lots pay."""

    balance: int = 0  # the sum of the movements' points
    debt: int = 0
    lots: tuple[Lot, ...] = ()

    def available(self, at: datetime) -> int:
        """What the member may spend at ``at``: negative while a debt exceeds it."""
        spendable = sum(lot.left for lot in self.lots if lot.spendable(at))
        return min(self.balance, spendable - self.debt)

    def pending(self, at: datetime) -> list[tuple[datetime, int]]:
        """(available_at, points) of points not spendable yet, soonest first."""
        by_time: dict[datetime, int] = {}
        for lot in self.lots:
            if lot.left > 0 and lot.available_at > at and not lot.expired(at):
                by_time[lot.available_at] = by_time.get(lot.available_at, 0) + lot.left
        return sorted(by_time.items())

    def expiring(self, at: datetime, within_days: int, zone: ZoneInfo
                 ) -> list[tuple[date, int]]:
        """(last usable local day, points) of unspent points that expire after ``at`` and
        within ``within_days`` days of it, soonest first: the counter's warning."""
        until = at + timedelta(days=within_days)
        by_day: dict[date, int] = {}
        for lot in self.lots:
            if lot.left > 0 and lot.expires_at is not None and at < lot.expires_at <= until:
                day = last_usable_day(lot.expires_at, zone)
                by_day[day] = by_day.get(day, 0) + lot.left
        return sorted(by_day.items())

    def lot(self, lot_id: uuid.UUID) -> Lot | None:
        return next((lot for lot in self.lots if lot.id == lot_id), None)

    def taken_by(self, points: int, at: datetime) -> list[tuple[int, datetime | None]]:
        """What a spending of ``points`` at ``at`` takes, in spending order: (points,
        expires_at) of each spendable lot it takes from, lots that expire at the same time
        as one; what the spendable lots don't cover, last, as expiring at ``at`` (none of
        the points behind it are there: a lot the caller counted as it expired, say)."""
        taken: list[tuple[int, datetime | None]] = []
        for lot in sorted((x for x in self.lots if x.left > 0 and x.spendable(at)),
                          key=_spending_order):
            if points <= 0:
                break
            take = min(points, lot.left)
            points -= take
            if taken and taken[-1][1] == lot.expires_at:
                taken[-1] = (taken[-1][0] + take, lot.expires_at)
            else:
                taken.append((take, lot.expires_at))
        if points > 0:
            taken.append((points, at))
        return taken


@dataclass(slots=True)
class _Replay:
    lots: dict[uuid.UUID, Lot] = field(default_factory=dict)
    debt: int = 0
    # What each negative movement took, in order: (lot id or None for debt, points) each.
    took: dict[uuid.UUID, list[tuple[uuid.UUID | None, int]]] = field(default_factory=dict)

    def open(self, lot_id: uuid.UUID, points: int, available_at: datetime,
             expires_at: datetime | None) -> None:
        paid = min(points, self.debt)  # the debt is paid first
        self.debt -= paid
        self.lots[lot_id] = Lot(lot_id, points, available_at, expires_at, points - paid)

    def take(self, lot: Lot, points: int) -> int:
        taken = min(points, lot.left)
        self.lots[lot.id] = Lot(lot.id, lot.points, lot.available_at, lot.expires_at,
                                lot.left - taken)
        return taken

    def spend(self, m: Movement, points: int, first: Lot | None = None) -> None:
        took: list[tuple[uuid.UUID | None, int]] = []
        at = m.occurred_at
        live = sorted((lot for lot in self.lots.values()
                       if lot.left > 0 and not lot.expired(at)
                       and (first is None or lot.id != first.id)),
                      key=_spending_order)
        # Spendable lots, then (an overdraft) the points still pending.
        order = ([first] if first is not None else []) + \
            [lot for lot in live if lot.spendable(at)] + \
            [lot for lot in live if not lot.spendable(at)]
        for lot in order:
            if points == 0:
                break
            taken = self.take(lot, points)
            if taken:
                took.append((lot.id, taken))
                points -= taken
        if points:
            self.debt += points
            took.append((None, points))
        self.took.setdefault(m.id, []).extend(took)

    def give_back(self, m: Movement, points: int, original_kind: EntryKind | None) -> None:
        parts = self.took.get(m.reverses) if m.reverses is not None else None
        own = 0  # points given back with the reversal's own dates
        while parts and points:
            source, amount = parts.pop()
            given = min(points, amount)
            if given < amount:
                parts.append((source, amount - given))
            points -= given
            lot = self.lots.get(source) if source is not None else None
            if lot is None or (original_kind is EntryKind.EXPIRE
                               and lot.expired(m.occurred_at)):
                own += given
            else:
                self.open(uuid.uuid5(m.id, str(lot.id)), given, lot.available_at,
                          lot.expires_at)
        own += points
        if own:
            self.open(m.id, own, m.available_at or m.occurred_at, m.expires_at)


def replay(movements: Iterable[Movement]) -> Wallet:
    """The wallet after ``movements``, in the ledger's order of truth (see the module's
    docstring for how spending, reversals and expiry take from lots)."""
    state = _Replay()
    kinds: dict[uuid.UUID, EntryKind] = {}
    balance = 0
    for m in movements:
        if m.kind is EntryKind.STAMP:
            continue  # a punch card's stamps are no lot of points
        balance += m.points
        kinds[m.id] = m.kind
        if m.points > 0 and m.kind is EntryKind.REVERSE:
            state.give_back(m, m.points, kinds.get(m.reverses) if m.reverses else None)
        elif m.points > 0:
            state.open(m.id, m.points, m.available_at or m.occurred_at, m.expires_at)
        elif m.points < 0 and m.kind is EntryKind.EXPIRE and m.lot in state.lots:
            lot = state.lots[m.lot]
            rest = -m.points - state.take(lot, -m.points)
            state.debt += rest
            state.took[m.id] = [(lot.id, -m.points - rest)] + ([(None, rest)] if rest else [])
        elif m.points < 0:
            first = state.lots.get(m.reverses) if m.kind is EntryKind.REVERSE and \
                m.reverses is not None else None
            state.spend(m, -m.points, first)
    return Wallet(balance, state.debt, tuple(state.lots.values()))


@dataclass(frozen=True, slots=True)
class ExpiryDue:
    """An expiry to record: the award, its derived id, the lot it names, the time to date
    its entry (the lot's ``expires_at``, so two kiosks or two ledger runs make identical
    entries, not just the same id) and the last day it was usable (for the receipt)."""

    award: Award
    id: uuid.UUID
    lot: uuid.UUID
    at: datetime
    last_day: date


def expiry_due(wallet: Wallet, member_id: uuid.UUID, at: datetime, zone: ZoneInfo
               ) -> list[ExpiryDue]:
    """An expiry of what is left, for every lot expired by ``at``; spent points are no
    longer in a lot, so expiry never takes them. Earliest expiry first."""
    due: list[ExpiryDue] = []
    for lot in sorted(wallet.lots, key=_spending_order):
        if lot.left > 0 and lot.expires_at is not None and lot.expires_at <= at:
            award = Award(kind=EntryKind.EXPIRE, points=-lot.left, rule="expiry",
                          once=f"expire:{lot.id}")
            due.append(ExpiryDue(award, derived_id(member_id, f"expire:{lot.id}"), lot.id,
                                 lot.expires_at, last_usable_day(lot.expires_at, zone)))
    return due

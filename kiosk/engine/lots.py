"""Lots: pending points, expiry, and spending in expiry order (DESIGN, engine point 6).

Every movement that adds points opens a *lot* with an ``available_at`` (earned points are
locked through the return window) and an ``expires_at``; spending takes from the lots
that expire first. The *balance* is the sum of the movements, always; what the member may
*spend now* is a different number, and the counter shows both.

Dates, stated once. Instants are UTC-aware; a date a person means is a calendar date in
the program's zone. ``pending_days`` names the local day points become spendable, N days
after the local earn date, and they are from its start (the counter says "pending until
2026-12-04": true for the whole of that day, never "the 4th, after 14:00").
Expiry names the last usable *local day* and ``expires_at`` is the start of the local day
after it: "after 12 months" makes the last usable day the local earn date + 12 months
(clamped to the month's end: Jan 31 + 1 month is Feb 28, or 29), and "end of next year"
makes it Dec 31 of the year after the local earn date. A lot is spendable while
``available_at <= t < expires_at``.

Spending, stated once. Movements are replayed in the ledger's order of truth. A negative
movement takes from the lots spendable at its own time, earliest ``expires_at`` first
(never-expiring last; ties by ``available_at``, then id); what they can't cover (an offline
overdraft, DESIGN invariant 6) is paid at once by the points still pending, in the same
order, and the rest is a *debt* that every lot opened later pays first. A reversal of an
earn takes from the lot it reverses first, then like any spending (so a refund of points
that already paid for something makes a debt). A reversal of a spending gives back what it
took, last taken first: each lot's share as a new lot with that lot's dates (so restored
points expire when they would have; its id is derived from the reversal's and the lot's,
so every replay makes the same), and what was debt, or a reversed expiry, as a lot with
the reversal's own dates. An expiry takes what its lot has left; if it says more (a bug
upstream), the excess is debt, so no other lot loses a point to it.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationInfo, field_validator, model_validator

from kiosk.engine.doc import Doc, parse_section
from kiosk.engine.orders import Award, derived_id
from kiosk.ledger import Entry, EntryKind

MAX_MONTHS = 120
MAX_PENDING_DAYS = 365
MAX_WARN_DAYS = 365


class ExpireAfterMonths(Doc):
    """Points last N months: through the local earn date + N months."""

    after: Literal["months"]
    months: int = Field(strict=True)

    @model_validator(mode="before")
    @classmethod
    def _months_in_range(cls, raw: Any) -> Any:
        # Checked here, not on the field, so the error reads "points.expiry.months" (the
        # union's tag is the field's name) rather than "points.expiry.months.months".
        months = raw.get("months") if isinstance(raw, Mapping) else None
        if isinstance(raw, Mapping) and not (type(months) is int and 1 <= months <= MAX_MONTHS):
            raise ValueError(f"must be 1 to {MAX_MONTHS}")
        return raw


class ExpireEndOfNextYear(Doc):
    """Points last through Dec 31 of the year after the (local) year they were earned in."""

    after: Literal["end_of_next_year"]


Expiry = Annotated[ExpireAfterMonths | ExpireEndOfNextYear, Field(discriminator="after")]


class PointsPolicy(Doc):
    """The document's ``points`` section. The default is the program without lots: points
    are spendable at once and never expire."""

    pending_days: int = Field(default=0, strict=True)
    """Earned points are spendable N days later: the return window, so a refund can't
    find them spent."""
    expiry: Expiry | None = None
    warn_days: int = Field(default=30, strict=True)
    """The counter warns of points that expire within this many days."""

    @property
    def has_lots(self) -> bool:
        """Whether points wait or expire: only then is a member's history replayed into
        lots; otherwise all of the balance is available."""
        return self.pending_days > 0 or self.expiry is not None

    @field_validator("pending_days")
    @classmethod
    def _pending(cls, value: int) -> int:
        if not 0 <= value <= MAX_PENDING_DAYS:
            raise ValueError(f"must be 0 to {MAX_PENDING_DAYS}")
        return value

    @field_validator("warn_days")
    @classmethod
    def _warn(cls, value: int) -> int:
        if not 0 <= value <= MAX_WARN_DAYS:
            raise ValueError(f"must be 0 to {MAX_WARN_DAYS}")
        return value

    @field_validator("expiry")
    @classmethod
    def _after_pending(cls, value: Expiry | None, info: ValidationInfo) -> Expiry | None:
        # A month is at least 28 days; "end of next year" is more than 365.
        pending = info.data.get("pending_days", 0)
        if isinstance(value, ExpireAfterMonths) and pending >= 28 * value.months:
            raise ValueError(f"points pending {pending} days could expire before they are "
                             f"spendable (after {value.months} months)")
        return value


def parse_points(raw: Mapping[str, Any]) -> PointsPolicy:
    """The section on its own, its mistakes named as in the document."""
    return parse_section(PointsPolicy, "points", raw)


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def lot_dates(policy: PointsPolicy, earned_at: datetime, zone: ZoneInfo
              ) -> tuple[datetime, datetime | None]:
    """(available_at, expires_at) of points earned at ``earned_at``, both UTC."""
    if earned_at.tzinfo is None:
        raise ValueError("earned_at must be timezone-aware")
    earned_at = earned_at.astimezone(UTC)
    day = earned_at.astimezone(zone).date()
    available_at = _released(policy.pending_days, earned_at, day, zone)
    if policy.expiry is None:
        return available_at, None
    return available_at, _expires(policy.expiry, day, zone)


def _released(pending_days: int, earned_at: datetime, local_day: date, zone: ZoneInfo
              ) -> datetime:
    """When points earned at ``earned_at`` (on ``local_day``) become spendable: at once,
    or at the start of the local day ``pending_days`` later, the day the member is told."""
    if not pending_days:
        return earned_at
    return _local_midnight(local_day + timedelta(days=pending_days), zone)


@lru_cache(maxsize=8192)
def _expires(expiry: Expiry, local_day: date, zone: ZoneInfo) -> datetime:
    """When points earned on ``local_day`` expire: the same for every lot of that day (a
    ledger's expiry run asks it for millions of lots over a few hundred days)."""
    match expiry:
        case ExpireAfterMonths(months=months):
            last_day = _add_months(local_day, months)
        case ExpireEndOfNextYear():
            last_day = date(local_day.year + 1, 12, 31)
    return _local_midnight(last_day + timedelta(days=1), zone)


def lot_dater(policy: PointsPolicy, zone: ZoneInfo
              ) -> Callable[[datetime], tuple[datetime, datetime | None]]:
    """``lot_dates(policy, earned_at, zone)`` as a function of ``earned_at`` alone, for a
    ledger's expiry run that dates millions of lots: the same dates, with each local day's
    expiry worked out once."""
    pending = policy.pending_days
    expiry = policy.expiry
    by_day: dict[date, tuple[datetime | None, datetime | None]] = {}

    def dates(earned_at: datetime) -> tuple[datetime, datetime | None]:
        if earned_at.tzinfo is not UTC:
            if earned_at.tzinfo is None:
                raise ValueError("earned_at must be timezone-aware")
            earned_at = earned_at.astimezone(UTC)
        if expiry is None and not pending:
            return earned_at, None
        day = earned_at.astimezone(zone).date()
        known = by_day.get(day)
        if known is None:  # (released at, expires at) of the day's lots
            known = by_day[day] = (
                _local_midnight(day + timedelta(days=pending), zone) if pending else None,
                None if expiry is None else _expires(expiry, day, zone))
        return known[0] or earned_at, known[1]

    return dates


def last_usable_day(expires_at: datetime, zone: ZoneInfo) -> date:
    """The local day a person is told ("expire on 2027-03-31"): the day before expiry."""
    return (expires_at - timedelta(microseconds=1)).astimezone(zone).date()


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
            if lot is None or original_kind is EntryKind.EXPIRE:
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

"""Tiers that last: the document's ``tier_policy`` section and the member's tier, replayed.

The tier is computed from scratch, from the member's qualifying events alone (no stored
state), so the kiosk and the ledger always agree. An *event* is ``(occurred_at, amount)``:
net spend in minor units (negative for a refund), or points earned, as ``basis`` says;
the caller feeds the matching amounts. Thresholds are plain ascending integers in the same
unit, the first 0 (index 0 is the first tier).

The rules, stated once. ``qualifies(x)`` is the highest tier whose threshold ``x`` reaches.

* ``retain = False`` (today's behaviour): the tier is what the period's sum qualifies for,
  up and down at once. ``rolling``: the events with ``at - window_days <= occurred_at <=
  at`` (days of 24 hours, as the counter has always counted). ``calendar_year``: the year
  to date, the year being the program's zone's (a purchase at 2026-12-31 20:00 UTC is 2027
  in Asia/Taipei).
* ``retain = True``: upgrade at once; keep the tier until the end of the next period;
  downgrade one step at a time.
  ``calendar_year``: at the start of each year the member holds max(what the previous
  year's total qualifies for, one step below the tier held at the end of that year);
  during the year, max(that, what the year to date qualifies for). So a tier reached in
  year Y holds through Dec 31 of Y+1, then drops one step a year unless earned again.
  ``rolling``: the window *proves* a tier at every instant it qualifies for it; a tier
  proven at instant s is held through s + window, one step lower through s + 2 windows,
  and so on; the member holds the best of all that. So a tier holds for one full window
  after the window last qualified for it (a purchase reaching it counts in the window for
  a window, so it holds for two), then drops one step per window unless proven again.
  Refunds are re-evaluated (DESIGN, engine point 7): with ``retain`` a refund takes back
  the latest purchases before it (what was bought most recently is what comes back), so
  a tier reached only by spend that was later refunded was never reached, and a refund
  never lowers a period its purchase wasn't in. What it can't take back (a refund larger
  than every purchase before it) counts where it is dated. Without ``retain`` a refund
  counts where it is dated, as today.

Events at the same instant are netted first, and the order the events are given in does
not matter.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate, pairwise
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationInfo, field_validator

from kiosk.engine.doc import Doc, parse_section

MAX_WINDOW_DAYS = 3650
TICK = timedelta(microseconds=1)
"""The smallest step of a datetime: "just before" and "just after" an instant."""

Event = tuple[datetime, int]
"""A qualifying event: when (UTC-aware), and the spend in minor units or points earned."""


class TierPolicy(Doc):
    """The document's ``tier_policy`` section. The default is today's rule: the highest
    tier the last 365 days of net spend reach, up and down at once."""

    basis: Literal["spend", "points"] = "spend"
    """Qualify by net spend (minor units) or by points earned; thresholds are in it."""
    period: Literal["rolling", "calendar_year"] = "rolling"
    window_days: int = Field(default=365, strict=True)
    """The rolling window; a calendar year is the zone's year, so it takes none."""
    retain: bool = Field(default=False, strict=True)
    """Keep a tier through the next period and step down one tier at a time."""

    @field_validator("window_days")
    @classmethod
    def _window(cls, value: int, info: ValidationInfo) -> int:
        # Runs only when the document sets it: a calendar year has no window to set.
        if info.data.get("period") == "calendar_year":
            raise ValueError('only for period "rolling" (a calendar year is the '
                             "program's time zone's year)")
        if not 1 <= value <= MAX_WINDOW_DAYS:
            raise ValueError(f"must be 1 to {MAX_WINDOW_DAYS}")
        return value


def parse_tier_policy(raw: Mapping[str, Any]) -> TierPolicy:
    """The section on its own, its mistakes named as in the document."""
    return parse_section(TierPolicy, "tier_policy", raw)


@dataclass(frozen=True, slots=True)
class TierStatus:
    """Where the member stands at one instant: what the member screen says ("Gold until
    2027-12-31; spend NT$4,000 more this year to keep it"; "NT$2,000 more for Gold")."""

    index: int  # the tier held now (0 = the first tier)
    qualified: int  # the amount counting now: the window's sum, or the year to date
    holds_until: date | None  # last local day the tier is held in full if nothing more is
    # earned; None when it can't drop (the first tier) or without retain
    keep_needed: int  # still to earn this period to keep the tier past holds_until; 0 if
    # the period already keeps it (or without retain)
    next_index: int | None  # the tier above, None at the top
    next_needed: int  # still to earn now for the tier above; 0 at the top


def check_thresholds(thresholds: Sequence[int]) -> tuple[int, ...]:
    """Thresholds as this module needs them: at least one, the first 0, each above the
    one before (the program document checks the same of its tiers)."""
    out = tuple(thresholds)
    if not out or out[0] != 0:
        raise ValueError("tier thresholds must start at 0")
    if any(type(t) is not int for t in out):
        raise ValueError("tier thresholds must be integers")
    if any(b <= a for a, b in pairwise(out)):
        raise ValueError("tier thresholds must be strictly ascending")
    return out


def tier_index(thresholds: Sequence[int], amount: int) -> int:
    """The highest tier whose threshold ``amount`` reaches (0 for nothing, or less)."""
    return max(0, bisect_right(thresholds, amount) - 1)


def tier_status(policy: TierPolicy, thresholds: Sequence[int], events: Iterable[Event],
                at: datetime, zone: ZoneInfo) -> TierStatus:
    """The member's tier at ``at``, replayed from the qualifying events (those after
    ``at`` are not yet known and are ignored)."""
    floors = check_thresholds(thresholds)
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    known = _netted(events, at)
    if policy.retain:
        known = _refunds_taken_back(known)
    if policy.period == "calendar_year":
        index, qualified, holds = _calendar(policy.retain, floors, known, at, zone)
    else:
        index, qualified, holds = _rolling(policy, floors, known, at, zone)
    keep = max(0, floors[index] - qualified) if holds is not None else 0
    top = index + 1 >= len(floors)
    return TierStatus(index=index, qualified=qualified, holds_until=holds, keep_needed=keep,
                      next_index=None if top else index + 1,
                      next_needed=0 if top else floors[index + 1] - qualified)


# -- replay ---------------------------------------------------------------------------------


def _netted(events: Iterable[Event], at: datetime) -> list[Event]:
    """The events up to ``at`` in time order, those at one instant netted into one."""
    by_time: dict[datetime, int] = {}
    for occurred_at, amount in events:
        if occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")
        if type(amount) is not int:
            raise TypeError(f"amount must be an int, got {type(amount).__name__}")
        if occurred_at <= at:
            by_time[occurred_at] = by_time.get(occurred_at, 0) + amount
    return sorted((t, a) for t, a in by_time.items() if a)


def _refunds_taken_back(events: list[Event]) -> list[Event]:
    """Each refund taken from the latest purchases before it; what no purchase covers
    stays where it is dated."""
    kept: list[list[Any]] = []  # [occurred_at, what is left of the purchase]
    unmatched: list[Event] = []
    for occurred_at, amount in events:
        if amount > 0:
            kept.append([occurred_at, amount])
            continue
        owed = -amount
        while owed and kept:
            take = min(owed, kept[-1][1])
            kept[-1][1] -= take
            owed -= take
            if not kept[-1][1]:
                kept.pop()
        if owed:
            unmatched.append((occurred_at, -owed))
    return sorted([(t, a) for t, a in kept] + unmatched)


def _calendar(retain: bool, floors: tuple[int, ...], events: list[Event], at: datetime,
              zone: ZoneInfo) -> tuple[int, int, date | None]:
    year = at.astimezone(zone).year
    totals: dict[int, int] = {}
    for occurred_at, amount in events:
        y = occurred_at.astimezone(zone).year
        totals[y] = totals.get(y, 0) + amount
    qualified = totals.get(year, 0)
    reached = tier_index(floors, qualified)
    if not retain:
        return reached, qualified, None
    # The tier held at the start of each year: one step below last year's end, or what
    # last year's total qualifies for, whichever is higher; a year with no events only
    # steps down.
    held, last = 0, None
    for y in sorted(y for y in totals if y < year):
        start = held if last is None else max(0, held - (y - last - 1))
        held, last = max(tier_index(floors, totals[y]), start - 1), y
    start = 0 if last is None else max(0, held - (year - last - 1))
    index = max(start, reached)
    if index == 0:
        return 0, qualified, None
    # Reached by this year's sum: held through next year; else only through this one.
    return index, qualified, date(year + 1 if reached >= index else year, 12, 31)


class _Window:
    """Sums of the events in ``[t - width, t]``, each in O(log n)."""

    def __init__(self, events: list[Event], width: timedelta) -> None:
        self.times = [t for t, _ in events]
        self.sums = [0, *accumulate(a for _, a in events)]
        self.width = width

    def at(self, t: datetime) -> int:
        lo, hi = bisect_left(self.times, t - self.width), bisect_right(self.times, t)
        return self.sums[hi] - self.sums[lo]


def _rolling(policy: TierPolicy, floors: tuple[int, ...], events: list[Event],
             at: datetime, zone: ZoneInfo) -> tuple[int, int, date | None]:
    width = timedelta(days=policy.window_days)
    window = _Window(events, width)
    qualified = window.at(at)
    if not policy.retain:
        return tier_index(floors, qualified), qualified, None

    def steps_down(elapsed: timedelta) -> int:
        # Held in full for one window after it was proven, then one step per window.
        return max(0, -(-elapsed // width) - 1)

    # The window's sum is constant between the instants an event enters or leaves it, and
    # a tier proven later lasts longer, so the last instant of each stretch is enough.
    marks = {at}
    for t in window.times:
        marks.update((t - TICK, t, t + width, t + width + TICK))
    proven = sorted((t, tier_index(floors, window.at(t))) for t in marks)
    index = max(tier - steps_down(at - t) for t, tier in proven if t <= at)
    if index == 0:
        return 0, qualified, None
    # With nothing more earned: the last instant the tier is still held. Proofs still to
    # come (the window keeps qualifying for a while) extend it while they join on.
    held = max(t + (tier - index + 1) * width for t, tier in proven
               if t <= at and tier >= index)
    for t, tier in proven:
        if t > at and tier >= index:
            if t > held + TICK:
                break
            held = max(held, t + (tier - index + 1) * width)
    # The tier drops just after ``held``: the last local day held in full is the one
    # before the day it drops on.
    return index, qualified, (held + TICK).astimezone(zone).date() - timedelta(days=1)

"""The program's ``points`` section and the dates of a lot (DESIGN, engine point 6): when
points earned at a time become spendable and when they expire. Out of ``lots.py``, which
replays movements into lots: these are the rules the document states, and the wallet's
dates and the counter's warning both come from them.

Dates, stated once. Instants are UTC-aware; a date a person means is a calendar date in
the program's zone. ``pending_days`` names the local day points become spendable, N days
after the local earn date, and they are from its start (the counter says "pending until
2026-12-04": true for the whole of that day, never "the 4th, after 14:00").
Expiry names the last usable *local day* and ``expires_at`` is the start of the local day
after it: "after 12 months" makes the last usable day the local earn date + 12 months
(clamped to the month's end: Jan 31 + 1 month is Feb 28, or 29), and "end of next year"
makes it Dec 31 of the year after the local earn date. A lot is spendable while
``available_at <= t < expires_at``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationInfo, field_validator, model_validator

from kiosk.engine.doc import Doc, parse_section

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

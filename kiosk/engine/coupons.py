"""The ``coupons`` section of the program document, and the rules that issue and check them.

A coupon is an instrument with an id and an expiry, single use (DESIGN, engine point 5).
What it is worth is its :class:`CouponRule` (by id, in the program version that issued
it); what a member holds is a :class:`~kiosk.engine.orders.CouponIssue`, whose id is
derived from a "once" key, so a coupon that two kiosks both issue offline is one coupon
(engine point 4).

Conventions, stated once:

* **Validity window.** A coupon is usable strictly *after* ``valid_from`` and strictly
  *before* ``expires_at``. A coupon issued by an order has ``valid_from`` = that order's
  time, so it can never pay for the order that issued it (that order happens *at*
  ``valid_from``, not after it): "next time" is enforced by :func:`coupon_problem`.
* **Expiry.** ``expires_at`` is the start of the local day (program time zone) after the
  last valid day, and the last valid day is ``valid_days`` after ``valid_from``'s local
  date: valid for 30 days, issued on 2026-11-30, usable through 2026-12-30.
* **Period coupons** ("NT$300 for every NT$10,000 in a calendar quarter") depend only on
  stable facts (rule, period, which multiple), so two kiosks crossing the same multiple
  offline issue identical copies: valid from the start of the next period (the quarter's
  spend earns a coupon for the quarter after), for ``valid_days`` from then.
* **Discounts** are worked out on the order's gross (its lines), floor for percentages,
  and never exceed it; ``min_spend`` is checked against the gross too (the net would
  depend on the coupon itself).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from kiosk.engine.doc import Code, Doc, Identifier, Money, Names, check_unique_ids, to_minor
from kiosk.engine.orders import CouponIssue, MemberState, Order

Period = Literal["month", "quarter", "year"]
MAX_VALID_DAYS = 3660  # ten years: beyond that a "coupon" is a typing slip
MAX_PERIOD_COUPONS = 100  # one order issues at most this many of a period rule's coupons


# -- the document ---------------------------------------------------------------------------


class PercentOff(Doc):
    kind: Literal["percent_off"]
    percent: int = Field(ge=1, le=100, strict=True)


class AmountOff(Doc):
    kind: Literal["amount_off"]
    amount: Money = Field(gt=0)


class FreeItem(Doc):
    """One unit of ``item`` free, at the price it has on the order."""

    kind: Literal["free_item"]
    item: Code


CouponValue = Annotated[PercentOff | AmountOff | FreeItem, Field(discriminator="kind")]


class OnOrder(Doc):
    """One order whose net paid reaches ``min_amount`` earns a coupon for next time."""

    on: Literal["order"]
    min_amount: Money = Field(gt=0)


class OnPeriodSpend(Doc):
    """A coupon for each multiple of ``every`` the member spends in a calendar period."""

    on: Literal["period_spend"]
    every: Money = Field(gt=0)
    period: Period


class OnWelcome(Doc):
    on: Literal["welcome"]
    referred_only: bool = False


class OnBirthday(Doc):
    on: Literal["birthday"]


class OnPunchCard(Doc):
    """Issued only by a punch card filling up (``punch_cards[].coupon``)."""

    on: Literal["punch_card"]


Trigger = Annotated[OnOrder | OnPeriodSpend | OnWelcome | OnBirthday | OnPunchCard,
                    Field(discriminator="on")]


class CouponRule(Doc):
    id: Identifier
    names: Names
    value: CouponValue
    valid_days: int = Field(gt=0, le=MAX_VALID_DAYS, strict=True)
    min_spend: Money = Decimal(0)  # the gross the order that uses it must reach
    trigger: Trigger


def check_coupon_rules(rules: Sequence[CouponRule], minor_units: int) -> None:
    """Refuse amounts finer than the currency and duplicate ids; the message names the
    field (``coupons[2].value.amount: 12.345 has more than 0 decimals``)."""
    step = Decimal(1).scaleb(-minor_units)
    for i, rule in enumerate(rules):
        money = [("min_spend", rule.min_spend)]
        if isinstance(rule.value, AmountOff):
            money.append(("value.amount", rule.value.amount))
        if isinstance(rule.trigger, OnOrder):
            money.append(("trigger.min_amount", rule.trigger.min_amount))
        elif isinstance(rule.trigger, OnPeriodSpend):
            money.append(("trigger.every", rule.trigger.every))
        for field, value in money:
            if value % step:
                raise ValueError(f"coupons[{i}].{field}: {value} has more than "
                                 f"{minor_units} decimals")
    check_unique_ids("coupons", [r.id for r in rules])


# -- time -----------------------------------------------------------------------------------


def _local(at: datetime, zone: ZoneInfo) -> datetime:
    if at.tzinfo is None:  # astimezone() would read the machine's zone: not pure
        raise ValueError(f"{at.isoformat()}: a time without a time zone")
    return at.astimezone(zone)


@lru_cache(maxsize=1024)
def _start_of(day: date, zone: ZoneInfo) -> datetime:
    """The start (UTC) of a local day: every coupon's expiry asks, and few days are asked."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def period_key(at: datetime, zone: ZoneInfo, period: Period) -> str:
    """The calendar period ``at`` falls in, in the program's zone: "2026-11", "2026-Q4",
    "2026" (the key of :meth:`MemberState.spend_in` and of period coupons)."""
    local = _local(at, zone)
    if period == "month":
        return f"{local.year}-{local.month:02d}"
    if period == "quarter":
        return f"{local.year}-Q{(local.month - 1) // 3 + 1}"
    return f"{local.year}"


def period_start(at: datetime, zone: ZoneInfo, period: Period) -> datetime:
    """The start (UTC) of the calendar period ``at`` falls in."""
    local = _local(at, zone)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    return _start_of(date(local.year, (local.month - 1) // months * months + 1, 1), zone)


def spend_periods(rules: Sequence[CouponRule], at: datetime, zone: ZoneInfo
                  ) -> dict[str, datetime]:
    """The calendar periods whose spend the rules ask about at ``at`` (the key of
    :meth:`MemberState.spend_in`, and when the period started)."""
    return {key: start for key, (start, _) in spend_windows(rules, at, zone).items()}


def spend_windows(rules: Sequence[CouponRule], at: datetime, zone: ZoneInfo
                  ) -> dict[str, tuple[datetime, datetime]]:
    """The same periods with when each starts and when the next one does (UTC)."""
    return {period_key(at, zone, r.trigger.period): (period_start(at, zone, r.trigger.period),
                                                     next_period_start(at, zone,
                                                                       r.trigger.period))
            for r in rules if isinstance(r.trigger, OnPeriodSpend)}


def next_period_start(at: datetime, zone: ZoneInfo, period: Period) -> datetime:
    """The start (UTC) of the calendar period after the one ``at`` falls in."""
    local = _local(at, zone)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    first = (local.month - 1) // months * months  # 0-based month the period starts in
    index = local.year * 12 + first + months
    return _start_of(date(index // 12, index % 12 + 1, 1), zone)


def coupon_expiry(valid_from: datetime, valid_days: int, zone: ZoneInfo) -> datetime:
    """The start of the local day after the last valid day (module docstring)."""
    return _expiry(_local(valid_from, zone).date(), valid_days, zone)


@lru_cache(maxsize=1024)
def _expiry(first: date, valid_days: int, zone: ZoneInfo) -> datetime:
    """:func:`coupon_expiry` by the local day of issue: a day's coupons share it."""
    return _start_of(first + timedelta(days=valid_days + 1), zone)


def last_day(expires_at: datetime, zone: ZoneInfo) -> date:
    """The last local day a coupon can be used (the day before ``expires_at``'s)."""
    return _local(expires_at, zone).date() - timedelta(days=1)


def _issue(rule: CouponRule, once: str, valid_from: datetime, zone: ZoneInfo) -> CouponIssue:
    return CouponIssue(rule=rule.id, once=once, valid_from=valid_from,
                       expires_at=coupon_expiry(valid_from, rule.valid_days, zone))


# -- issuing --------------------------------------------------------------------------------


def coupons_for_order(rules: Sequence[CouponRule], order: Order, state: MemberState, *,
                      zone: ZoneInfo, minor_units: int) -> tuple[CouponIssue, ...]:
    """The coupons a member order issues (``order`` and ``period_spend`` triggers), in
    document order. ``state.spend_in(period)`` is the spend before this order; a period
    coupon is issued for each multiple of ``every`` this order's net paid crosses, with
    the once key ``coupon:<rule>:<period>:<k>`` for the k-th multiple (k >= 1: a period
    whose spend is below zero, after a refund, crosses nothing until it is above it, as
    :func:`period_coupons` counts)."""
    if order.member_id is None:
        return ()
    paid = order.net_paid_minor
    out: list[CouponIssue] = []
    for rule in rules:
        trigger = rule.trigger
        if isinstance(trigger, OnOrder):
            if paid >= to_minor(trigger.min_amount, minor_units):
                once = f"coupon:{rule.id}:{order.channel}:{order.order_ref}"
                out.append(_issue(rule, once, order.occurred_at, zone))
        elif isinstance(trigger, OnPeriodSpend):
            key = period_key(order.occurred_at, zone, trigger.period)
            every = to_minor(trigger.every, minor_units)
            before = state.spend_in(key)
            start = next_period_start(order.occurred_at, zone, trigger.period)
            first = max(before, 0) // every + 1  # a refund may leave the period below 0
            last = min((before + paid) // every, first + MAX_PERIOD_COUPONS - 1)
            for k in range(first, last + 1):
                out.append(_issue(rule, f"coupon:{rule.id}:{key}:{k}", start, zone))
    return tuple(out)


def period_coupons(rules: Sequence[CouponRule], spent: Mapping[str, int], at: datetime, *,
                   zone: ZoneInfo, minor_units: int) -> tuple[CouponIssue, ...]:
    """Every period coupon the member's whole spend in the periods ``at`` falls in gives
    (``spent`` by :func:`period_key`), the same coupons (once keys, dates) the orders that
    crossed each multiple issue: what the ledger issues from its own entries, so a member
    who spends across the shop and the kiosks gets every voucher their spend earns."""
    out: list[CouponIssue] = []
    for rule in rules:
        trigger = rule.trigger
        if isinstance(trigger, OnPeriodSpend):
            key = period_key(at, zone, trigger.period)
            multiples = min(spent.get(key, 0) // to_minor(trigger.every, minor_units),
                            MAX_PERIOD_COUPONS)
            start = next_period_start(at, zone, trigger.period)
            out += [_issue(rule, f"coupon:{rule.id}:{key}:{k}", start, zone)
                    for k in range(1, multiples + 1)]
    return tuple(out)


def welcome_coupons(rules: Sequence[CouponRule], *, referred: bool, at: datetime,
                    zone: ZoneInfo) -> tuple[CouponIssue, ...]:
    """The coupons enrolment issues, valid from ``at`` (the enrolment time: a stable fact
    of the member, so copies made offline are identical). Once key
    ``coupon:<rule>:welcome``."""
    return tuple(_issue(rule, f"coupon:{rule.id}:welcome", at, zone) for rule in rules
                 if isinstance(rule.trigger, OnWelcome)
                 and (referred or not rule.trigger.referred_only))


def birthday_coupons(rules: Sequence[CouponRule], *, year: int, at: datetime,
                     window_end: date, zone: ZoneInfo) -> tuple[CouponIssue, ...]:
    """The birthday gifts of ``year``, valid from ``at`` through ``valid_days`` after
    ``window_end`` (the window's last local day, the latest a counter gives them: counted
    from ``at`` a late visit's gift would be expired when given). Pass stable facts (the
    window's start and end in the program's zone) so that two kiosks granting it offline
    make identical copies. Once key ``coupon:<rule>:<year>``."""
    counted_from = _start_of(window_end, zone)
    return tuple(CouponIssue(rule=rule.id, once=f"coupon:{rule.id}:{year}", valid_from=at,
                             expires_at=coupon_expiry(counted_from, rule.valid_days, zone))
                 for rule in rules if isinstance(rule.trigger, OnBirthday))


# -- using ----------------------------------------------------------------------------------


def _item_price(order: Order, item: str) -> int | None:
    """The unit price of the first line of ``item`` on the order, if any."""
    return next((line.unit_price_minor for line in order.lines
                 if line.code == item and line.quantity > 0), None)


def coupon_discount_minor(rule: CouponRule, order: Order, minor_units: int) -> int:
    """What the coupon takes off the order, in minor units: a percentage of the gross
    (floor), a fixed amount, or one unit of the free item at its price on the order (0
    if it is not on it); never more than the order's gross, never negative."""
    gross = max(0, order.gross_minor)
    value = rule.value
    if isinstance(value, PercentOff):
        off = gross * value.percent // 100
    elif isinstance(value, AmountOff):
        off = to_minor(value.amount, minor_units)
    else:
        off = _item_price(order, value.item) or 0
    return max(0, min(off, gross))


def coupon_problem(rule: CouponRule, *, valid_from: datetime, expires_at: datetime,
                   used: bool, order: Order, at: datetime, zone: ZoneInfo,
                   minor_units: int) -> str | None:
    """Why the coupon can't pay for ``order`` at ``at`` (dates in the program's zone), or
    None if it can. ``at == valid_from`` is "not valid yet": the order that issued a
    coupon is never paid with it."""
    if used:
        return "already used"
    if at <= valid_from:
        start = _local(valid_from, zone)
        return f"not valid yet (valid after {start:%Y-%m-%d %H:%M})"
    if at >= expires_at:
        end = _local(expires_at, zone)
        last = (end - timedelta(microseconds=1)).date()
        return f"expired on {end.date().isoformat()} (valid through {last.isoformat()})"
    if order.gross_minor < to_minor(rule.min_spend, minor_units):
        return f"order below the minimum spend of {rule.min_spend}"
    value = rule.value
    if isinstance(value, FreeItem) and _item_price(order, value.item) is None:
        return f"free item {value.item} is not on the order"
    return None


# -- the QR ---------------------------------------------------------------------------------

PAYLOAD_PREFIX = "CPQ1."
_HEX32 = re.compile(r"[0-9A-Fa-f]{32}")


def coupon_payload(coupon_id: uuid.UUID) -> str:
    """The text of a coupon's QR: ``CPQ1.`` and the id's 32 hex digits, upper case so the
    QR can use its compact alphanumeric mode. Not signed: the id is only a handle, the
    coupon itself (and whether it was used) is on the ledger."""
    return PAYLOAD_PREFIX + coupon_id.hex.upper()


def parse_coupon_payload(text: str) -> uuid.UUID:
    """The coupon id in a scanned QR text; ValueError naming what is wrong otherwise."""
    if not text.startswith(PAYLOAD_PREFIX):
        raise ValueError(f"not a coupon QR (expected {PAYLOAD_PREFIX}<32 hex digits>)")
    digits = text[len(PAYLOAD_PREFIX):]
    if len(digits) != 32:
        raise ValueError(f"coupon QR: the id has {len(digits)} characters, expected 32 "
                         "hex digits")
    if not _HEX32.fullmatch(digits):
        raise ValueError("coupon QR: the id is not hexadecimal")
    return uuid.UUID(hex=digits)

"""Bonuses that happen once each, by construction: sign-up, birthday, first purchase and
referral. Each carries the key of its derived id (DESIGN, engine point 4), so two kiosks
that both grant one offline make the same entry and the primary key keeps one.

A derived award depends only on stable facts (the member, the year of the birthday, the
referred member), never on which order happened to trigger it: whichever kiosk sees the
member first grants the same thing.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from kiosk.engine.doc import Doc, Identifier, Money
from kiosk.engine.orders import Award, MemberState, Order, derived_id
from kiosk.ledger import EntryKind

SIGNUP, BIRTHDAY, FIRST_PURCHASE, REFERRAL = "signup", "birthday", "first_purchase", "referral"
MAX_WINDOW_DAYS = 60  # a "days" birthday window: at most this many days either side


class Birthday(Doc):
    points: int = Field(ge=0, le=1_000_000, strict=True)
    window: Literal["month", "days"] = "month"
    """``month``: any visit in the birthday month; ``days``: within ``days`` of the day."""
    days: int = Field(default=7, ge=0, le=MAX_WINDOW_DAYS, strict=True)


class FirstPurchase(Doc):
    points: int = Field(ge=0, le=1_000_000, strict=True)
    min_amount: Money = Decimal(0)


class Referral(Doc):
    """The referrer earns ``referrer_points`` once the referred member's first purchase of
    at least ``min_amount`` is past the return window (``points.pending_days``) and not
    refunded (``referral_award``); the new member gets the ``welcome_coupon`` at enrolment.
    Only the ledger sees every channel's purchases and refunds, so only the ledger grants
    the referrer's bonus (``sync/server/referrals.py``)."""

    referrer_points: int = Field(ge=0, le=1_000_000, strict=True)
    min_amount: Money = Decimal(0)
    welcome_coupon: Identifier | None = None


class Bonuses(Doc):
    birthday: Birthday | None = None
    first_purchase: FirstPurchase | None = None
    referral: Referral | None = None


def _birthday_in(year: int, birthday: date) -> date:
    """The member's birthday in ``year`` (29 February is the 28th in other years)."""
    try:
        return birthday.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def window_start(rule: Birthday, birthday: date, year: int) -> date:
    """The first day of the birthday window of ``year``: the birthday bonus is dated then,
    whichever visit in the window triggered it."""
    day = _birthday_in(year, birthday)
    return day.replace(day=1) if rule.window == "month" else day - timedelta(days=rule.days)


def window_end(rule: Birthday | None, start: date) -> date:
    """The last day of the birthday window that starts on ``start``: the latest day a
    counter grants its gifts, so their validity counts from it (dated at the start, they
    would be expired when a late visit gets them). Without a rule (a program that no
    longer gives one) the widest window the document allows: never too early."""
    if rule is None:
        return start + timedelta(days=2 * MAX_WINDOW_DAYS)
    if rule.window == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start + timedelta(days=2 * rule.days)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def birthday_year(rule: Birthday, birthday: date, today: date) -> int | None:
    """Which year's birthday ``today`` (the store's date) falls in the window of, if any."""
    if rule.window == "month":
        return today.year if today.month == birthday.month else None
    for year in (today.year - 1, today.year, today.year + 1):
        if abs((_birthday_in(year, birthday) - today).days) <= rule.days:
            return year
    return None


def order_bonuses(bonuses: Bonuses, order: Order, state: MemberState, zone: ZoneInfo,
                  min_first_minor: int) -> tuple[Award, ...]:
    """The birthday bonus (at the first visit in the window: once a year by its id) and the
    first-purchase bonus a member order brings."""
    out: list[Award] = []
    rule = bonuses.birthday
    today = order.occurred_at.astimezone(zone).date()
    if rule and rule.points and state.birthday is not None:
        year = birthday_year(rule, state.birthday, today)
        if year is not None:
            out.append(Award(EntryKind.BONUS, rule.points, BIRTHDAY, once=f"{BIRTHDAY}:{year}",
                             at=local_midnight(window_start(rule, state.birthday, year), zone)))
    first = bonuses.first_purchase
    net = order.net_paid_minor
    if (first and first.points and state.purchases_before == 0
            and state.enrolled_at is not None and net >= min_first_minor and net > 0):
        # Dated at enrolment: a stable fact, whichever kiosk saw the first purchase (with
        # no enrolment known, nothing stable to date it by: no bonus). Never after the
        # purchase: an enrolment dated by a clock that ran ahead would date the bonus in
        # the ledger's future, and the ledger refuses what is dated there (the shop's
        # first order for that member was refused whole until its clock caught up).
        out.append(Award(EntryKind.BONUS, first.points, FIRST_PURCHASE, once=FIRST_PURCHASE,
                         at=min(state.enrolled_at, order.occurred_at)))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Purchase:
    """A referred member's purchase as the referral rule sees it: when it happened, the
    spend its earn entry carries (minor units) and whether it was refunded (its earn entry
    reversed)."""

    occurred_at: datetime
    amount_minor: int
    refunded: bool = False


def referral_note(referred_id: uuid.UUID) -> str:
    """The referral bonus's once key and note: one bonus per referred member."""
    return f"{REFERRAL}:{referred_id}"


def qualifying_purchase(purchases: Iterable[Purchase], min_amount_minor: int
                        ) -> Purchase | None:
    """The referred member's first purchase that counts for the referral: the earliest of
    at least the minimum (and of something: a zero sale is no purchase) that was not
    refunded. A refunded one doesn't count, so the next one may."""
    least = max(min_amount_minor, 1)
    return min((p for p in purchases if p.amount_minor >= least and not p.refunded),
               key=lambda p: p.occurred_at, default=None)


def referral_award(rule: Referral, referred_id: uuid.UUID, purchases: Iterable[Purchase],
                   pending_days: int, min_amount_minor: int, at: datetime) -> Award | None:
    """The referrer's bonus, if it is due by ``at``: the referred member's first qualifying
    purchase (:func:`qualifying_purchase`) is past its return window.

    The award is dated when that window closed (the purchase's time + ``pending_days``,
    when its own points became available): a stable fact, so two runs, or two ledgers'
    runs at once, make identical entries, whenever they run. Its once key names the
    referred member, so it is paid once however many runs see it."""
    if not rule.referrer_points:
        return None
    first = qualifying_purchase(purchases, min_amount_minor)
    if first is None:
        return None
    due = first.occurred_at + timedelta(days=pending_days)
    if at < due:
        return None
    return Award(EntryKind.BONUS, rule.referrer_points, REFERRAL,
                 once=referral_note(referred_id), at=due)


@dataclass(frozen=True, slots=True)
class ReferralDue:
    """A referral bonus to record: the award (dated by ``award.at``), for the referrer,
    under the id derived from the referrer and the referred member."""

    award: Award
    referrer_id: uuid.UUID
    id: uuid.UUID

    @property
    def at(self) -> datetime:
        assert self.award.at is not None  # referral_award always dates it
        return self.award.at


def referral_due(rule: Referral, referrer_id: uuid.UUID, referred_id: uuid.UUID,
                 purchases: Iterable[Purchase], pending_days: int, min_amount_minor: int,
                 at: datetime) -> ReferralDue | None:
    """The referral bonus ``referrer_id`` is due by ``at`` for bringing ``referred_id``
    (:func:`referral_award`), or None; a member who names themselves earns nothing."""
    if referrer_id == referred_id:
        return None
    award = referral_award(rule, referred_id, purchases, pending_days, min_amount_minor, at)
    if award is None or award.once is None:
        return None
    return ReferralDue(award, referrer_id, derived_id(referrer_id, award.once))

"""What an order earns under a program: the engine's sections run in a fixed order.

``awards_for_order(program, order, state)`` is the one function the counter, the shop
and the ledger's check all call (DESIGN, engine point 2), with the member state the
counter knew (recorded with the order), so everyone gets the same awards: base earn per
line, then promotions, then once-only bonuses, then punch cards' stamps, then coupons
(a full card's first).
"""

from __future__ import annotations

import re
import uuid
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from kiosk.engine.bonuses import (
    BIRTHDAY,
    FIRST_PURCHASE,
    REFERRAL,
    Birthday,
    birthday_year,
    local_midnight,
    order_bonuses,
    window_end,
    window_start,
)
from kiosk.engine.coupons import (
    birthday_coupons,
    coupon_expiry,
    coupons_for_order,
    welcome_coupons,
)
from kiosk.engine.earning import BASE, EarnIndex, base_awards, earn_index
from kiosk.engine.orders import (
    POINTS,
    Award,
    Awards,
    CouponIssue,
    MemberState,
    Order,
    derived_id,
)
from kiosk.engine.promotions import (
    Campaign,
    Promotion,
    campaigns,
    promotion_awards,
    promotions_on,
    running_campaigns,
)
from kiosk.engine.punch_cards import CardPlan, card_plans, stamp_cards
from kiosk.engine.record import OrderRecord
from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program


@dataclass(frozen=True, slots=True)
class _Plan:
    """What every order reads of a program, worked out once per program object (the
    ledger re-runs every uploaded order; the counter every sale)."""

    earn: EarnIndex
    campaigns: tuple[Campaign, ...]
    cards: tuple[CardPlan, ...]


_PLANS: dict[int, tuple[weakref.ref[Program], _Plan]] = {}


def _plan(program: Program) -> _Plan:
    """The program's :class:`_Plan`, by the program object itself: a frozen program never
    changes, and a copy with a change (``model_copy``) is another object, so another
    plan. Forgotten with the program."""
    key = id(program)
    known = _PLANS.get(key)
    if known is not None and known[0]() is program:
        return known[1]
    plan = _Plan(earn_index(program.earn, program.earn_per_minor),
                 campaigns(program.promotions),
                 card_plans(program.punch_cards, program.coupons,
                            minor_units=program.minor_units))
    _PLANS[key] = (weakref.ref(program, lambda _: _PLANS.pop(key, None)), plan)
    return plan


def awards_for_order(program: Program, order: Order, state: MemberState | None) -> Awards:
    """Everything ``order`` earns for its member; a non-member order earns nothing (it is
    recorded for the reports all the same)."""
    if order.member_id is None or state is None:
        return Awards()
    plan = _plan(program)
    tier = program.find_tier(state.tier) or program.tiers[0]
    nets = order.line_nets()
    nums, common = plan.earn.weights(order.lines, nets, tier.multiplier)
    earns = sum(nets) >= program.min_spend_minor
    rounding = plan.earn.rounding
    awards = base_awards(nets, nums, common, rounding, earns)
    # Each section runs only when the document has it: most sales are plain earns, and
    # every microsecond here is one the cashier waits for (BENCHMARKS.md, durable sale).
    applied: tuple[str, ...] = ()
    zone = program.zone
    if plan.campaigns:
        running = running_campaigns(plan.campaigns, tier=tier.id, channel=order.channel,
                                    store=order.store, at=order.occurred_at, zone=zone)
        if running:
            promos, applied = promotion_awards(running, program.promotion_stacking, order,
                                               nums, common, earns, rounding)
            awards += promos
    bonuses = program.bonuses
    if bonuses.birthday or bonuses.first_purchase:
        first = bonuses.first_purchase
        awards += order_bonuses(bonuses, order, state, zone,
                                program.minor(first.min_amount) if first else 0)
    if not program.coupons:
        return Awards(awards, applied)
    stamps, card_coupons = stamp_cards(plan.cards, order, nets, state, zone=zone)
    coupons = coupons_for_order(program.coupons, order, state, zone=zone,
                                minor_units=program.minor_units)
    return Awards(awards + stamps, applied,
                  card_coupons + coupons + _birthday_gifts(program, order, state))


def _birthday_gifts(program: Program, order: Order, state: MemberState
                    ) -> tuple[CouponIssue, ...]:
    """Birthday coupons, in the birthday bonus's window (the birthday month if the program
    gives no points for birthdays), dated at the window's start like the bonus and valid
    for their days from its end (so never expired when given)."""
    if state.birthday is None or not program.coupons:
        return ()
    window = program.bonuses.birthday or Birthday(points=0)
    year = birthday_year(window, state.birthday, order.occurred_at.astimezone(
        program.zone).date())
    if year is None:
        return ()
    first = window_start(window, state.birthday, year)
    return birthday_coupons(program.coupons, year=year,
                            at=local_midnight(first, program.zone),
                            window_end=window_end(window, first), zone=program.zone)


def enrolment_coupons(program: Program, *, enrolled_at: datetime, referred: bool
                      ) -> tuple[CouponIssue, ...]:
    """The coupons a new member gets: each ``welcome`` coupon (a ``referred_only`` one
    only when a member referred them) and, when referred, the referral's
    ``welcome_coupon``; valid from the enrolment (a stable fact, so the kiosk's copy and
    the ledger's are one coupon)."""
    issued = welcome_coupons(program.coupons, referred=referred, at=enrolled_at,
                             zone=program.zone)
    referral = program.bonuses.referral
    gift = referral.welcome_coupon if referral is not None and referred else None
    if gift is None or any(c.rule == gift for c in issued):
        return issued
    rule = next(r for r in program.coupons if r.id == gift)  # the program checked it's there
    return (*issued, CouponIssue(rule=gift, once=f"coupon:{gift}:welcome",
                                 valid_from=enrolled_at, expires_at=coupon_expiry(
                                     enrolled_at, rule.valid_days, program.zone)))


def promotions_for(program: Program, tier: str, *, channel: str, store: str | None,
                   at: datetime) -> tuple[Promotion, ...]:
    """The campaigns on for a member of ``tier`` at this counter now: what the member
    screen lists, and the sale preview names those that applied."""
    return promotions_on(program.promotions, tier=tier, channel=channel, store=store, at=at,
                         zone=program.zone)


# -- from awards to entries, and back (the ledger's check) --------------------------------

DERIVED_CHANNEL = "program"
"""The channel of an entry with a derived id: not the kiosk's, so two kiosks that grant
the same birthday bonus offline make identical entries and the ledger keeps one."""


class Profile(Protocol):
    """A member as a store holds them (the kiosk's ``Member``, the ledger's row)."""

    @property
    def enrolled_at(self) -> datetime: ...
    @property
    def birthday(self) -> date | None: ...
    @property
    def referrer_id(self) -> uuid.UUID | None: ...
    @property
    def profile_pending(self) -> bool: ...


def member_state(tier: str, profile: Profile | None, bought_before: bool,
                 stamps: Mapping[str, int] | None = None,
                 period_spend: Mapping[str, int] | None = None) -> MemberState:
    """What the rules know of a member, at the counter and on the ledger alike. Known only
    by another store's card (no profile of their own here): their birthday and enrolment
    are that store's to say, and a once-only bonus dated by a guess would be refused by
    the ledger, so none is given. ``stamps``: held per punch card, by card id (the cards
    with none are left out, so the recorded state stays small); ``period_spend``: the
    spend before this order in each calendar period a coupon rule counts ("2026-Q4")."""
    held = tuple(sorted((card, n) for card, n in (stamps or {}).items() if n))
    spent = tuple(sorted((period_spend or {}).items()))
    if profile is None or profile.profile_pending:
        return MemberState(tier, stamps=held, period_spend=spent)
    return MemberState(tier, profile.enrolled_at, profile.birthday, profile.referrer_id,
                       purchases_before=int(bought_before), stamps=held, period_spend=spent)


def record_for(program: Program, order: Order, state: MemberState | None) -> OrderRecord:
    """The order as it is kept: with the state, the version and the awards of each line."""
    awards = awards_for_order(program, order, state)
    return OrderRecord(order, state, program.version, awards.awards, awards.coupons)


def _merged(awards: Sequence[Award]) -> dict[tuple[EntryKind, str], list[int]]:
    """Points (or a card's stamps) and spend per (kind, rule), in first-appearance order:
    an order's entries are one per rule (its lines' awards stay with the order, for
    refunds by line); a card's new stamps and a full card's take-back make one net entry
    (the rule is the card's wallet, ``card:<id>``)."""
    out: dict[tuple[EntryKind, str], list[int]] = {}
    for a in awards:
        if a.once is None:
            total = out.setdefault((a.kind, a.rule), [0, 0])
            total[0] += a.points
            total[1] += a.amount_minor
    return out


def order_entries(record: OrderRecord, *, new_id: Callable[[], uuid.UUID],
                  staff: str | None) -> tuple[Entry, ...]:
    """The entries an order makes: one per rule (the base earn always, carrying the spend;
    the others when they give points), then the once-only awards under their derived ids,
    dated by their stable facts, on :data:`DERIVED_CHANNEL`, with nothing of this visit."""
    order, state, member = record.order, record.state, record.order.member_id
    if member is None or state is None:
        return ()
    entries = [Entry(new_id(), member, kind, points, order.channel, order.occurred_at,
                     record.program_version, order.order_ref, amount,
                     note=None if rule == BASE else rule, tier=state.tier, staff=staff)
               for (kind, rule), (points, amount) in _merged(record.awards).items()
               if points or rule == BASE]
    entries += [Entry(derived_id(member, a.once), member, a.kind, a.points, DERIVED_CHANNEL,
                      a.at or order.occurred_at, record.program_version, note=a.once)
                for a in record.awards if a.once is not None and a.wallet == POINTS]
    return tuple(entries)


def expected_entries(program: Program, record: OrderRecord, awards: Awards | None = None
                     ) -> dict[str | None, tuple[EntryKind, int, int]]:
    """What the rules give for a recorded order, by the note its entry carries (None for
    the base earn): kind, points and spend. The ledger re-runs this for every uploaded
    entry of an order and refuses what does not match. ``awards``: the order's, when the
    caller worked them out already (the ledger keeps them for the coupons it issues)."""
    if awards is None:
        awards = awards_for_order(program, record.order, record.state)
    return {None if rule == BASE else rule: (kind, points, amount)
            for (kind, rule), (points, amount) in _merged(awards.awards).items()}


def derived_problem(program: Program, *, entry_id: uuid.UUID, member_id: uuid.UUID,
                    points: int, note: str | None, occurred_at: datetime,
                    birthday: date | None, enrolled_at: datetime | None,
                    purchased_minor: int) -> str | None:
    """Why an entry on :data:`DERIVED_CHANNEL` is not a bonus this program grants this
    member (checked from stable facts the ledger holds: the member's birthday, enrolment
    and ``purchased_minor``, the most they paid in one order the ledger has, 0 for none),
    or None. The note must be exactly the once key the counter writes: another spelling of
    the same year or bonus would derive another id, so a second bonus."""
    if note is None or entry_id != derived_id(member_id, note):
        return "a derived entry's id is not the one its note derives"
    rule = note.partition(":")[0]
    bonuses = program.bonuses
    if rule == BIRTHDAY and bonuses.birthday and birthday:
        return _birthday_problem(program, bonuses.birthday, note, points, occurred_at,
                                 birthday, enrolled_at)
    first = bonuses.first_purchase
    if rule == FIRST_PURCHASE and first:
        if note != FIRST_PURCHASE:
            return f"a first-purchase bonus's note is {FIRST_PURCHASE!r}, not {note!r}"
        # Dated at enrolment, or at the purchase when that came first (an enrolment dated
        # by a clock that ran ahead: ``order_bonuses``); an earlier date gains nothing.
        if points != first.points or enrolled_at is None or occurred_at > enrolled_at:
            return (f"program {program.version} gives {first.points} points for a first "
                    "purchase, dated at enrolment (or at the purchase, if earlier)")
        least = max(program.minor(first.min_amount), 1)
        if purchased_minor < least:
            return (f"the ledger has no order of this member paying at least {least} (minor "
                    "units): a first-purchase bonus needs their first purchase")
        return None
    if rule == REFERRAL:  # it needs every channel's purchases and refunds
        return ("a referral bonus is granted by the ledger alone (sync/server/referrals.py), "
                "never by a device")
    return f"program {program.version} grants no {rule!r} bonus to this member"


_BIRTHDAY_NOTE = re.compile(r"birthday:([1-9][0-9]{3})")  # ASCII digits: as the counter writes


def _birthday_problem(program: Program, rule: Birthday, note: str, points: int,
                      occurred_at: datetime, birthday: date, enrolled_at: datetime | None
                      ) -> str | None:
    """The birthday bonus of the year its note names: its points, dated at the window's
    start, of a window that was still open when the member enrolled."""
    year = _BIRTHDAY_NOTE.fullmatch(note)
    if year is None:
        return f"a birthday bonus's note is birthday:<year> (four digits), not {note!r}"
    try:
        first = window_start(rule, birthday, int(year[1]))
        start, last = local_midnight(first, program.zone), window_end(rule, first)
    except (ValueError, OverflowError):
        return f"{note!r}: the calendar holds no birthday window that year"
    if points != rule.points or occurred_at != start:
        return (f"program {program.version} gives {rule.points} points for the {year[1]} "
                f"birthday, dated {start.isoformat()}")
    if enrolled_at is None or last < enrolled_at.astimezone(program.zone).date():
        return (f"the {year[1]} birthday window closed on {last.isoformat()}, before the "
                "member enrolled")
    return None


def unapplied(program: Program) -> list[str]:
    """The sections the engine computes but the counter and the ledger don't apply yet
    (issue 14 is open for them): said when such a program is published, so a store owner
    isn't misled into thinking points expire or stamps add up. Since the counter's
    checkout takes coupons (issue 15) every section applies: none is named."""
    del program  # a new section the engine computes before it is applied is named here
    return []

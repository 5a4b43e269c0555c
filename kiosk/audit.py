"""What the ledger checks of every entry a device uploads: the pure part.

DESIGN ("The program engine", point 3): the ledger is the authority. It re-runs the same
rules the counter ran, with the inputs the entry records (amount, tier, reward) under the
program version the entry names, and refuses what doesn't match, with a reason code a
report can count. A stolen kiosk token is then not a licence to mint points: the most it
can claim is what the program would have given for a sale it says happened.

What needs the ledger's data (whether the member could hold the tier claimed, the entry a
reversal mirrors) is checked by the ledger with the helpers here; nothing in this module
reads a database or a clock.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from kiosk.engine.checkout import (
    CHECKOUT_NOTE,
    MAX_COUPONS,
    REWARD_LINE,
    CheckoutProblem,
    CouponTerms,
    Priced,
    price_checkout,
)
from kiosk.engine.donations import donation_problem
from kiosk.engine.orders import NO_LOYALTY, Order
from kiosk.engine.tier_policy import Event
from kiosk.ledger import REVERSIBLE, SPEND_KINDS, EntryKind
from kiosk.program import Program, Tier, points_for_amount
from kiosk.tiers import tier_standing

# A device's clock may run this far ahead of the ledger's before its entries are refused
# as dated in the future (a clock set a day or two years ahead would otherwise steer tiers
# and daily limits everywhere).
FUTURE_TOLERANCE = timedelta(minutes=5)
# How much earlier than the entry the ledger still counts spend toward the tier claimed:
# the counter's window ends at its own clock, which may lag the ledger's.
TIER_WINDOW_SLACK = timedelta(days=1)


class Rejected(enum.StrEnum):
    """Why the ledger refused an entry; stable codes for reports and translations."""

    ENTRY_RULES = "entry_rules"  # breaks the ledger's own shape rules (sign, time zone, ...)
    WRONG_CHANNEL = "wrong_channel"  # claims another device's channel
    UNKNOWN_VERSION = "unknown_program_version"
    VERSION_NOT_IN_FORCE = "version_not_in_force"  # an order under a version not in force
    # at its date, nor replaced within the grace before it (kiosk.program_versions)
    AMOUNT = "amount_out_of_bounds"
    POINTS = "points_mismatch"  # not what the rules give for the recorded inputs
    UNKNOWN_TIER = "unknown_tier"
    TIER_NOT_HELD = "tier_not_held"  # the member's spend can't have reached the tier claimed
    UNKNOWN_REWARD = "unknown_reward"
    REWARD_COST = "reward_cost"
    BONUS = "bonus_not_granted"
    ADJUSTMENT = "adjustment_out_of_bounds"
    OFFLINE_LIMIT = "offline_limit"  # spent without a hold beyond the floor limits
    KIND = "kind_not_issued"  # a kind this program issues nowhere yet
    FUTURE = "dated_in_future"
    UNKNOWN_MEMBER = "unknown_member"
    ORIGINAL = "original_missing"
    MIRROR = "not_a_mirror"
    OTHER_CHANNEL = "other_channels_order"  # reverses an entry another channel recorded
    CONFLICT = "conflict"
    ORDER_RECORDED = "order_recorded"
    ALREADY_REVERSED = "already_reversed"
    WITHHELD = "withheld_by_device"  # the device could not send it (kept there, reported)
    ORDER_AWARDS = "order_awards_mismatch"  # not what the rules give for its recorded order
    DERIVED = "derived_bonus"  # a once-only bonus the program doesn't grant this member so
    CHECKOUT = "checkout_points"  # a checkout's points: not its reward's cost and steps
    LOYALTY = "loyalty_mismatch"  # an order's discount is not what its loyalty gives
    DONATION = "donation"  # to no cause the program has, or out of its bounds
    REFUND = "beyond_refund"  # reverses more than the order's refunds give back
    NOT_REVERSIBLE = "not_reversible"  # reverses a kind no device takes back (a transfer...)


@dataclass(frozen=True, slots=True)
class Rejection:
    code: Rejected
    message: str


class Claim(Protocol):
    """The fields of an uploaded entry the rules read (a wire entry has them all: the
    ledger audits 500 of them an upload without copying them first)."""

    @property
    def kind(self) -> EntryKind: ...
    @property
    def points(self) -> int: ...
    @property
    def amount_minor(self) -> int: ...
    @property
    def channel(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def program_version(self) -> str: ...
    @property
    def reward_id(self) -> str | None: ...
    @property
    def note(self) -> str | None: ...
    @property
    def tier(self) -> str | None: ...
    @property
    def reverses(self) -> uuid.UUID | None: ...


@dataclass(frozen=True, slots=True)
class Audited:
    """An entry that passed; ``tier`` is the tier its points were earned at, which the
    ledger checks against the member's spend when it is above the first."""

    tier: Tier | None = None


SIGNUP = "signup"


def audit(claim: Claim, *, device: str, program: Program | None,
          received_at: datetime) -> Rejection | Audited:
    """The rules re-run for one entry ``device`` uploaded. ``program`` is the version the
    entry names, None if the ledger never published it."""
    if claim.channel != device:
        return Rejection(Rejected.WRONG_CHANNEL,
                       f"channel {claim.channel!r} is not this device's ({device!r})")
    if program is None:
        return Rejection(Rejected.UNKNOWN_VERSION,
                       f"program version {claim.program_version!r} was never published")
    if claim.occurred_at > received_at + FUTURE_TOLERANCE:
        return Rejection(Rejected.FUTURE, f"dated {claim.occurred_at.isoformat()}, after the "
                       f"ledger's clock ({received_at.isoformat()}): check the device's clock")
    if claim.amount_minor and claim.kind not in SPEND_KINDS:
        return Rejection(Rejected.AMOUNT, f"a {claim.kind} entry carries no spend, not "
                         f"{claim.amount_minor}: only a sale's earn (and its reversal) do")
    if claim.kind is EntryKind.EARN:
        return _earn(claim, program)
    if claim.kind is EntryKind.BONUS:
        if claim.note != SIGNUP or claim.points != program.signup_bonus:
            return Rejection(Rejected.BONUS, f"program {program.version} grants a sign-up "
                           f"bonus of {program.signup_bonus} and no other bonus")
        return Audited()
    if claim.kind is EntryKind.REDEEM and claim.note == CHECKOUT_NOTE:
        return _checkout(claim, program)
    if claim.kind is EntryKind.REDEEM:
        reward = program.reward(claim.reward_id) if claim.reward_id else None
        if reward is None:
            return Rejection(Rejected.UNKNOWN_REWARD, f"reward {claim.reward_id!r} is not in "
                           f"program {program.version}")
        if claim.points != -reward.cost:
            return Rejection(Rejected.REWARD_COST, f"reward {reward.id!r} costs {reward.cost} "
                           f"points, not {-claim.points}")
        return Audited()
    if claim.kind is EntryKind.DONATE:
        problem = donation_problem(program.causes, claim.note, claim.points)
        if problem is not None:
            return Rejection(Rejected.DONATION, f"program {program.version}: {problem}")
        return Audited()
    if claim.kind is EntryKind.ADJUST:
        bound = program.limits.max_adjustment_points
        if claim.points == 0 or abs(claim.points) > bound or not (claim.note or "").strip():
            return Rejection(Rejected.ADJUSTMENT, f"an adjustment is 1 to {bound} points, up "
                           "or down, with a reason")
        return Audited()
    if claim.kind is EntryKind.REVERSE or (claim.kind is EntryKind.STAMP
                                           and claim.reverses is not None):
        return Audited()  # checked against the entry it reverses: reversal_problem
    return Rejection(Rejected.KIND, f"program {program.version} issues no {claim.kind} entries")


def _checkout(claim: Claim, program: Program) -> Rejection | Audited:
    """A checkout's redeem entry: its reward's cost and the points used as money, in the
    program's steps (the order it names is priced again with them: :func:`loyalty_problem`)."""
    cost = 0
    if claim.reward_id is not None:
        reward = program.reward(claim.reward_id)
        if reward is None:
            return Rejection(Rejected.UNKNOWN_REWARD, f"reward {claim.reward_id!r} is not in "
                             f"program {program.version}")
        cost = reward.cost
    as_money, policy = -claim.points - cost, program.points_as_money
    if claim.points >= 0 or as_money < 0:
        return Rejection(Rejected.CHECKOUT, f"a checkout takes at least its reward's cost "
                         f"({cost} points), not {-claim.points}")
    if as_money and (policy is None or as_money % policy.step):
        return Rejection(Rejected.CHECKOUT, f"program {program.version} takes no "
                         f"{as_money} points as money" + (
                             "" if policy is None else f" (steps of {policy.step})"))
    return Audited()


def price_order(program: Program, order: Order) -> Priced:
    """The order's loyalty priced again on its basket under ``program`` (with the coupon
    rules it recorded); CheckoutProblem naming what no checkout could have priced."""
    used = order.loyalty
    reward = None
    if used.reward_id is not None:
        reward = program.reward_terms(used.reward_id)
        if reward is None:
            raise CheckoutProblem(f"reward {used.reward_id!r} is not in program "
                                  f"{program.version}")
    if len(used.coupon_ids) != len(used.coupon_rules) or len(used.coupon_ids) > MAX_COUPONS:
        raise CheckoutProblem(f"an order uses at most {MAX_COUPONS} coupon, each with its "
                              "rule")
    coupon = None
    if used.coupon_ids:
        rule = next((r for r in program.coupons if r.id == used.coupon_rules[0]), None)
        if rule is None:
            raise CheckoutProblem(f"coupon rule {used.coupon_rules[0]!r} is not in program "
                                  f"{program.version}")
        coupon = CouponTerms(used.coupon_ids[0], rule)
    free = f"{REWARD_LINE}{used.reward_id}" if reward is not None and reward.free_item else None
    lines = order.lines  # the pricing puts a free item reward's line last: take it off
    basket = lines[:-1] if free is not None and lines and lines[-1].code == free else lines
    return price_checkout(basket, minor_units=program.minor_units, reward=reward,
                          coupon=coupon, points=used.points_used,
                          policy=program.points_as_money)


def loyalty_problem(program: Program, order: Order) -> str | None:
    """Why the order's discount is not what its reward, coupons and points used give on its
    lines under ``program`` (:func:`price_order`), or None. A discount the loyalty doesn't
    justify would earn points on money the member never paid."""
    if order.loyalty == NO_LOYALTY:
        return None
    try:
        priced = price_order(program, order)
    except CheckoutProblem as exc:
        return str(exc)
    if priced.loyalty.discount_minor != order.loyalty.discount_minor:
        return (f"its loyalty takes {priced.loyalty.discount_minor} off, not "
                f"{order.loyalty.discount_minor}")
    if priced.lines != order.lines:
        return "a free item reward's line is missing or out of place"
    if (priced.loyalty.reward_minor, priced.loyalty.reward_lines) != (
            order.loyalty.reward_minor, order.loyalty.reward_lines):
        return "its reward is said to be off other lines than the reward is"
    return None


def _earn(claim: Claim, program: Program) -> Rejection | Audited:
    if not 0 <= claim.amount_minor <= program.max_sale_minor:
        return Rejection(Rejected.AMOUNT, f"a sale is 0 to {program.max_sale_minor} in minor "
                       f"units, not {claim.amount_minor}")
    if claim.tier is not None:
        tier = program.find_tier(claim.tier)
        if tier is None:
            return Rejection(Rejected.UNKNOWN_TIER,
                           f"tier {claim.tier!r} is not in program {program.version}")
        candidates = [tier]
    else:  # uploaded before entries recorded their tier: the lowest that gives the points
        candidates = list(program.tiers)
    for tier in candidates:
        if points_for_amount(program, claim.amount_minor, tier) == claim.points:
            return Audited(tier)
    return Rejection(Rejected.POINTS, f"{claim.points} points is not what program "
                   f"{program.version} gives for {claim.amount_minor}"
                   + (f" at tier {claim.tier}" if claim.tier else " at any tier"))


def tier_floor_minor(program: Program, tier: Tier) -> int:
    return program.tier_floors_minor[program.tiers.index(tier)]


def tier_not_held(program: Program, tier: Tier, gross_spend_minor: int) -> Rejection | None:
    """Whether a member whose purchases (refunds not subtracted: a refund the counter had
    not heard of yet must not make its honest claim look false) add up to
    ``gross_spend_minor`` in the window could hold ``tier``."""
    floor = tier_floor_minor(program, tier)
    if gross_spend_minor >= floor:
        return None
    return Rejection(Rejected.TIER_NOT_HELD, f"tier {tier.id} needs {floor} of spend in the "
                   f"window; the ledger knows of {gross_spend_minor}")


def tier_not_reached(program: Program, tier: Tier, gross_events: Iterable[Event],
                     at: datetime) -> Rejection | None:
    """Under a tier policy other than the window's spend: whether a member whose
    purchases (refunds left out, as for :func:`tier_not_held`) are ``gross_events`` could
    hold ``tier`` at ``at`` (:func:`kiosk.tiers.tier_standing`)."""
    held = tier_standing(program, gross_events, at).tier
    if program.tiers.index(held) >= program.tiers.index(tier):
        return None
    unit = "points" if program.tier_rule.basis == "points" else "spend"
    return Rejection(Rejected.TIER_NOT_HELD, f"tier {tier.id} is not what the program's "
                     f"tier policy gives for the {unit} the ledger knows of ({held.id})")


def reversal_problem(*, channel: str, points: int, amount_minor: int, member: object,
                     original_channel: str, original_points: int, original_amount: int,
                     original_member: object, kind: EntryKind | str = EntryKind.REVERSE,
                     note: str | None = None, original_kind: EntryKind | str = EntryKind.EARN,
                     original_note: str | None = None,
                     original_reverses: object = None) -> Rejection | None:
    """A whole reversal: one that may reverse the original (:func:`reversal_kind_problem`)
    and mirrors it exactly."""
    problem = reversal_kind_problem(channel=channel, member=member, kind=kind, note=note,
                                    original_channel=original_channel,
                                    original_member=original_member,
                                    original_kind=original_kind, original_note=original_note,
                                    original_reverses=original_reverses)
    if problem is None and (original_member != member or original_points != -points
                            or original_amount != -amount_minor):
        return Rejection(Rejected.MIRROR, "does not mirror the entry it reverses")
    return problem


def reversal_kind_problem(*, channel: str, member: object, kind: EntryKind | str,
                          note: str | None, original_channel: str, original_member: object,
                          original_kind: EntryKind | str, original_note: str | None,
                          original_reverses: object) -> Rejection | None:
    """Whether an entry may reverse ``original`` at all, whatever its amounts (a refund
    by line reverses it in parts: ``sync/server/refunds.py`` checks those): recorded by the
    channel that recorded the original, for the same member; a points entry is reversed
    by a ``reverse`` entry, a punch card's stamp entry by a stamp entry on the same card
    (else a reversal of stamps would mint points, or the reverse); a reversal is never
    itself reversed; and only what an order or a redemption recorded is taken back
    (``kiosk.ledger.REVERSIBLE``): a transfer's two entries are on the channel that asked
    for it, and its reversal would give the giver back what the receiver keeps."""
    if original_channel != channel:
        return Rejection(Rejected.OTHER_CHANNEL, f"reverses an entry of {original_channel}; "
                       "an order is refunded where it was rung up")
    if original_reverses is None and EntryKind(original_kind) not in REVERSIBLE:
        return Rejection(Rejected.NOT_REVERSIBLE, "reverses an entry of kind "
                         f"{EntryKind(original_kind).value!r}: a device takes back only what "
                         "an order or a redemption recorded")
    stamps = EntryKind(original_kind) is EntryKind.STAMP
    if (EntryKind(kind) is EntryKind.STAMP) != stamps or (stamps and note != original_note):
        return Rejection(Rejected.MIRROR, "a punch card's stamps are reversed by a stamp entry "
                       "on the same card, and points by a reverse entry")
    if original_reverses is not None:
        return Rejection(Rejected.MIRROR, "a reversal is not itself reversed")
    if original_member != member:
        return Rejection(Rejected.MIRROR, "does not mirror the entry it reverses")
    return None

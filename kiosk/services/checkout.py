"""One checkout per visit: the basket, then what loyalty pays (a reward, a coupon, points as
money), then the net to pay; one order, one transaction, one receipt.

The order of steps is the redemption's (``kiosk/services/redemption.py``): the redeem entry
(and its id) is made once, before anything is asked; online the ledger holds its points
and the coupon in one hold before anything is written here, and the hold is confirmed
after the commit; offline the floor limits decide, for points and coupons alike, and a
coupon can be taken only if this kiosk holds it and hasn't used it. The order, its earn on
the net paid, the redemption and the coupon's use commit in the sale's transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from kiosk.engine.checkout import (
    CHECKOUT_NOTE,
    CheckoutProblem,
    CouponTerms,
    Priced,
    max_points,
    price_checkout,
)
from kiosk.engine.coupons import CouponRule, coupon_problem
from kiosk.engine.orders import Order
from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program
from kiosk.records import SaleState, StorageError
from kiosk.services.context import Kiosk
from kiosk.services.errors import (
    InputProblem,
    InvalidInput,
    MemberNotSynced,
    Refusal,
    UnknownReward,
    Unreachable,
)
from kiosk.services.ports import UnitOfWork
from kiosk.services.redemption import within_offline_limits
from kiosk.services.sales import Sale, SaleLine, SaleResult, check_sale, ring_up_sale


class CouponRefused(Refusal):
    """The coupon can't pay for this order: ``reason`` says why, for the counter's words
    ("used", "not_yet", "expired", "min_spend", "item_missing", "other_member",
    "unknown", "offline", "withdrawn", "not_in_program"); the message says it in English."""

    code = "coupon_refused"

    def __init__(self, message: str, reason: str = "unknown") -> None:
        super().__init__(message)
        self.reason = reason


_PROBLEMS = (("already used", "used"), ("not valid yet", "not_yet"), ("expired", "expired"),
             ("order below", "min_spend"), ("free item", "item_missing"))


class LoyaltyRefused(Refusal):
    """Points outside the program's steps or share, or points the program doesn't take."""

    code = "loyalty_refused"


@dataclass(frozen=True, slots=True)
class Checkout:
    member_id: uuid.UUID
    lines: tuple[SaleLine, ...]
    reward_id: str | None = None
    coupon_id: uuid.UUID | None = None
    points: int = 0  # points used as money
    order_ref: str | None = None
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    member_id: uuid.UUID
    sale: SaleResult
    priced: Priced
    redemption: Entry | None  # the reward's cost and the points used, one entry
    coupon: CouponRule | None  # what the coupon used is (its names, its value)
    authorised: str  # "online" (the ledger held it) or "offline" (floor limits)


@dataclass(frozen=True, slots=True)
class Quote:
    """What the checkout screen shows before the cashier confirms."""

    priced: Priced
    max_points: int  # the most points the member may use on what is left of the bill
    coupon: CouponRule | None


def quote_checkout(kiosk: Kiosk, checkout: Checkout) -> Quote:
    """The bill as loyalty would leave it (nothing is written or asked)."""
    program, now = kiosk.program, kiosk.clock()
    _check(program, checkout)
    used = _coupon(kiosk, checkout, now)
    priced = _price(program, checkout, used)
    before_points = _price(program, replace(checkout, points=0), used)
    return Quote(priced, max_points(program.points_as_money, before_points.net_minor,
                                    program.minor_units),
                 None if used is None else used.rule)


def check_out(kiosk: Kiosk, checkout: Checkout) -> CheckoutResult:
    """Ring up the visit with what loyalty pays for it; refusals change nothing."""
    program, now = kiosk.program, kiosk.clock()
    _check(program, checkout)
    used = _coupon(kiosk, checkout, now)
    priced = _price(program, checkout, used)
    order_ref = checkout.order_ref or f"S-{kiosk.new_id().hex[:16]}"
    entry = None if not priced.points_cost else Entry(
        kiosk.new_id(), checkout.member_id, EntryKind.REDEEM, -priced.points_cost,
        kiosk.channel, now, program.version, order_ref, reward_id=priced.loyalty.reward_id,
        note=CHECKOUT_NOTE, staff=kiosk.staff_name)
    coupon_ids = priced.loyalty.coupon_ids
    authorised = "offline"
    if kiosk.authoriser is not None and (entry is not None or coupon_ids):
        try:
            kiosk.authoriser.hold_checkout(checkout.member_id, order_ref, entry, coupon_ids)
            authorised = "online"
        except Unreachable:
            pass  # the floor limits decide
    if used is not None and not used.kept and authorised != "online":
        raise CouponRefused("this coupon is the ledger's, and the ledger can't be reached "
                            "to hold it", "offline")
    payment = _Payment(kiosk, entry, coupon_ids if used is not None and used.kept else (),
                       order_ref, now, online=authorised == "online")
    sale = Sale(checkout.member_id, priced.gross_minor, order_ref, priced.lines,
                checkout.approved_by, priced.loyalty)
    try:
        result = ring_up_sale(kiosk, sale, payment)
    except (Refusal, StorageError):
        if authorised == "online" and kiosk.authoriser is not None:
            kiosk.authoriser.release_checkout(order_ref, entry, coupon_ids)
        raise
    if authorised == "online" and kiosk.authoriser is not None:
        if payment.written:
            kiosk.authoriser.confirm_checkout(order_ref, entry, coupon_ids)
        else:  # a retry of an order rung up before: nothing new was spent
            kiosk.authoriser.release_checkout(order_ref, entry, coupon_ids)
    return CheckoutResult(checkout.member_id, result, priced, entry if payment.written else None,
                          None if used is None else used.rule, authorised)


class _Payment:
    """The checkout's side of the sale's transaction (``sales.Payment``)."""

    def __init__(self, kiosk: Kiosk, entry: Entry | None, coupon_ids: tuple[uuid.UUID, ...],
                 order_ref: str, now: datetime, *, online: bool) -> None:
        self.kiosk, self.entry, self.coupon_ids = kiosk, entry, coupon_ids
        self.order_ref, self.now, self.online = order_ref, now, online
        self.written = False

    def write(self, tx: UnitOfWork, state: SaleState) -> int:
        entry = self.entry
        if entry is not None:
            if not self.online:  # the sale checked the member is known here
                if state.profile_pending:
                    raise MemberNotSynced(
                        "this member joined at another store and this kiosk has not synced "
                        "their account yet: their points can be used once it is online")
                within_offline_limits(tx, self.kiosk, entry, -entry.points)
            tx.entries.append([entry])
        for coupon_id in self.coupon_ids:
            if not tx.orders.use_coupon(coupon_id, self.order_ref, self.now):
                raise CouponRefused("this coupon was used at this kiosk a moment ago", "used")
        self.written = True
        return 0 if entry is None else entry.points


def _check(program: Program, checkout: Checkout) -> None:
    if not checkout.lines:
        raise InvalidInput("a checkout needs at least one basket line", InputProblem.BASKET_LINE)
    check_sale(program, Sale.of_basket(checkout.member_id, checkout.lines, checkout.order_ref,
                                       checkout.approved_by))


@dataclass(frozen=True, slots=True)
class _Used:
    terms: CouponTerms
    kept: bool  # held in this kiosk's store (else the ledger's: usable online only)

    @property
    def rule(self) -> CouponRule:
        return self.terms.rule


def _coupon(kiosk: Kiosk, checkout: Checkout, now: datetime) -> _Used | None:
    """The coupon asked for, if it is this member's and can pay for the basket now (one
    this kiosk holds, or online one the ledger holds: issued by another store or the
    shop); CouponRefused naming why not."""
    program, coupon_id = kiosk.program, checkout.coupon_id
    if coupon_id is None:
        return None
    with kiosk.store.read() as tx:
        kept = tx.orders.coupon(coupon_id)
    local = kept is not None
    if kept is None and kiosk.authoriser is not None:
        try:
            kept = kiosk.authoriser.find_coupon(checkout.member_id, coupon_id)
        except Unreachable:
            raise CouponRefused("this kiosk holds no such coupon and the ledger can't be "
                                "reached to look it up", "offline") from None
    if kept is None:
        raise CouponRefused("no such coupon for this member (a coupon from the shop or "
                            "another store is taken while the kiosk is online)")
    if kept.member_id != checkout.member_id:
        raise CouponRefused("this coupon belongs to another member", "other_member")
    rule = next((r for r in program.coupons if r.id == kept.issue.rule), None)
    if rule is None:
        raise CouponRefused(f"coupon {kept.issue.rule!r} is no longer in program "
                            f"{program.version}", "not_in_program")
    basket = Order(kiosk.channel, "quote", now, checkout.lines)
    problem = coupon_problem(rule, valid_from=kept.issue.valid_from,
                             expires_at=kept.issue.expires_at, used=kept.used_by is not None,
                             order=basket, at=now, zone=program.zone,
                             minor_units=program.minor_units)
    if problem is not None:
        reason = next((r for start, r in _PROBLEMS if problem.startswith(start)), "unknown")
        raise CouponRefused(f"this coupon can't be used: {problem}", reason)
    return _Used(CouponTerms(coupon_id, rule), local)


def _price(program: Program, checkout: Checkout, used: _Used | None) -> Priced:
    reward = None
    if checkout.reward_id is not None:
        reward = program.reward_terms(checkout.reward_id)
        if reward is None:
            raise UnknownReward(f"there is no reward {checkout.reward_id!r} in program "
                                f"{program.version}")
    try:
        return price_checkout(checkout.lines, minor_units=program.minor_units, reward=reward,
                              coupon=None if used is None else used.terms,
                              points=checkout.points, policy=program.points_as_money)
    except CheckoutProblem as exc:
        raise LoyaltyRefused(str(exc)) from None

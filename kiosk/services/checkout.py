"""One checkout per visit: the basket, then what loyalty pays (a reward, a coupon, points as
money), then the net to pay; one order, one transaction, one receipt.

The order of steps is the redemption's (``kiosk/services/redemption.py``): the redeem entry
(and its id) is made once, before anything is asked; online the ledger holds its points
and the coupon in one hold before anything is written here, and the hold is confirmed
after the commit; offline the floor limits decide for the points, and a coupon can be
taken only if this kiosk holds it and hasn't used it (a use elsewhere meanwhile is the
ledger's to report: ``sync/server/coupon_uses.py``). The order, its earn on
the net paid, the redemption and the coupon's use commit in the sale's transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from kiosk.audit import price_order
from kiosk.engine.checkout import (
    CHECKOUT_NOTE,
    REWARD_LINE,
    CheckoutProblem,
    CouponTerms,
    Priced,
    max_points,
    price_checkout,
)
from kiosk.engine.coupons import CouponRule, coupon_problem
from kiosk.engine.orders import Order
from kiosk.engine.record import OrderRecord
from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program
from kiosk.records import KeptCoupon, SaleState, StorageError
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
from kiosk.services.sales import (
    Sale,
    SaleLine,
    SaleResult,
    check_sale,
    new_order_ref,
    ring_up_sale,
)


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


def quote_checkout(kiosk: Kiosk, checkout: Checkout, found: FoundCoupon | None = None
                   ) -> Quote:
    """The bill as loyalty would leave it (nothing is written). ``found``: the coupon
    looked up already; else it is looked up now (online, another store's at the ledger)."""
    now = kiosk.clock()
    program = kiosk.programs.at(now)
    _check(program, checkout)
    used = _coupon(kiosk, checkout, now, found)
    priced = _price(program, checkout, used)
    before_points = _price(program, replace(checkout, points=0), used)
    return Quote(priced, max_points(program.points_as_money, before_points.net_minor,
                                    program.minor_units),
                 None if used is None else used.rule)


def check_out(kiosk: Kiosk, checkout: Checkout) -> CheckoutResult:
    """Ring up the visit with what loyalty pays for it; refusals change nothing. Priced and
    rung up under one program version, the one in force at its moment."""
    now = kiosk.clock()
    program = kiosk.programs.at(now)
    _check(program, checkout)
    with kiosk.store.peek() as tx:  # one look at the store for both (a sale waits for it)
        earlier = (None if checkout.order_ref is None
                   else tx.orders.get(kiosk.channel, checkout.order_ref))
        kept = None if checkout.coupon_id is None else tx.orders.coupon(checkout.coupon_id)
    if earlier is not None:  # a retry (a double tap, a till that didn't hear back)
        return _rung_up_before(kiosk, checkout, earlier)
    found = (None if kept is None or checkout.coupon_id is None
             else _own(FoundCoupon(checkout.coupon_id, kept, True), checkout.member_id))
    used = _coupon(kiosk, checkout, now, found)
    priced = _price(program, checkout, used)
    order_ref = checkout.order_ref or new_order_ref(kiosk)
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
        result = ring_up_sale(kiosk, sale, payment, at=now)
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


def _rung_up_before(kiosk: Kiosk, checkout: Checkout, record: OrderRecord) -> CheckoutResult:
    """The checkout rung up before under this order number (``record``), answered as the
    first time (nothing is asked, held or written again); InvalidInput if the number was
    used for another member or basket."""
    assert checkout.order_ref is not None
    order, used = record.order, record.order.loyalty
    program = kiosk.programs.at(order.occurred_at)  # as it was priced
    try:
        priced = price_order(program, order)
    except CheckoutProblem:
        priced = None
    # The basket as the till sent it: the priced lines but a free item reward's own, last.
    basket = None if priced is None else tuple(
        line for line in priced.lines if not line.code.startswith(REWARD_LINE))
    same = (priced is not None and order.member_id == checkout.member_id
            and basket == checkout.lines
            and (used.reward_id, used.coupon_ids[:1], used.points_used) == (
                checkout.reward_id, (checkout.coupon_id,) if checkout.coupon_id else (),
                checkout.points))
    if not same or priced is None:
        raise InvalidInput(f"order {checkout.order_ref} was already rung up with a different "
                           "member or basket", InputProblem.ORDER_REUSED)
    sale = ring_up_sale(kiosk, Sale(checkout.member_id, priced.gross_minor,
                                    checkout.order_ref, priced.lines, None, priced.loyalty))
    rule = next((r for r in program.coupons if used.coupon_rules[:1] == (r.id,)), None)
    return CheckoutResult(checkout.member_id, sale, priced, None, rule, "offline")


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


@dataclass(frozen=True, slots=True)
class FoundCoupon:
    """A coupon looked up for a member: this kiosk's own (``kept``), or the ledger's."""

    coupon_id: uuid.UUID
    coupon: KeptCoupon
    kept: bool


def find_coupon(kiosk: Kiosk, member_id: uuid.UUID, coupon_id: uuid.UUID) -> FoundCoupon:
    """The coupon as this kiosk holds it, or online as the ledger does (issued by another
    store or the shop: a network call, so the sale screen asks once, off the UI thread);
    CouponRefused if neither has it for this member."""
    with kiosk.store.read() as tx:
        kept = tx.orders.coupon(coupon_id)
    if kept is not None:
        found = FoundCoupon(coupon_id, kept, True)
    elif kiosk.authoriser is None:
        raise CouponRefused("no such coupon for this member (a coupon from the shop or "
                            "another store is taken while the kiosk is online)")
    else:
        try:
            held = kiosk.authoriser.find_coupon(member_id, coupon_id)
        except Unreachable:
            raise CouponRefused("this kiosk holds no such coupon and the ledger can't be "
                                "reached to look it up", "offline") from None
        if held is None:
            raise CouponRefused("no such coupon for this member")
        found = FoundCoupon(coupon_id, held, False)
    return _own(found, member_id)


def _own(found: FoundCoupon, member_id: uuid.UUID) -> FoundCoupon:
    if found.coupon.member_id != member_id:
        raise CouponRefused("this coupon belongs to another member", "other_member")
    return found


def _coupon(kiosk: Kiosk, checkout: Checkout, now: datetime,
            found: FoundCoupon | None = None) -> _Used | None:
    """The coupon asked for, if it is this member's and can pay for the basket now;
    CouponRefused naming why not. ``found``: looked up already (:func:`find_coupon`)."""
    program, coupon_id = kiosk.programs.at(now), checkout.coupon_id
    if coupon_id is None:
        return None
    if found is None or found.coupon_id != coupon_id:
        found = find_coupon(kiosk, checkout.member_id, coupon_id)
    kept = found.coupon
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
    return _Used(CouponTerms(coupon_id, rule), found.kept)


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

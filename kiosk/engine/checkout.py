"""What loyalty pays at checkout: a reward, a coupon and points as money, priced on the basket.

One pure function, :func:`price_checkout`, shared by the counter (which rings it up), the
shop and the ledger (which prices the order again and refuses a discount the order's
loyalty doesn't give), so "10% off" is the same cents everywhere.

Conventions, stated once:

* **Order of application.** The reward first, then the coupon, then points: each takes
  off what is left of the bill, never more, so the net paid is never below zero. A percent
  reward and a percent coupon are worked out on the basket's gross (floor), as a coupon is
  when it is used on its own (``coupon_discount_minor``), then capped by what is left.
* **A free item reward** is a line at zero on the order (code ``REWARD-<id>``): it
  appears on the receipt, earns nothing and stamps nothing.
* **A reward off some lines** (``products``/``categories``): a percent of those lines'
  total, or a fixed amount up to it; a basket without such a line can't take it.
* **Free shipping** (the shop's reward): the order's shipping lines (code ``SHIPPING``)
  come off; a basket without shipping (every counter's) can't take it.
* **Points as money** (``[points_as_money]`` in the program): ``value`` is what one point
  pays; the member chooses how many, in multiples of ``step``, and at most
  ``max_share_percent`` of what the bill comes to after the reward and the coupon
  (floor, in whole steps). Points are earned on the net amount paid.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from pydantic import Field

from kiosk.engine.coupons import CouponRule, coupon_discount_minor
from kiosk.engine.doc import Doc, Money, to_minor
from kiosk.engine.orders import LoyaltyUsed, Order, OrderLine
from kiosk.frozen import quick_init

CHECKOUT_NOTE = "checkout"
"""The note of a checkout's redeem entry: the reward's cost and the points used as money,
for the order it names (the ledger prices the order again to check it)."""

REWARD_LINE = "REWARD-"
"""A free item reward's line: ``REWARD-<reward id>``, one unit at zero."""

SHIPPING_LINE = "SHIPPING"
"""The code of a shop order's shipping line: what a free shipping reward takes off."""

MAX_COUPONS = 1
"""Coupons one checkout may use (a stated stacking rule: one coupon, one reward, points)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # a stand-in order's time: pricing reads no clock


class PointsAsMoney(Doc):
    """Points spent as money at checkout (``[points_as_money]``)."""

    value: Money = Field(gt=0)
    """What one point pays, in the program's currency (1: a point is NT$1; 0.1: ten points
    are NT$1)."""
    step: int = Field(default=1, gt=0, le=100_000, strict=True)
    """Points are used in multiples of this."""
    max_share_percent: int = Field(default=100, ge=1, le=100, strict=True)
    """At most this share of the bill (after the reward and the coupon) is paid in points."""

    def step_minor(self, minor_units: int) -> int:
        """What one step of points pays, in minor units (the program checks it is whole)."""
        return to_minor(self.value * self.step, minor_units)


def check_points_as_money(policy: PointsAsMoney | None, minor_units: int) -> None:
    """Refuse a step that pays a fraction of a minor unit (``points_as_money.value``)."""
    if policy is None:
        return
    worth = policy.value * policy.step
    if worth % Decimal(1).scaleb(-minor_units):
        raise ValueError(f"points_as_money.value: {policy.step} point(s) would pay {worth}, "
                         f"finer than the currency's {minor_units} decimals; raise step")


@quick_init
@dataclass(frozen=True, slots=True)
class RewardTerms:
    """The part of a program's reward that prices a checkout (kept apart from the document
    model so the engine imports nothing of ``kiosk.program``)."""

    id: str
    cost: int  # points
    amount_minor: int = 0  # a fixed discount
    percent: int = 0  # a percent discount
    free_item: bool = False
    free_shipping: bool = False  # the shipping lines (SHIPPING_LINE) come off
    products: tuple[str, ...] = ()  # only off these lines (by code or category); none:
    categories: tuple[str, ...] = ()  # off the whole basket

    def lines_of(self, basket: Sequence[OrderLine]) -> tuple[int, ...]:
        """The lines the reward is off, by index, when it is off some lines only (its
        discount comes off their share of the net paid); () for the whole bill."""
        if self.free_shipping:
            return tuple(i for i, x in enumerate(basket) if x.code == SHIPPING_LINE)
        if not (self.products or self.categories):
            return ()
        return tuple(i for i, x in enumerate(basket)
                     if x.code in self.products or x.category in self.categories)

    def base_minor(self, basket: Sequence[OrderLine]) -> int:
        """The part of the basket the reward is worked out on; CheckoutProblem when the
        basket holds none of what it is for."""
        if self.free_shipping:
            base = sum(x.total_minor for x in basket if x.code == SHIPPING_LINE)
            if base <= 0:
                raise CheckoutProblem(f"reward {self.id!r} takes off shipping, and this "
                                      "order has none")
            return base
        if not (self.products or self.categories):
            return sum(x.total_minor for x in basket)
        base = sum(x.total_minor for x in basket
                   if x.code in self.products or x.category in self.categories)
        if base <= 0:
            wanted = ", ".join((*self.products, *self.categories))
            raise CheckoutProblem(f"reward {self.id!r} is off {wanted}, which this basket "
                                  "doesn't hold")
        return base


@quick_init
@dataclass(frozen=True, slots=True)
class CouponTerms:
    coupon_id: uuid.UUID
    rule: CouponRule


@quick_init
@dataclass(frozen=True, slots=True)
class Discount:
    """One discount line of the receipt: ``source`` is ``reward:<id>``, ``coupon:<rule>``
    or ``points``."""

    source: str
    amount_minor: int


@quick_init
@dataclass(frozen=True, slots=True)
class Priced:
    """The basket as loyalty leaves it."""

    lines: tuple[OrderLine, ...]  # the basket, with a free item reward's line at zero
    discounts: tuple[Discount, ...]
    loyalty: LoyaltyUsed
    points_cost: int  # the reward's cost and the points used as money

    @property
    def gross_minor(self) -> int:
        return sum(line.total_minor for line in self.lines)

    @property
    def net_minor(self) -> int:
        return self.gross_minor - self.loyalty.discount_minor


class CheckoutProblem(ValueError):
    """What is wrong with the loyalty asked for, in words the cashier can act on."""


def max_points(policy: PointsAsMoney | None, left_minor: int, minor_units: int) -> int:
    """The most points the member may use on a bill of ``left_minor`` (after the reward
    and the coupon): whole steps, within the share."""
    if policy is None or left_minor <= 0:
        return 0
    cap = left_minor * policy.max_share_percent // 100
    return cap // policy.step_minor(minor_units) * policy.step


def price_checkout(lines: Sequence[OrderLine], *, minor_units: int,
                   reward: RewardTerms | None = None, coupon: CouponTerms | None = None,
                   points: int = 0, policy: PointsAsMoney | None = None) -> Priced:
    """The discounts of a reward, a coupon and ``points`` used as money on ``lines``;
    CheckoutProblem if the points aren't in the program's steps and limits. Whether the
    coupon may be used at all (its window, its minimum spend, used before) is
    ``coupon_problem``'s to say, before this is called."""
    basket = tuple(lines)
    if reward is not None and reward.free_item:
        basket += (OrderLine(f"{REWARD_LINE}{reward.id}", 1, 0),)
    gross = sum(line.total_minor for line in basket)
    discounts: list[Discount] = []
    left = gross
    reward_minor = 0
    reward_lines: tuple[int, ...] = ()
    if reward is not None and not reward.free_item:
        base = reward.base_minor(basket)
        off = min(left, base if reward.free_shipping
                  else min(base, reward.amount_minor) if reward.amount_minor
                  else base * reward.percent // 100)
        discounts.append(Discount(f"reward:{reward.id}", off))
        left -= off
        reward_lines = reward.lines_of(basket)
        reward_minor = off if reward_lines else 0
    if coupon is not None:
        whole = Order("", "", _EPOCH, basket)  # the coupon prices the basket's gross
        off = min(left, coupon_discount_minor(coupon.rule, whole, minor_units))
        discounts.append(Discount(f"coupon:{coupon.rule.id}", off))
        left -= off
    if points:
        if policy is None:
            raise CheckoutProblem("this program doesn't take points as money")
        if points < 0 or points % policy.step:
            raise CheckoutProblem(f"points are used in steps of {policy.step}, not {points}")
        most = max_points(policy, left, minor_units)
        if points > most:
            raise CheckoutProblem(f"at most {most} points can pay for this bill "
                                  f"({policy.max_share_percent}% of it)")
        off = points // policy.step * policy.step_minor(minor_units)
        discounts.append(Discount("points", off))
        left -= off
    loyalty = LoyaltyUsed(reward.id if reward else None,
                          (coupon.coupon_id,) if coupon else (), points, gross - left,
                          (coupon.rule.id,) if coupon else (), reward_minor, reward_lines)
    return Priced(basket, tuple(discounts), loyalty,
                  (reward.cost if reward else 0) + points)


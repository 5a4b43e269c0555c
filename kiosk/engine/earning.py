"""Base earn: points per currency unit on what the member paid, per product and per
category multipliers and exclusions, points per item, a minimum spend.

Stated once: a line's exact points are ``(line net / per * points * line multiplier +
quantity * points_per_item) * tier multiplier``; the order's points are their sum rounded
once with the document's rounding (so three NT$65 teas earn what one NT$195 sale does),
then spread back over the lines in proportion (``split_pro_rata``), because refunds take
back what a line earned. A line's net is its share of the net amount paid: what loyalty
paid for (a reward, a coupon, points used as money) earns nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator

from kiosk.engine.doc import Code, Doc, Money, Multiplier
from kiosk.engine.orders import Award, OrderLine, split_pro_rata
from kiosk.ledger import EntryKind

Rounding = Literal["floor", "half_up", "half_even"]
BASE = "earn"  # the rule name of base earn awards
_EARN = EntryKind.EARN


class LineRule(Doc):
    """How one product or one category earns: ``multiplier = 0`` excludes it (gift cards,
    tobacco); ``points_per_item`` adds a fixed number per item ("1 point per drink"). A
    product's rule wins over its category's."""

    product: Code | None = None
    category: Code | None = None
    multiplier: Multiplier = Decimal(1)
    points_per_item: int = Field(default=0, ge=0, le=100_000, strict=True)

    @model_validator(mode="after")
    def _one_target(self) -> LineRule:
        if (self.product is None) == (self.category is None):
            raise ValueError("name either a product or a category")
        return self


class Earn(Doc):
    points: int = Field(default=1, ge=0, strict=True)
    per: Money = Field(gt=0)
    rounding: Rounding = "floor"
    min_spend: Money = Decimal(0)
    """An order whose net paid is below this earns no points (its spend still counts)."""
    lines: tuple[LineRule, ...] = ()

    def rule_for(self, line: OrderLine) -> LineRule | None:
        by_category = None
        for rule in self.lines:
            if rule.product is not None and rule.product == line.code:
                return rule
            if rule.category is not None and rule.category == line.category:
                by_category = by_category or rule
        return by_category


def round_points(exact: Fraction, rounding: Rounding) -> int:
    """Exact points to whole ones. Fractions, not decimals: 6/7 + 155/7 is 23, where
    28-digit decimals make it 22.99999... and a floor loses a point."""
    return round_ratio(exact.numerator, exact.denominator, rounding)


def round_ratio(num: int, den: int, rounding: Rounding) -> int:
    """``num / den`` (``den`` above zero) rounded as :func:`round_points` rounds, in
    integers for the two roundings that need no fraction: every rule of a sale rounds."""
    if rounding == "floor":
        return num // den
    if rounding == "half_up":
        return (2 * num + den) // (2 * den)  # floor(num / den + 1/2)
    return round(Fraction(num, den))  # half to even


@dataclass(frozen=True, slots=True)
class EarnIndex:
    """The earn section as every order reads it, worked out once per program: each
    product's and category's rule by name, and a line's exact points as an integer over
    one denominator per tier (``per * tier denominator * scale``), so an order makes no
    Fraction. Scaling every line's exact points by one positive number changes no
    rounding and no split (both compare ratios), so the awards are those of the
    fractions."""

    points: int  # net * points * scale: the numerator of a line without a rule of its own
    per_minor: int
    scale: int  # the lcm of the line rules' multiplier denominators
    products: Mapping[str, tuple[int, int]]  # code -> (net factor, quantity factor)
    categories: Mapping[str, tuple[int, int]]
    rounding: Rounding

    def weights(self, lines: Sequence[OrderLine], nets: Sequence[int],
                tier_multiplier: Decimal) -> tuple[list[int], int]:
        """Each line's exact base points ``(line net / per * points * line multiplier +
        quantity * points_per_item) * tier multiplier`` as integer numerators over the
        returned denominator: the weights every multiplier works on."""
        tier = as_fraction(tier_multiplier)
        num = tier.numerator
        if not (self.products or self.categories):
            plain = self.points * num
            return [net * plain for net in nets], self.per_minor * tier.denominator * self.scale
        out = []
        for line, net in zip(lines, nets, strict=True):
            rule = self.products.get(line.code)
            if rule is None and line.category is not None:
                rule = self.categories.get(line.category)
            out.append(net * self.points * num if rule is None
                       else (net * rule[0] + line.quantity * rule[1]) * num)
        return out, self.per_minor * tier.denominator * self.scale


def earn_index(earn: Earn, per_minor: int) -> EarnIndex:
    """The :class:`EarnIndex` of ``earn`` (``per_minor``: ``earn.per`` in minor units). A
    product's rule is the first naming it and wins over its category's, the first naming
    that (as :meth:`Earn.rule_for` reads them)."""
    scale = math.lcm(*(as_fraction(r.multiplier).denominator for r in earn.lines))
    products: dict[str, tuple[int, int]] = {}
    categories: dict[str, tuple[int, int]] = {}
    for rule in earn.lines:
        m = as_fraction(rule.multiplier)
        factors = (earn.points * m.numerator * (scale // m.denominator),
                   rule.points_per_item * per_minor * scale)
        if rule.product is not None:
            products.setdefault(rule.product, factors)
        elif rule.category is not None:
            categories.setdefault(rule.category, factors)
    return EarnIndex(earn.points * scale, per_minor, scale, products, categories,
                     earn.rounding)


@lru_cache(maxsize=256)
def as_fraction(value: Decimal) -> Fraction:
    """A document's multiplier as an exact fraction, worked out once (every sale asks)."""
    return Fraction(value)


@lru_cache(maxsize=256)
def extra_of(multiplier: Decimal) -> Fraction:
    """What a multiplier adds to what a line earns anyway (``multiplier - 1``), worked
    out once."""
    return as_fraction(multiplier) - 1


def rounded_and_spread(nums: Sequence[int], denominator: int, rounding: Rounding
                       ) -> tuple[int, ...]:
    """The whole points of exact points ``nums / denominator`` (their sum rounded once)
    over the lines in proportion (largest remainder first, ties to the earlier line:
    :func:`split_pro_rata`); the parts add up to the rounded total."""
    total = round_ratio(sum(nums), denominator, rounding)
    if len(nums) <= 1:
        return (total,) if nums else ()
    return split_pro_rata(total, nums)


def base_awards(nets: Sequence[int], nums: Sequence[int], denominator: int,
                rounding: Rounding, earns: bool) -> tuple[Award, ...]:
    """One earn award per line, carrying the line's net as spend (so the order's spend is on
    the ledger exactly once, even when it earns nothing); no points below the minimum
    spend (``earns`` False). ``nums / denominator``: the lines' exact points
    (:meth:`EarnIndex.weights`)."""
    parts = (rounded_and_spread(nums, denominator, rounding) if earns
             else (0,) * len(nums))
    return tuple([Award(_EARN, points, BASE, i, net)
                  for i, (points, net) in enumerate(zip(parts, nets, strict=True))])

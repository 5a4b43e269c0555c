"""Promotions: campaigns that add points in a date window, on some weekdays and hours,
for some products, categories, tiers, channels or stores.

A multiplier promotion ("double points on Tuesdays", "Gold 3x on new arrivals") adds
``(multiplier - 1)`` times what the line earns anyway, tier multiplier included: "double"
means twice what this member would normally get. A bonus promotion adds fixed points per
qualifying item or per order ("buy the gift box, get 50 points"). Stacking, stated once in
the document: ``best`` gives each line only its highest multiplier; ``all`` adds every
matching multiplier's extra (2x and 3x on one line make 4x). Bonus promotions always add.
Dates and hours are the program's time zone's, as a store owner means them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from fractions import Fraction
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator

from kiosk.engine.doc import Code, Doc, Identifier, Multiplier, Names
from kiosk.engine.earning import Rounding, extra_of, over_common, rounded_and_spread
from kiosk.engine.orders import Award, Order, OrderLine
from kiosk.ledger import EntryKind

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Stacking = Literal["best", "all"]


class Promotion(Doc):
    id: Identifier
    names: Names
    multiplier: Multiplier | None = Field(default=None, gt=1)
    bonus_points: int = Field(default=0, ge=0, le=1_000_000, strict=True)
    bonus_per: Literal["item", "order"] = "order"
    starts: date | None = None  # first day, inclusive
    ends: date | None = None  # last day, inclusive
    weekdays: tuple[Weekday, ...] = ()  # none listed: every day
    hours: tuple[time, time] | None = None  # [from, until) local time, e.g. ["14:00", "17:00"]
    products: tuple[Code, ...] = ()  # none listed: every line
    categories: tuple[Code, ...] = ()
    tiers: tuple[Identifier, ...] = ()  # none listed: every member
    channels: tuple[str, ...] = ()  # "web" for the shop, a kiosk's channel
    stores: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_kind(self) -> Promotion:
        if (self.multiplier is None) == (self.bonus_points == 0):
            raise ValueError("a promotion has either a multiplier above 1 or bonus_points")
        if self.starts and self.ends and self.ends < self.starts:
            raise ValueError("ends: is before starts")
        if self.hours and self.hours[1] <= self.hours[0]:
            raise ValueError("hours: the second time must be after the first")
        return self

    @property
    def rule(self) -> str:
        return f"promo:{self.id}"

    def runs_at(self, local: datetime) -> bool:
        """Whether the campaign is on at this local time (date window, weekday, hours)."""
        day = local.date()
        if (self.starts and day < self.starts) or (self.ends and day > self.ends):
            return False
        if self.weekdays and WEEKDAYS[day.weekday()] not in self.weekdays:
            return False
        return not self.hours or self.hours[0] <= local.time().replace(tzinfo=None) < (
            self.hours[1])

    def offered_to(self, tier: str, channel: str, store: str | None) -> bool:
        return ((not self.tiers or tier in self.tiers)
                and (not self.channels or channel in self.channels)
                and (not self.stores or store in self.stores))

    def covers(self, line: OrderLine) -> bool:
        if not self.products and not self.categories:
            return True
        return line.code in self.products or (line.category is not None
                                              and line.category in self.categories)


def promotions_on(promotions: Sequence[Promotion], *, tier: str, channel: str,
                  store: str | None, at: datetime, zone: ZoneInfo) -> tuple[Promotion, ...]:
    """The campaigns running for this member here and now (what the counter lists: which
    products they cover is the promotion's to say)."""
    local = at.astimezone(zone)
    return tuple(p for p in promotions
                 if p.runs_at(local) and p.offered_to(tier, channel, store))


def promotion_awards(promotions: Sequence[Promotion], stacking: Stacking, order: Order,
                     tier: str, exact: Sequence[Fraction], earns: bool, rounding: Rounding,
                     zone: ZoneInfo) -> tuple[tuple[Award, ...], tuple[str, ...]]:
    """The extra points of every promotion that applies to the order, per line, and the
    ids of those that applied (in document order)."""
    running = promotions_on(promotions, tier=tier, channel=order.channel, store=order.store,
                            at=order.occurred_at, zone=zone)
    chosen: dict[int, set[str]] = {}  # line -> the multiplier promotions it gets, by id
    for i, line in enumerate(order.lines):
        mine = [p for p in running if p.multiplier is not None and p.covers(line)]
        if stacking == "best" and mine:
            mine = [max(mine, key=lambda p: p.multiplier or 0)]  # ties: the first listed
        chosen[i] = {p.id for p in mine}  # ids: comparing models field by field is slow
    awards: list[Award] = []
    applied: list[str] = []
    nums, common = over_common(exact)
    for promo in running:
        if promo.multiplier is not None:
            extra = extra_of(promo.multiplier)  # the weights: exact * extra
            weights = [nums[i] * extra.numerator if promo.id in chosen[i] and earns else 0
                       for i in range(len(order.lines))]
            if not any(weights):
                continue  # it covers no line that earns: nothing to round or spread
            parts = rounded_and_spread(weights, common * extra.denominator, rounding)
            lines = [i for i, part in enumerate(parts) if part]
        else:
            lines = [i for i, line in enumerate(order.lines)
                     if promo.covers(line) and line.quantity > 0]
            if promo.bonus_per == "order":
                lines = lines[:1]
            parts = tuple(promo.bonus_points * (order.lines[i].quantity
                                                if promo.bonus_per == "item" else 1)
                          if i in lines else 0 for i in range(len(order.lines)))
        if lines:
            applied.append(promo.id)
        awards += [Award(EntryKind.BONUS, points, promo.rule, line=i)
                   for i, points in enumerate(parts) if points]
    return tuple(awards), tuple(applied)

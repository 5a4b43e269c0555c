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
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator

from kiosk.engine.doc import Code, Doc, Identifier, Multiplier, Names
from kiosk.engine.earning import Rounding, extra_of, rounded_and_spread
from kiosk.engine.orders import Award, Order, OrderLine
from kiosk.ledger import EntryKind

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Stacking = Literal["best", "all"]
_BONUS = EntryKind.BONUS


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


@dataclass(frozen=True, slots=True, eq=False)
class Campaign:
    """A promotion as every order reads it, worked out once per program: its rule name, its
    multiplier's extra as a ratio of integers and its conditions as sets. Compared by
    identity: one per promotion."""

    promotion: Promotion
    rule: str
    extra: tuple[int, int] | None  # (multiplier - 1) as numerator, denominator; None: bonus
    multiplier: Decimal  # 0 for a bonus promotion
    per_item: bool  # a bonus promotion's points are per item (else once per order)
    timeless: bool  # no dates, weekdays or hours: on at every moment
    anyone: bool  # no tiers, channels or stores: offered to every member everywhere
    everything: bool  # no products or categories: covers every line
    products: frozenset[str]
    categories: frozenset[str]

    def covers(self, line: OrderLine) -> bool:
        return self.everything or line.code in self.products or (
            line.category is not None and line.category in self.categories)


def campaigns(promotions: Sequence[Promotion]) -> tuple[Campaign, ...]:
    """Each promotion's :class:`Campaign`, in document order."""
    out = []
    for p in promotions:
        extra = None if p.multiplier is None else extra_of(p.multiplier)
        out.append(Campaign(
            p, p.rule, None if extra is None else (extra.numerator, extra.denominator),
            p.multiplier or Decimal(0), p.bonus_per == "item",
            not (p.starts or p.ends or p.weekdays or p.hours),
            not (p.tiers or p.channels or p.stores), not (p.products or p.categories),
            frozenset(p.products), frozenset(p.categories)))
    return tuple(out)


_Promoted = tuple[tuple[Award, ...], tuple[str, ...]]
_WORKED: dict[tuple[object, ...], tuple[tuple[Campaign, ...], _Promoted]] = {}
_MOST_WORKED = 4096


def promotion_awards(running: Sequence[Campaign], stacking: Stacking, order: Order,
                     nums: Sequence[int], denominator: int, earns: bool, rounding: Rounding
                     ) -> _Promoted:
    """The extra points of every running campaign (:func:`running_campaigns`) that applies
    to the order, per line, and the ids of those that applied (in document order).
    ``nums / denominator``: the lines' exact base points (``EarnIndex.weights``).

    Of the order they read its lines only, so equal inputs give equal awards (frozen
    values): they are worked out once per (campaigns, lines, base points), a few dozen
    baskets a day, not once per order (a quarter of the engine's time for an order the
    ledger re-runs). The campaigns are keyed by identity and kept with the entry, so no
    other object takes their ids while it stands."""
    key = (tuple(map(id, running)), stacking, order.lines, tuple(nums), denominator, earns,
           rounding)
    found = _WORKED.get(key)
    if found is not None:
        return found[1]
    worked = _promotion_awards(running, stacking, order.lines, nums, denominator, earns,
                               rounding)
    if len(_WORKED) >= _MOST_WORKED:
        _WORKED.clear()
    _WORKED[key] = (tuple(running), worked)
    return worked


def _promotion_awards(running: Sequence[Campaign], stacking: Stacking,
                      lines: Sequence[OrderLine], nums: Sequence[int], denominator: int,
                      earns: bool, rounding: Rounding) -> _Promoted:
    # Each line's multiplier campaigns: all that cover it, or ("best") the first highest.
    chosen: list[list[Campaign]] = [[] for _ in lines]
    for c in running:
        if c.extra is not None:
            for i, line in enumerate(lines):
                if c.covers(line):
                    mine = chosen[i]
                    if stacking == "all" or not mine:
                        mine.append(c)
                    elif c.multiplier > mine[0].multiplier:
                        mine[0] = c
    awards: list[Award] = []
    applied: list[str] = []
    for c in running:
        if c.extra is not None:
            if not earns:
                continue  # no line earns: nothing to round or spread
            num, den = c.extra
            weights = [w * num if c in mine else 0 for w, mine in zip(nums, chosen, strict=True)]
            if not any(weights):
                continue  # it covers no line that earns
            parts = rounded_and_spread(weights, denominator * den, rounding)
            got = [Award(_BONUS, points, c.rule, i) for i, points in enumerate(parts) if points]
        else:
            covered = [i for i, line in enumerate(lines) if line.quantity > 0 and c.covers(line)]
            bonus = c.promotion.bonus_points
            got = ([Award(_BONUS, bonus * lines[i].quantity, c.rule, i) for i in covered]
                   if c.per_item else
                   [Award(_BONUS, bonus, c.rule, covered[0])] if covered else [])
        if got:
            applied.append(c.promotion.id)
            awards += got
    return tuple(awards), tuple(applied)


def running_campaigns(all_: Sequence[Campaign], *, tier: str, channel: str,
                      store: str | None, at: datetime, zone: ZoneInfo
                      ) -> list[Campaign]:
    """The campaigns running for this member here and now (:func:`promotions_on`)."""
    local = None
    out = []
    for c in all_:
        if not c.timeless:
            local = local or at.astimezone(zone)
            if not c.promotion.runs_at(local):
                continue
        if c.anyone or c.promotion.offered_to(tier, channel, store):
            out.append(c)
    return out

"""The loyalty program as data, and the pure rules that read it.

The document (TOML or JSON; a default ships in ``assets/program.toml``) is versioned and
published by the ledger; every entry records the version that produced it. Decimals in
the document are parsed as :class:`~decimal.Decimal` straight from the text, so no
amount or multiplier ever passes through a float.

Earn rule, stated once: ``points = round(amount / per * points * tier multiplier)`` with
the document's rounding (``floor`` by default: part of a step earns nothing).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kiosk.engine.bonuses import Bonuses
from kiosk.engine.checkout import PointsAsMoney, RewardTerms, check_points_as_money
from kiosk.engine.coupons import CouponRule, check_coupon_rules
from kiosk.engine.doc import Code, Doc, Identifier, Money, Names, check_unique_ids
from kiosk.engine.donations import Cause, check_causes
from kiosk.engine.earning import Earn
from kiosk.engine.points_policy import PointsPolicy
from kiosk.engine.promotions import Promotion, Stacking
from kiosk.engine.punch_cards import PunchCard, check_punch_cards
from kiosk.engine.tier_policy import TierPolicy
from kiosk.engine.transfers import TransferPolicy
from kiosk.ledger import EntryKind
from kiosk.program_versions import EffectiveFrom

MAX_ENTRY_POINTS = 10**9  # what one entry may carry on the wire (sync.protocol.EntryWire)
_ROUNDING = {"floor": ROUND_FLOOR, "half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


class ProgramError(ValueError):
    """A program document that cannot be used; the message names the bad field."""


class Tier(Doc):
    id: Identifier
    names: Names
    min_spend: Money
    multiplier: Decimal = Field(ge=1, le=10, allow_inf_nan=False)
    min_points: int | None = Field(default=None, ge=0, strict=True)
    """The points earned that qualify for the tier; needed (and only read) when
    ``tier_policy.basis`` is ``"points"``."""


class _Reward(Doc):
    id: Identifier
    names: Names
    cost: int = Field(gt=0, strict=True)


class _OffLines(_Reward):
    products: tuple[Code, ...] = ()
    """Only off these products' lines (with ``categories``: either); neither: the basket."""
    categories: tuple[Code, ...] = ()


class FixedDiscount(_OffLines):
    kind: Literal["fixed_discount"]
    amount: Money = Field(gt=0)


class PercentDiscount(_OffLines):
    kind: Literal["percent_discount"]
    percent: int = Field(gt=0, le=100, strict=True)


class FreeItem(_Reward):
    kind: Literal["free_item"]
    item: str = Field(min_length=1)


class FreeShipping(_Reward):
    """The shop's: an order's shipping lines (code ``SHIPPING``) come off. A counter's
    basket has no shipping, so the counter doesn't offer it."""

    kind: Literal["free_shipping"]


Reward = Annotated[FixedDiscount | PercentDiscount | FreeItem | FreeShipping,
                   Field(discriminator="kind")]


class OfflinePolicy(Doc):
    """Floor limits for redeeming while the ledger can't be asked (DESIGN rule 6)."""

    max_points_per_redemption: int = Field(ge=0, strict=True)
    max_points_per_member_per_day: int = Field(ge=0, strict=True)
    max_consecutive_redemptions: int = Field(ge=0, strict=True)
    version_grace_hours: int = Field(default=168, ge=0, le=8760, strict=True)
    """Once this version takes effect, an order rung up under the version it replaces
    still counts if dated within this many hours (a kiosk offline when this one was
    announced keeps the one it has); later, the ledger refuses it (a stolen token can't
    mint under a superseded, more generous version). A week by default: a kiosk back from
    a holiday closure without its network; 0 cuts the old version off at once (a mistake
    in it), which also refuses an online kiosk's orders until its next sync."""


class Limits(Doc):
    """Bounds the ledger holds every device to: a sale above ``max_sale_amount`` is a
    typing slip (an EAN-13 scanned into the amount keypad is NT$4.7 trillion), not a sale,
    and a manual adjustment is a correction, not a way to mint points."""

    max_sale_amount: Money = Field(default=Decimal(1_000_000), gt=0)
    approval_sale_amount: Money | None = Field(default=None, gt=0)
    """A sale above this needs a manager's approval by name and PIN at the counter (a
    cashier's slip of a digit or favour to a friend is caught by a manager; a manager at
    the counter approves their own, and the trail says so); None: never."""
    max_adjustment_points: int = Field(default=100_000, gt=0, le=10**9, strict=True)


class Program(Doc):
    schema_: Literal[1] = Field(alias="schema")
    version: str = Field(min_length=1, max_length=40)
    effective_from: EffectiveFrom = None
    """When this version takes effect (``kiosk.program_versions``); None: when the ledger
    publishes it."""
    name: Names
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    minor_units: int = Field(ge=0, le=3, strict=True)
    timezone: str
    signup_bonus: int = Field(ge=0, strict=True)
    tier_window_days: int = Field(default=365, gt=0, strict=True)
    earn: Earn
    tiers: tuple[Tier, ...] = Field(min_length=1)
    rewards: tuple[Reward, ...] = ()
    offline: OfflinePolicy
    limits: Limits = Limits()
    promotion_stacking: Stacking = "best"
    promotions: tuple[Promotion, ...] = ()
    bonuses: Bonuses = Bonuses()
    coupons: tuple[CouponRule, ...] = ()
    punch_cards: tuple[PunchCard, ...] = ()
    points: PointsPolicy = PointsPolicy()
    tier_policy: TierPolicy = TierPolicy()
    points_as_money: PointsAsMoney | None = None
    causes: tuple[Cause, ...] = ()
    transfers: TransferPolicy | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Program:
        step = Decimal(1).scaleb(-self.minor_units)
        money = [("earn.per", self.earn.per), ("limits.max_sale_amount",
                                                self.limits.max_sale_amount)]
        if self.limits.approval_sale_amount is not None:
            money.append(("limits.approval_sale_amount", self.limits.approval_sale_amount))
        money += [(f"tiers[{i}].min_spend", t.min_spend) for i, t in enumerate(self.tiers)]
        money += [(f"rewards[{i}].amount", r.amount) for i, r in enumerate(self.rewards)
                  if isinstance(r, FixedDiscount)]
        money += [("earn.min_spend", self.earn.min_spend)]
        if self.bonuses.first_purchase:
            money.append(("bonuses.first_purchase.min_amount",
                          self.bonuses.first_purchase.min_amount))
        if self.bonuses.referral:
            money.append(("bonuses.referral.min_amount", self.bonuses.referral.min_amount))
        for where, value in money:
            if value % step:
                raise ValueError(f"{where}: {value} has more than {self.minor_units} decimals")
        most = (self.limits.max_sale_amount / self.earn.per * self.earn.points
                * max(t.multiplier for t in self.tiers))
        if most > MAX_ENTRY_POINTS:
            raise ValueError(f"limits.max_sale_amount: the largest sale would earn {most:.0f} "
                             f"points, more than an entry holds ({MAX_ENTRY_POINTS})")
        if self.tiers[0].min_spend != 0:
            raise ValueError("tiers[0].min_spend: the first tier must start at 0")
        for i in range(1, len(self.tiers)):
            if self.tiers[i].min_spend <= self.tiers[i - 1].min_spend:
                raise ValueError(f"tiers[{i}].min_spend: must be above the tier before it")
        self._check_tier_policy()
        check_coupon_rules(self.coupons, self.minor_units)
        check_points_as_money(self.points_as_money, self.minor_units)
        check_causes(self.causes)
        check_punch_cards(self.punch_cards, self.coupons, minor_units=self.minor_units)
        referral = self.bonuses.referral
        if referral and referral.welcome_coupon and referral.welcome_coupon not in {
                c.id for c in self.coupons}:
            raise ValueError(f"bonuses.referral.welcome_coupon: no coupon "
                             f"{referral.welcome_coupon!r} in this program")
        tier_ids = {t.id for t in self.tiers}
        for i, promo in enumerate(self.promotions):
            unknown = sorted(set(promo.tiers) - tier_ids)
            if unknown:
                raise ValueError(f"promotions[{i}].tiers: no tier {unknown[0]!r} in this program")
        for label, ids in (("tiers", [t.id for t in self.tiers]),
                           ("rewards", [r.id for r in self.rewards]),
                           ("promotions", [p.id for p in self.promotions])):
            check_unique_ids(label, ids)
        return self

    def _check_tier_policy(self) -> None:
        policy = self.tier_policy
        if ("window_days" in policy.model_fields_set and "tier_window_days" in self.model_fields_set
                and policy.window_days != self.tier_window_days):
            raise ValueError(f"tier_policy.window_days: {policy.window_days} is not "
                             f"tier_window_days ({self.tier_window_days}); set one of them")
        if policy.basis != "points":
            return
        for i, t in enumerate(self.tiers):
            if t.min_points is None:
                raise ValueError(f'tiers[{i}].min_points: needed when tier_policy.basis is '
                                 f'"points"')
        if self.tiers[0].min_points != 0:
            raise ValueError("tiers[0].min_points: the first tier must start at 0")
        for i in range(1, len(self.tiers)):
            if (self.tiers[i].min_points or 0) <= (self.tiers[i - 1].min_points or 0):
                raise ValueError(f"tiers[{i}].min_points: must be above the tier before it")

    # -- derived values, all exact ------------------------------------------------------
    def minor(self, amount: Decimal) -> int:
        return int(amount.scaleb(self.minor_units))

    # Worked out once: every sale reads them.
    @cached_property
    def tier_floors_minor(self) -> tuple[int, ...]:
        """Each tier's threshold in minor units."""
        return tuple(self.minor(t.min_spend) for t in self.tiers)

    @cached_property
    def tier_rule(self) -> TierPolicy:
        """The tier policy in force: ``tier_policy`` with its rolling window taken from
        ``tier_window_days`` when the section doesn't set one (the older field; the two
        may not disagree)."""
        policy = self.tier_policy
        if policy.period != "rolling" or "window_days" in policy.model_fields_set:
            return policy
        return policy.model_copy(update={"window_days": self.tier_window_days})

    @cached_property
    def tier_thresholds(self) -> tuple[int, ...]:
        """Each tier's threshold in the policy's unit: minor units of spend, or points."""
        if self.tier_rule.basis == "points":
            return tuple(t.min_points or 0 for t in self.tiers)
        return self.tier_floors_minor

    @cached_property
    def tier_by_window_spend(self) -> bool:
        """Whether the tier is today's rule, the highest one the rolling window's net spend
        reaches, up and down at once: then the window's sum is all a sale reads (the fast
        path), and no member's history."""
        rule = self.tier_rule
        return rule.basis == "spend" and rule.period == "rolling" and not rule.retain

    @cached_property
    def max_sale_minor(self) -> int:
        return self.minor(self.limits.max_sale_amount)

    @cached_property
    def approval_sale_minor(self) -> int | None:
        amount = self.limits.approval_sale_amount
        return None if amount is None else self.minor(amount)

    @cached_property
    def min_spend_minor(self) -> int:
        return self.minor(self.earn.min_spend)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def earn_per_minor(self) -> int:
        return self.minor(self.earn.per)

    def tier(self, tier_id: str) -> Tier:
        return next(t for t in self.tiers if t.id == tier_id)

    def find_tier(self, tier_id: str) -> Tier | None:
        return self._tiers_by_id.get(tier_id)

    @cached_property
    def _tiers_by_id(self) -> dict[str, Tier]:
        return {t.id: t for t in self.tiers}

    @property
    def counter_rewards(self) -> tuple[Reward, ...]:
        """The rewards a counter offers: all but the shop's free shipping."""
        return tuple(r for r in self.rewards if not isinstance(r, FreeShipping))

    def reward(self, reward_id: str) -> Reward | None:
        return next((r for r in self.rewards if r.id == reward_id), None)

    def reward_terms(self, reward_id: str) -> RewardTerms | None:
        """What the reward takes off a checkout's bill (``kiosk.engine.checkout``)."""
        reward = self.reward(reward_id)
        if reward is None:
            return None
        if isinstance(reward, FixedDiscount):
            return RewardTerms(reward.id, reward.cost, amount_minor=self.minor(reward.amount),
                               products=reward.products, categories=reward.categories)
        if isinstance(reward, PercentDiscount):
            return RewardTerms(reward.id, reward.cost, percent=reward.percent,
                               products=reward.products, categories=reward.categories)
        if isinstance(reward, FreeShipping):
            return RewardTerms(reward.id, reward.cost, free_shipping=True)
        return RewardTerms(reward.id, reward.cost, free_item=True)


def parse_program(text: str, *, format: Literal["toml", "json"] = "toml") -> Program:
    """Validate a program document; :class:`ProgramError` names the first bad field."""
    try:
        raw: Any = (tomllib.loads(text, parse_float=Decimal) if format == "toml"
                    else json.loads(text, parse_float=Decimal))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ProgramError(f"program document is not valid {format.upper()}: {exc}") from None
    if not isinstance(raw, dict):
        raise ProgramError("program document must be a table of settings")
    try:
        return Program.model_validate(raw)
    except ValidationError as exc:
        raise ProgramError("program: " + "; ".join(
            (f"{_where(err['loc'])}: " if err["loc"] else "")
            + err["msg"].removeprefix("Value error, ")
            for err in exc.errors())) from None


def load_program(path: Path) -> Program:
    """The program document in ``path``; a file that can't be read (missing, a folder, not
    UTF-8) is a :class:`ProgramError` naming it, as a bad field is."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgramError(f"can't read the program document {path}: {exc}") from None
    return parse_program(text, format="json" if path.suffix == ".json" else "toml")


def program_json(program: Program) -> str:
    """Canonical JSON text of a program (what the store keeps and the ledger publishes)."""
    # Fields left at their defaults are left out: a program that uses no newer feature
    # reads the same to a kiosk that predates it.
    return program.model_dump_json(by_alias=True, exclude_defaults=True)


_TAGGED = ("value", "trigger", "expiry")  # fields holding a union told apart by a tag


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i and (loc[i - 1] in _TAGGED
                    or (isinstance(loc[i - 1], int) and i >= 2 and loc[i - 2] == "rewards")):
            continue  # pydantic's union tag adds nothing a reader needs
        else:
            out += ("." if out else "") + part
    return out


# -- pure rules ---------------------------------------------------------------------------


def store_today(program: Program, now: datetime) -> date:
    """The calendar date a person at the counter means by "today": the store's, in the
    program's time zone (Taipei's today starts eight hours before UTC's)."""
    return now.astimezone(program.zone).date()


def points_for_amount(program: Program, amount_minor: int, tier: Tier) -> int:
    """Points one sale earns under the earn rule stated in the module docstring."""
    if amount_minor < 0:
        raise ValueError("a sale amount cannot be negative")
    exact = (Decimal(amount_minor) / program.earn_per_minor
             * program.earn.points * tier.multiplier)
    return int(exact.to_integral_value(rounding=_ROUNDING[program.earn.rounding]))


@dataclass(frozen=True, slots=True)
class Award:
    """Points a rule grants, before it becomes a ledger entry with an id and a time."""

    kind: EntryKind
    points: int
    amount_minor: int = 0
    note: str | None = None


def awards_for_enrolment(program: Program) -> list[Award]:
    if program.signup_bonus == 0:
        return []
    return [Award(EntryKind.BONUS, program.signup_bonus, note="signup")]


@dataclass(frozen=True, slots=True)
class RewardOffer:
    reward: Reward
    affordable: bool
    points_short: int


def rewards_within_reach(program: Program, balance: int) -> list[RewardOffer]:
    """Every reward the member can take now, then the cheapest one still to save for,
    cheapest first: what a cashier can offer and what to tell the member to aim for."""
    offers: list[RewardOffer] = []
    for reward in sorted(program.counter_rewards, key=lambda r: (r.cost, r.id)):
        if reward.cost <= balance:
            offers.append(RewardOffer(reward, True, 0))
        else:
            offers.append(RewardOffer(reward, False, reward.cost - balance))
            break
    return offers

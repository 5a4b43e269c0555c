"""The program the kiosk ships (assets/program.toml): the store owner's reference to every
field the document accepts. It loads, it uses every feature (the counter and the ledger
apply all of it; coupons are taken at checkout with issue 15), and every field of every
section is named in it. The other tests start from the plain fixture
(tests/helpers/program.py), so this file is where the default is held to its word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from kiosk.awards import unapplied
from kiosk.engine import (
    bonuses,
    coupons,
    earning,
    points_policy,
    promotions,
    punch_cards,
    tier_policy,
)
from kiosk.program import (
    FixedDiscount,
    FreeItem,
    FreeShipping,
    Limits,
    OfflinePolicy,
    PercentDiscount,
    Program,
    Tier,
    load_program,
)
from tests.helpers.program import ROOT, SHIPPED_PROGRAM

TEXT = SHIPPED_PROGRAM.read_text(encoding="utf-8")


def test_the_default_program_loads_and_uses_every_feature():
    program = load_program(SHIPPED_PROGRAM)
    # Every section applies at the counter and the ledger: publishing it warns of none.
    assert unapplied(program) == []
    assert program.currency == "TWD" and program.timezone == "Asia/Taipei"
    assert program.points.pending_days > 0 and program.points.expiry is not None
    assert program.bonuses.birthday and program.bonuses.first_purchase
    assert program.bonuses.referral and program.bonuses.referral.welcome_coupon
    assert {p.id for p in program.promotions if p.tiers} and program.earn.lines
    assert any(r.multiplier == 0 and r.category == "gift_card" for r in program.earn.lines)
    assert len(program.punch_cards) == 2 and program.tier_policy.retain
    assert {type(c.trigger) for c in program.coupons} == {
        coupons.OnOrder, coupons.OnPeriodSpend, coupons.OnWelcome, coupons.OnBirthday,
        coupons.OnPunchCard}


SECTIONS: list[type[BaseModel]] = [
    Program, earning.Earn, earning.LineRule, Tier, FixedDiscount, PercentDiscount, FreeItem,
    FreeShipping,
    OfflinePolicy, Limits, promotions.Promotion, bonuses.Bonuses, bonuses.Birthday,
    bonuses.FirstPurchase, bonuses.Referral, coupons.CouponRule, coupons.PercentOff,
    coupons.AmountOff, coupons.FreeItem, coupons.OnOrder, coupons.OnPeriodSpend,
    coupons.OnWelcome, coupons.OnBirthday, coupons.OnPunchCard, punch_cards.PunchCard,
    points_policy.PointsPolicy, points_policy.ExpireAfterMonths, points_policy.ExpireEndOfNextYear,
    tier_policy.TierPolicy]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.__name__)
def test_every_field_of_the_document_is_named_in_it(section: type[BaseModel]):
    for name, field in section.model_fields.items():
        key = field.alias or name
        if key in {"en", "zh-TW", "zh-CN"}:
            continue
        as_field = rf"(^|[\s{{,])(# )?{key}\s*="  # key = ..., { key = ...
        as_header = rf"^(# )?\[\[?([a-z_]+\.)*{key}(\.[a-z_]+)*\]"  # [a.key], [[key]]
        assert re.search(f"{as_field}|{as_header}", TEXT, re.MULTILINE), (
            f"{section.__name__}.{key} is not in the default")


def test_the_coffee_shop_example_loads():
    program = load_program(ROOT / "assets" / "examples" / "coffee-shop.toml")
    assert program.punch_cards


def test_a_kiosk_set_up_without_a_program_gets_the_default(tmp_path: Path):
    from tests.helpers.cli import kiosk_json

    done = kiosk_json(tmp_path / "k", "init", "--store-name", "Tea house")
    assert done["program_version"] == load_program(SHIPPED_PROGRAM).version

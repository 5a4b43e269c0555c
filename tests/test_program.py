"""The loyalty program document and the pure rules that read it."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.awards import awards_for_order
from kiosk.engine.orders import KEYED_AMOUNT, MemberState, Order, OrderLine
from kiosk.ledger import EntryKind
from kiosk.program import (
    Program,
    ProgramError,
    awards_for_enrolment,
    parse_program,
    points_for_amount,
    program_json,
    rewards_within_reach,
)
from kiosk.tiers import tier_for_spend, tier_progress
from tests.helpers.program import PLAIN_PROGRAM

TEXT = PLAIN_PROGRAM.read_text(encoding="utf-8")


def variant(old: str, new: str) -> str:
    assert old in TEXT, old
    return TEXT.replace(old, new, 1)


@pytest.mark.parametrize(("amount", "tier", "points"), [
    (0, "bronze", 0), (99, "bronze", 0), (100, "bronze", 1), (199, "bronze", 1),
    (250, "bronze", 2), (250, "silver", 3), (250, "gold", 5), (1000, "silver", 15),
    (133, "silver", 1), (12345, "gold", 246), (99, "gold", 1), (49, "gold", 0),
])
def test_points_per_currency_unit_times_tier_multiplier_rounded_down(program, amount, tier,
                                                                     points):
    assert points_for_amount(program, amount, program.tier(tier)) == points


@pytest.mark.parametrize(("rounding", "amount", "points"), [
    ("floor", 150, 1), ("half_up", 150, 2), ("half_even", 150, 2), ("half_even", 250, 2),
    ("half_up", 149, 1),
])
def test_rounding_rule_is_the_documents(rounding, amount, points):
    program = parse_program(variant('rounding = "floor"', f'rounding = "{rounding}"'))
    assert points_for_amount(program, amount, program.tier("bronze")) == points


def test_cents_currency_earns_on_exact_minor_units():
    program = parse_program(variant("minor_units = 0 ", "minor_units = 2 ")
                            .replace("per = 100", 'per = "10.00"'))
    # HK$ 19.99 at 1 point per HK$10 -> 1 point; HK$ 20.00 -> 2 points.
    assert points_for_amount(program, 1999, program.tier("bronze")) == 1
    assert points_for_amount(program, 2000, program.tier("bronze")) == 2


@pytest.mark.parametrize(("spend", "tier", "next_tier", "remaining"), [
    (0, "bronze", "silver", 10000), (9999, "bronze", "silver", 1), (10000, "silver", "gold",
                                                                     20000),
    (29999, "silver", "gold", 1), (30000, "gold", None, 0), (10**9, "gold", None, 0),
    (-500, "bronze", "silver", 10500),
])
def test_tier_follows_rolling_spend(program, spend, tier, next_tier, remaining):
    progress = tier_progress(program, spend)
    assert tier_for_spend(program, spend).id == tier
    assert progress.tier.id == tier
    assert (progress.next_tier.id if progress.next_tier else None) == next_tier
    assert progress.remaining_minor == remaining


@pytest.mark.parametrize(("balance", "offered"), [
    (0, [("coffee", False, 60)]),
    (59, [("coffee", False, 1)]),
    (60, [("coffee", True, 0), ("nt100-off", False, 40)]),
    (120, [("coffee", True, 0), ("nt100-off", True, 0), ("pct10-off", False, 130)]),
    (10_000, [("coffee", True, 0), ("nt100-off", True, 0), ("pct10-off", True, 0),
              ("tote", True, 0)]),
])
def test_rewards_within_reach_are_the_affordable_ones_then_the_next_goal(program, balance,
                                                                         offered):
    assert [(o.reward.id, o.affordable, o.points_short)
            for o in rewards_within_reach(program, balance)] == offered


def test_a_sale_earns_one_entry_carrying_its_spend(program):
    at = datetime(2026, 1, 1, tzinfo=UTC)
    order = Order("k1", "R1", at, (OrderLine(KEYED_AMOUNT, 1, 480),), uuid.uuid4())
    awards = awards_for_order(program, order, MemberState("silver"))
    assert [(a.kind, a.points, a.amount_minor) for a in awards] == [(EntryKind.EARN, 7, 480)]


def test_signup_bonus_comes_from_the_document(program):
    assert [(a.kind, a.points) for a in awards_for_enrolment(program)] == [(EntryKind.BONUS, 50)]
    none = parse_program(variant("signup_bonus = 50", "signup_bonus = 0"))
    assert awards_for_enrolment(none) == []


def test_shipped_program_has_three_tiers_and_names_in_three_languages(program):
    assert [(t.id, t.multiplier) for t in program.tiers] == [
        ("bronze", Decimal(1)), ("silver", Decimal("1.5")), ("gold", Decimal(2))]
    for reward in program.rewards:
        assert all(reward.names.get(lang) for lang in ("en", "zh-TW", "zh-CN"))
    assert program.tier("gold").names.get("zh-TW") == "金卡"


def test_program_survives_its_canonical_json_unchanged(program):
    again = parse_program(program_json(program), format="json")
    assert again == program
    assert '"zh-TW"' in program_json(program)


def test_decimals_in_the_document_never_pass_through_float():
    program = parse_program(variant("multiplier = 1.5", "multiplier = 1.1"))
    assert program.tier("silver").multiplier == Decimal("1.1")
    # 1000 * 1.1 / 100 is 11 exactly; through a float it would floor to 10.
    assert points_for_amount(program, 1000, program.tier("silver")) == 11


@pytest.mark.parametrize(("old", "new", "field"), [
    ("multiplier = 1.5", "multiplier = 0.5", "tiers[1].multiplier"),
    # NT$10 billion a sale at gold would be 200 million points: fine; a trillion is not.
    ("max_sale_amount = 500000", "max_sale_amount = 100000000000", "limits.max_sale_amount"),
    ("max_sale_amount = 500000", "max_sale_amount = 0", "limits.max_sale_amount"),
    ("multiplier = 1.5", 'multiplier = "lots"', "tiers[1].multiplier"),
    ("cost = 60", "cost = -1", "rewards[0].cost"),
    ("cost = 60", "cost = 60.5", "rewards[0].cost"),
    ('timezone = "Asia/Taipei"', 'timezone = "Mars/Olympus"', "timezone"),
    ("min_spend = 10000", "min_spend = 10000.5", "tiers[1].min_spend"),
    ("min_spend = 10000", "min_spend = 50000", "tiers[2].min_spend"),
    ("min_spend = 0", "min_spend = 5", "tiers[0].min_spend"),
    ('id = "gold"', 'id = "silver"', "tiers"),
    ('currency = "TWD"', 'currency = "NT$"', "currency"),
    ("percent = 10", "percent = 120", "rewards[2].percent"),
    ('kind = "free_item"', 'kind = "free_lunch"', "rewards[0]"),
    ("schema = 1", "schema = 2", "schema"),
    ("signup_bonus = 50", "signup_bonus = 50\nsurprise = 1", "surprise"),
    ('rounding = "floor"', 'rounding = "ceil"', "earn.rounding"),
    ("max_points_per_redemption = 500", "", "offline.max_points_per_redemption"),
    ('zh-CN = "金卡"', 'zh-CN = ""', "tiers[2].names.zh-CN"),
])
def test_invalid_documents_are_rejected_naming_the_bad_field(old, new, field):
    with pytest.raises(ProgramError, match=re.escape(field)):
        parse_program(variant(old, new))


@pytest.mark.parametrize("text", ["", "schema = ", "[[tiers]", "not toml at all = = ="])
def test_broken_documents_are_rejected_plainly(text):
    with pytest.raises(ProgramError):
        parse_program(text)


@given(amount=st.integers(min_value=0, max_value=10**12),
       tier=st.sampled_from(["bronze", "silver", "gold"]))
def test_points_are_always_whole_and_never_more_than_exact(amount, tier):
    program: Program = parse_program(TEXT)
    points = points_for_amount(program, amount, program.tier(tier))
    assert type(points) is int
    exact = Decimal(amount) / 100 * program.tier(tier).multiplier
    assert points <= exact < points + 1

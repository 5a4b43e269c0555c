"""What loyalty takes off a checkout's bill: rewards, a coupon and points as money."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from kiosk.engine.checkout import (
    CheckoutProblem,
    CouponTerms,
    PointsAsMoney,
    RewardTerms,
    max_points,
    price_checkout,
)
from kiosk.engine.coupons import CouponRule
from kiosk.engine.orders import OrderLine
from kiosk.program import parse_program
from tests.helpers.program import PLAIN_PROGRAM

COUPON = uuid.UUID("11111111-2222-3333-4444-555555555555")
NAMES = {"en": "Coupon", "zh-TW": "優惠券", "zh-CN": "优惠券"}
ONE_FOR_ONE = PointsAsMoney(value=Decimal(1), step=10, max_share_percent=50)  # 1 pt = NT$1


def coupon(value: dict[str, Any]) -> CouponTerms:
    return CouponTerms(COUPON, CouponRule.model_validate({
        "id": "c", "names": NAMES, "valid_days": 30, "value": value,
        "trigger": {"on": "order", "min_amount": "3000"}}))


TEA = OrderLine("TEA", 2, 65, "tea")
CAKE = OrderLine("CAKE", 1, 40, "cake")
KEYED = OrderLine("AMOUNT", 1, 1000)
NT100_OFF = RewardTerms("nt100-off", 100, amount_minor=100)
PCT10_OFF = RewardTerms("pct10-off", 250, percent=10)
COFFEE = RewardTerms("coffee", 60, free_item=True)


@pytest.mark.parametrize(("lines", "reward", "coupon_value", "points", "discounts", "net",
                          "cost"), [
    # a basket of NT$170 (two teas, a cake): NT$100 off leaves NT$70
    ((TEA, CAKE), NT100_OFF, None, 0, [("reward:nt100-off", 100)], 70, 100),
    # a fixed reward never takes more than the bill
    ((CAKE,), NT100_OFF, None, 0, [("reward:nt100-off", 40)], 0, 100),
    # 10% of NT$1,000, then 50% of the NT$900 left may be points: 450 points
    ((KEYED,), PCT10_OFF, None, 450, [("reward:pct10-off", 100), ("points", 450)], 450, 700),
    # a free americano is a line at zero: the bill is unchanged
    ((TEA,), COFFEE, None, 0, [], 130, 60),
    # a coupon for a free cake takes the cake's price; then points on what is left
    ((TEA, CAKE), None, {"kind": "free_item", "item": "CAKE"}, 60,
     [("coupon:c", 40), ("points", 60)], 70, 60),
    # reward, coupon and points together: 1,000 - 100 - 10% of 1,000 = 800; 400 points
    ((KEYED,), NT100_OFF, {"kind": "percent_off", "percent": 10}, 400,
     [("reward:nt100-off", 100), ("coupon:c", 100), ("points", 400)], 400, 500),
    # a NT$300 voucher on a NT$170 basket takes NT$170, and no points are left to use
    ((TEA, CAKE), None, {"kind": "amount_off", "amount": "300"}, 0, [("coupon:c", 170)], 0, 0),
])
def test_a_checkout_prices_each_discount_in_order(
        lines: tuple[OrderLine, ...], reward: RewardTerms | None,
        coupon_value: dict[str, Any] | None, points: int, discounts: list[tuple[str, int]],
        net: int, cost: int) -> None:
    priced = price_checkout(lines, minor_units=0, reward=reward,
                            coupon=coupon(coupon_value) if coupon_value else None,
                            points=points, policy=ONE_FOR_ONE)
    assert [(d.source, d.amount_minor) for d in priced.discounts] == discounts
    assert priced.net_minor == net
    assert priced.points_cost == cost
    assert priced.loyalty.points_used == points
    assert priced.loyalty.discount_minor == sum(a for _, a in discounts)


def test_a_free_item_reward_adds_its_line_at_zero() -> None:
    priced = price_checkout((TEA,), minor_units=0, reward=COFFEE)
    assert priced.lines == (TEA, OrderLine("REWARD-coffee", 1, 0))
    assert priced.loyalty.reward_id == "coffee"


@pytest.mark.parametrize(("points", "message"), [
    (15, "steps of 10"),
    (-10, "steps of 10"),
    (510, "at most 500 points"),  # half of NT$1,000
])
def test_points_outside_the_programs_steps_and_share_are_refused(points: int,
                                                                 message: str) -> None:
    with pytest.raises(CheckoutProblem, match=message):
        price_checkout((KEYED,), minor_units=0, points=points, policy=ONE_FOR_ONE)


def test_a_program_without_points_as_money_refuses_points() -> None:
    with pytest.raises(CheckoutProblem, match="doesn't take points as money"):
        price_checkout((KEYED,), minor_units=0, points=10)


def test_points_worth_a_tenth_pay_in_whole_steps() -> None:
    tenth = PointsAsMoney(value=Decimal("0.1"), step=10, max_share_percent=100)
    assert max_points(tenth, 95, 0) == 950  # NT$95: 950 points pay all of it
    assert price_checkout((OrderLine("AMOUNT", 1, 95),), minor_units=0, points=950,
                          policy=tenth).net_minor == 0
    cents = PointsAsMoney(value=Decimal("0.01"), step=1)
    assert max_points(cents, 1999, 2) == 1999  # HK$19.99 in cents: a point a cent


def test_a_step_that_pays_a_fraction_of_a_minor_unit_is_refused_naming_the_field() -> None:
    text = PLAIN_PROGRAM.read_text() + "\n[points_as_money]\nvalue = 0.1\nstep = 5\n"
    with pytest.raises(ValueError, match=r"points_as_money\.value: 5 point"):
        parse_program(text)
    with pytest.raises(ValidationError, match="max_share_percent"):
        PointsAsMoney.model_validate({"value": "1", "max_share_percent": 0})


def test_the_program_names_what_each_reward_takes_off() -> None:
    program = parse_program(PLAIN_PROGRAM.read_text())
    terms = {r.id: program.reward_terms(r.id) for r in program.rewards}
    assert all(t is not None and t.cost > 0 for t in terms.values())
    assert program.reward_terms("no-such-reward") is None


money = st.integers(0, 100_000)
lines_st = st.lists(st.builds(OrderLine, st.sampled_from(["TEA", "CAKE", "AMOUNT"]),
                              st.integers(1, 5), money), min_size=1, max_size=5)
rewards_st = st.none() | st.sampled_from([NT100_OFF, PCT10_OFF, COFFEE])
coupons_st = st.none() | st.sampled_from([
    coupon({"kind": "percent_off", "percent": 100}), coupon({"kind": "amount_off",
                                                            "amount": "300"}),
    coupon({"kind": "free_item", "item": "CAKE"})])
policies = st.builds(PointsAsMoney, value=st.sampled_from([Decimal(1), Decimal("0.5")]),
                     step=st.sampled_from([2, 10]), max_share_percent=st.integers(1, 100))


@given(lines_st, rewards_st, coupons_st, policies, st.data())
def test_the_bill_never_goes_below_zero_and_adds_up(
        lines: list[OrderLine], reward: RewardTerms | None, used: CouponTerms | None,
        policy: PointsAsMoney, data: st.DataObject) -> None:
    before = price_checkout(lines, minor_units=0, reward=reward, coupon=used, policy=policy)
    most = max_points(policy, before.net_minor, 0)
    points = data.draw(st.integers(0, most // policy.step)) * policy.step
    priced = price_checkout(lines, minor_units=0, reward=reward, coupon=used, points=points,
                            policy=policy)
    assert 0 <= priced.net_minor <= priced.gross_minor
    assert sum(d.amount_minor for d in priced.discounts) == priced.loyalty.discount_minor
    assert all(d.amount_minor >= 0 for d in priced.discounts)
    # points never pay more than their share of what was left for them
    paid_in_points = sum(d.amount_minor for d in priced.discounts if d.source == "points")
    assert paid_in_points * 100 <= before.net_minor * policy.max_share_percent

"""The refund list on orders whose base earn entry doesn't say how much came back: an order
paid wholly by loyalty (points paid the bill; its earn is on NT$0) and an order with a line
a coupon paid. Whether such an order is refunded, whole or in part, is its stored refunds'
to say (as the ledger decides it), never whether its earn's reversals add up to its spend:
a list that read the earn called a partly refunded order "refunded" and greyed it out,
so the rest of it could not be refunded at the counter."""

from __future__ import annotations

import pytest

from kiosk.engine.refunds import RefundLine
from kiosk.program import Program, parse_program
from kiosk.services import (
    SaleLine,
    find_order,
    order_to_refund,
    recent_orders,
    refund_lines,
    refund_order,
)
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.manager import adjust_points
from tests.helpers.program import program_text

# Points may pay the whole bill, and a drink earns a point whatever was paid for it, so
# an order paid wholly by points still has an earn entry that moves points (on NT$0).
PAID_BY_POINTS = '''
[points_as_money]
value = 1
step = 10
max_share_percent = 100
'''
DRINK_POINTS = 'rounding = "floor"\nlines = [{ category = "coffee", points_per_item = 1 }]\n'
LATTE = SaleLine("LATTE", 2, 120, "coffee")
KETTLE = SaleLine("KETTLE", 1, 2000, "kitchen")


@pytest.fixture
def program() -> Program:
    text = program_text(PAID_BY_POINTS)
    return parse_program(text.replace('rounding = "floor"\n', DRINK_POINTS, 1))


def listed(kiosk, ref: str) -> bool:
    [order] = [o for o in recent_orders(kiosk) if o.order_ref == ref]
    found = find_order(kiosk, ref)  # a typed number reads the same
    assert found is not None and found.refunded == order.refunded
    return order.refunded


@pytest.fixture
def paid_by_points(kiosk, member) -> str:
    """Two lattes (NT$240) paid wholly with 240 points: net NT$0, its earn 2 points."""
    adjust_points(kiosk, member.member.id, 500, "points to pay with")
    done = check_out(kiosk, Checkout(member.member.id, (LATTE,), points=240,
                                     order_ref="P-1"))
    assert done.priced.net_minor == 0
    [earn] = done.sale.entries
    assert (earn.points, earn.amount_minor) == (2, 0)
    return "P-1"


def test_an_order_paid_by_points_partly_refunded_is_not_listed_as_refunded(kiosk,
                                                                            paid_by_points):
    assert not listed(kiosk, paid_by_points)
    refund_lines(kiosk, paid_by_points, [RefundLine(0, 1)])  # one latte of two
    assert not listed(kiosk, paid_by_points)  # the other latte is still to refund
    left = order_to_refund(kiosk, paid_by_points)
    assert left is not None and [line.left for line in left.lines] == [1]


def test_an_order_paid_by_points_refunded_in_two_steps_is_listed_as_refunded(kiosk,
                                                                             paid_by_points):
    refund_lines(kiosk, paid_by_points, [RefundLine(0, 1)])
    refund_order(kiosk, paid_by_points)  # the rest
    assert listed(kiosk, paid_by_points)


def test_an_order_paid_by_points_refunded_whole_is_listed_as_refunded(kiosk, paid_by_points):
    refund_order(kiosk, paid_by_points)
    assert listed(kiosk, paid_by_points)


def test_an_order_whose_paid_line_came_back_but_not_its_free_one_is_not_refunded(
        kiosk, member):
    """The kettle's refund reverses all of the earn's spend; the reward's free americano,
    a line at NT$0, is still on the order to refund (its stock comes back with it)."""
    adjust_points(kiosk, member.member.id, 100, "points for a reward")
    done = check_out(kiosk, Checkout(member.member.id, (KETTLE,), reward_id="coffee",
                                     order_ref="F-1"))
    assert [line.code for line in done.priced.lines] == ["KETTLE", "REWARD-coffee"]
    refund_lines(kiosk, "F-1", [RefundLine(0, 1)])  # the kettle
    assert not listed(kiosk, "F-1")
    assert refund_order(kiosk, "F-1").lines == (RefundLine(1, 1),)  # the rest of it
    assert listed(kiosk, "F-1")

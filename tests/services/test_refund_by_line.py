"""Refund by line (issue 15, point 3): the points the refunded lines earned come back off
the member pro rata from the stored awards, what the order spent comes back in the same
proportion, never more than the order, and the whole order brings the member back to
where they were before it."""

from __future__ import annotations

import pytest

from kiosk.engine.refunds import RefundLine
from kiosk.program import Program, parse_program
from kiosk.services import (
    Sale,
    SaleLine,
    identify,
    order_to_refund,
    recent_orders,
    refund_codes,
    refund_lines,
    refund_order,
    ring_up_sale,
    verify_store,
)
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.errors import AlreadyRefunded, InvalidInput
from tests.helpers.program import CHECKOUT, COFFEE_CARD, program_text

KETTLE = SaleLine("KETTLE", 1, 2000, "kitchen")
CUPS = SaleLine("CUP", 4, 250, "kitchen")
LATTE = SaleLine("LATTE", 3, 120, "coffee")


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(CHECKOUT + COFFEE_CARD))


def points_of(kiosk, member) -> int:
    return identify(kiosk, member.card.payload).balance


def test_a_line_takes_back_what_it_earned_and_the_rest_stays(kiosk, member):
    before = points_of(kiosk, member)
    ring_up_sale(kiosk, Sale.of_basket(member.member.id, (KETTLE, CUPS), "L-1"))
    assert points_of(kiosk, member) == before + 30  # NT$3,000: a point per NT$100
    result = refund_lines(kiosk, "L-1", [RefundLine(1, 2)], "two cups broken",
                          approved_by="Mei")
    assert (result.points, result.money_back_minor, result.whole) == (-5, 500, False)
    assert points_of(kiosk, member) == before + 25
    [left] = [line for line in order_to_refund(kiosk, "L-1").lines if line.code == "CUP"]
    assert (left.refunded, left.left) == (2, 2)
    # The rest of it: the member is where they were before the order, to the point.
    result = refund_order(kiosk, "L-1")
    assert result.whole and result.money_back_minor == 2500
    assert points_of(kiosk, member) == before
    assert verify_store(kiosk).problems == ()
    with pytest.raises(AlreadyRefunded):
        refund_order(kiosk, "L-1")


def test_one_at_a_time_adds_up_to_exactly_the_whole(kiosk, member):
    before = points_of(kiosk, member)
    ring_up_sale(kiosk, Sale.of_basket(member.member.id, (SaleLine("PEN", 3, 110),), "L-2"))
    assert points_of(kiosk, member) == before + 3
    taken = [refund_lines(kiosk, "L-2", [RefundLine(0, 1)]).points for _ in range(3)]
    assert taken == [-1, -1, -1]
    assert points_of(kiosk, member) == before


def test_never_more_than_the_order(kiosk, member):
    ring_up_sale(kiosk, Sale.of_basket(member.member.id, (KETTLE, CUPS), "L-3"))
    refund_lines(kiosk, "L-3", [RefundLine(1, 3)])
    points = points_of(kiosk, member)
    for lines, said in [([RefundLine(1, 2)], "1 of 4 left to refund, 2 asked"),
                        ([RefundLine(5, 1)], "has no line 6"),
                        ([RefundLine(0, 0)], "at least 1"), ([], "at least one line")]:
        with pytest.raises(InvalidInput, match=said):
            refund_lines(kiosk, "L-3", lines)
    with pytest.raises(InvalidInput, match="has no line 'TEAPOT'"):
        refund_codes(kiosk, "L-3", [("TEAPOT", 1)])
    assert points_of(kiosk, member) == points  # a refusal changes nothing


def test_codes_pick_lines_and_quantities(kiosk, member):
    ring_up_sale(kiosk, Sale.of_basket(member.member.id, (KETTLE, CUPS), "L-4"))
    result = refund_codes(kiosk, "L-4", [("CUP", 4)])
    assert result.lines == (RefundLine(1, 4),) and result.money_back_minor == 1000


def test_points_the_order_spent_come_back_in_proportion(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 9000, "TOP-UP"))
    check_out(kiosk, Checkout(member.member.id, (KETTLE, CUPS), points=100,
                              order_ref="C-1"))
    spent = points_of(kiosk, member)
    # The cups are a third of the gross: a third of the 100 points comes back, less the
    # points the cups earned on what was paid for them in money.
    result = refund_lines(kiosk, "C-1", [RefundLine(1, 4)])
    assert result.money_back_minor == 967  # the cups' share of NT$2,900 paid
    assert result.points == 33 - 10  # the cups earned 10 of the order's 29
    assert points_of(kiosk, member) == spent + 23
    refund_order(kiosk, "C-1")
    assert points_of(kiosk, member) == 50 + 90  # sign-up and the top-up, as before C-1


def test_a_latte_refunded_takes_its_stamp_back(kiosk, member):
    ring_up_sale(kiosk, Sale.of_basket(member.member.id, (LATTE,), "S-1"))
    assert identify(kiosk, member.card.payload).stamps[0][1] == 3
    refund_lines(kiosk, "S-1", [RefundLine(0, 1)])
    assert identify(kiosk, member.card.payload).stamps[0][1] == 2
    refund_order(kiosk, "S-1")
    assert identify(kiosk, member.card.payload).stamps[0][1] == 0


def test_an_order_paid_wholly_by_a_coupon_is_listed_as_refunded_once_back(kiosk, member,
                                                                        clock):
    """Four lattes fill the card; the free latte's order earned on NT$0, so its refund
    reverses nothing of the earn: the list still says it came back."""
    first = ring_up_sale(kiosk, Sale.of_basket(member.member.id,
                                               (SaleLine("LATTE", 4, 120, "coffee"),), "F-1"))
    [coupon] = first.coupons
    clock.advance(minutes=1)
    free = check_out(kiosk, Checkout(member.member.id, (SaleLine("LATTE", 1, 120, "coffee"),),
                                     coupon_id=coupon.id_for(member.member.id),
                                     order_ref="F-2"))
    assert free.priced.net_minor == 0
    refund_order(kiosk, "F-2")
    [listed] = [o for o in recent_orders(kiosk) if o.order_ref == "F-2"]
    assert listed.refunded

"""The program report's numbers from the ledger's aggregate rows (kiosk/reports.py): what a
store owner reads for a month, exactly; an empty month gives nothing made up; a range that
can't be counted is refused with the problem named."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kiosk.reports import (
    Basket,
    Buyers,
    Enrolments,
    OrderTotals,
    PeriodProblem,
    PointTotals,
    period,
    program_report,
    ratio,
)

MARCH = period(date(2027, 3, 1), date(2027, 4, 1), "Asia/Taipei")


def test_a_month_is_counted_from_the_stores_midnights() -> None:
    assert MARCH.instants() == (datetime(2027, 2, 28, 16, tzinfo=UTC),
                                datetime(2027, 3, 31, 16, tzinfo=UTC))
    assert MARCH.days == 31


def test_a_day_the_clocks_go_forward_is_23_hours() -> None:
    first, last = period(date(2027, 3, 28), date(2027, 3, 29), "Europe/London").instants()
    assert (first, last) == (datetime(2027, 3, 28, 0, tzinfo=UTC),
                             datetime(2027, 3, 28, 23, tzinfo=UTC))


@pytest.mark.parametrize(("start", "end", "says"), [
    (date(2027, 3, 1), date(2027, 3, 1), "to (2027-03-01) must be after from (2027-03-01)"),
    (date(2027, 4, 1), date(2027, 3, 1), "to (2027-03-01) must be after from (2027-04-01)"),
    (date(1, 1, 1), date(2027, 3, 1), "from: 0001-01-01 is outside the dates"),
    (date(2027, 3, 1), date(9999, 12, 31), "to: 9999-12-31 is outside the dates"),
    (date(1970, 1, 1), date(1970, 1, 2), "from: 1970-01-01 is outside the dates"),
])
def test_a_range_that_cant_be_counted_is_refused_naming_the_problem(start, end, says) -> None:
    with pytest.raises(PeriodProblem, match=says.replace("(", r"\(").replace(")", r"\)")):
        period(start, end, "Asia/Taipei")


def test_the_widest_range_is_counted_in_any_zone() -> None:
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        first, last = period(date(1970, 1, 2), date(2999, 12, 31), zone).instants()
        assert datetime(1970, 1, 1, tzinfo=UTC) <= first < last < datetime(3000, 1, 1,
                                                                           tzinfo=UTC)


def test_the_owners_month_exactly() -> None:
    """Two tills. Members bought 4 times for NT$3,300 (8 items), walk-ins twice for
    NT$1,000 (3 items); 180 points went out and 120 were spent; of the 3 members who
    bought, 1 came back."""
    report = program_report(
        MARCH,
        orders=[OrderTotals("till-1", True, 3, 3000, 5),
                OrderTotals("till-1", False, 1, 300, 2),
                OrderTotals("till-2", True, 1, 300, 3),
                OrderTotals("till-2", False, 1, 700, 1)],
        points=[PointTotals("bonus", 150), PointTotals("earn", 30),
                PointTotals("redeem", -120), PointTotals("adjust", 40),
                PointTotals("expire", -7)],
        buyers=[Buyers(1, 2), Buyers(2, 1)],
        enrolments=[Enrolments("till-1", 3)])
    assert report.enrolled == 3
    assert report.members == Basket(4, 3300, 8)
    assert report.members.average_net_minor == Decimal("825.00")
    assert report.members.items_per_order == Decimal("2.00")
    assert report.non_members == Basket(2, 1000, 3)
    assert report.non_members.average_net_minor == Decimal("500.00")
    assert report.non_members.items_per_order == Decimal("1.50")
    assert report.member_share_of_revenue == Decimal("0.7674")  # 3300 / 4300
    assert (report.points_issued, report.points_redeemed, report.points_expired) == (
        180, 120, 7)  # the adjustment is neither issued nor redeemed
    assert report.redemption_rate == Decimal("0.6667")
    assert (report.buying_members, report.repeat_members) == (3, 1)
    assert report.repeat_rate == Decimal("0.3333")
    [one, two] = report.channels
    assert (one.channel, one.enrolled, one.members, one.non_members) == (
        "till-1", 3, Basket(3, 3000, 5), Basket(1, 300, 2))
    assert one.member_share_of_revenue == Decimal("0.9091")
    assert (two.channel, two.enrolled, two.member_share_of_revenue) == (
        "till-2", 0, Decimal("0.3000"))


def test_an_empty_month_has_no_averages_or_rates() -> None:
    report = program_report(MARCH, orders=[], points=[], buyers=[], enrolments=[])
    assert (report.enrolled, report.members, report.non_members) == (
        0, Basket(0, 0, 0), Basket(0, 0, 0))
    assert report.members.average_net_minor is None
    assert report.non_members.items_per_order is None
    assert report.member_share_of_revenue is None
    assert report.redemption_rate is None
    assert report.repeat_rate is None
    assert report.channels == ()


def test_a_month_of_refunds_only_has_no_redemption_rate() -> None:
    """More points taken back than given (refunds of last month's sales): no rate."""
    report = program_report(MARCH, orders=[], points=[PointTotals("earn", -30),
                                                      PointTotals("redeem", -60)],
                            buyers=[], enrolments=[])
    assert (report.points_issued, report.points_redeemed) == (-30, 60)
    assert report.redemption_rate is None


def test_orders_paid_wholly_with_rewards_average_zero_and_have_no_share() -> None:
    """Everything paid with rewards: members bought, nobody paid money."""
    report = program_report(MARCH, orders=[OrderTotals("till-1", True, 2, 0, 2)],
                            points=[], buyers=[Buyers(2, 1)], enrolments=[])
    assert report.members.average_net_minor == Decimal("0.00")
    assert report.member_share_of_revenue is None  # nobody paid anything: no share
    assert report.repeat_rate == Decimal("1.0000")


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 3, Decimal("0.3333")), (2, 3, Decimal("0.6667")), (1, 8, Decimal("0.1250")),
    (5, 0, None), (0, 5, Decimal("0.0000")), (3, 2, Decimal("1.5000")),
    (1, 20000, Decimal("0.0000")),  # 0.00005: half-even rounds to the even 0
    (3, 20000, Decimal("0.0002")),  # 0.00015: half-even rounds up to the even 2
])
def test_rates_are_exact_fractions_rounded_half_even_once(part, whole, expected) -> None:
    assert ratio(part, whole) == expected

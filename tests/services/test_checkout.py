"""One checkout per visit (issue 15): a reward, a coupon and points pay part of the bill,
the rest earns, and it all commits as one order; a refusal changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from kiosk.app.bootstrap import initialise_standalone
from kiosk.limits import EARLIEST
from kiosk.program import Program, parse_program
from kiosk.program_versions import Timetable
from kiosk.services import Enrolment, Sale, SaleLine, enrol, identify, ring_up_sale
from kiosk.services.checkout import (
    Checkout,
    CouponRefused,
    LoyaltyRefused,
    check_out,
    quote_checkout,
)
from kiosk.services.errors import InvalidInput, NotEnoughPoints, UnknownReward
from tests.helpers.clock import FakeClock
from tests.helpers.program import CHECKOUT, program_text

KEYED = SaleLine("AMOUNT", 1, 1000)


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(CHECKOUT))


def points_of(kiosk, member) -> int:
    return identify(kiosk, member.card.payload).balance


def top_up(kiosk, member, amount: int, ref: str = "TOP-UP") -> None:
    ring_up_sale(kiosk, Sale(member.member.id, amount, ref))


def test_a_reward_and_points_pay_part_of_the_bill_and_the_rest_earns(kiosk, member):
    top_up(kiosk, member, 9000)  # 50 + 90 points, still bronze
    result = check_out(kiosk, Checkout(member.member.id, (KEYED,), reward_id="nt100-off",
                                       points=20, order_ref="C-1"))
    assert [(d.source, d.amount_minor) for d in result.priced.discounts] == [
        ("reward:nt100-off", 100), ("points", 20)]
    assert result.priced.net_minor == 880
    assert result.redemption is not None and result.redemption.points == -120
    earn = [e for e in result.sale.entries if e.order_ref == "C-1"]
    assert [(e.points, e.amount_minor) for e in earn] == [(8, 880)]  # earned on NT$880
    assert points_of(kiosk, member) == result.sale.balance == 140 - 120 + 8
    with kiosk.store.read() as tx:
        order = tx.orders.get(kiosk.channel, "C-1")
    assert order is not None
    assert (order.order.loyalty.reward_id, order.order.loyalty.points_used,
            order.order.loyalty.discount_minor) == ("nt100-off", 20, 120)


def test_a_free_item_reward_is_a_line_at_zero_on_the_order(kiosk, member):
    top_up(kiosk, member, 2000)  # 70 points
    result = check_out(kiosk, Checkout(member.member.id, (KEYED,), reward_id="coffee"))
    assert [line.code for line in result.priced.lines] == ["AMOUNT", "REWARD-coffee"]
    assert result.priced.net_minor == 1000
    assert points_of(kiosk, member) == 70 - 60 + 10


def test_a_coupon_an_order_issued_pays_next_time_once(kiosk, member, clock):
    top_up(kiosk, member, 3000, "BIG")  # issues 10% off next time
    [coupon] = identify(kiosk, member.card.payload).coupons
    coupon_id = coupon.id_for(member.member.id)
    with pytest.raises(CouponRefused, match="not valid yet"):  # not on the order itself
        check_out(kiosk, Checkout(member.member.id, (KEYED,), coupon_id=coupon_id))
    clock.advance(minutes=5)
    result = check_out(kiosk, Checkout(member.member.id, (KEYED,), coupon_id=coupon_id,
                                       order_ref="C-2"))
    assert result.priced.net_minor == 900 and result.coupon is not None
    assert result.coupon.id == coupon.rule == "next10"
    assert result.redemption is None
    assert identify(kiosk, member.card.payload).coupons == ()
    before = points_of(kiosk, member)
    with pytest.raises(CouponRefused, match="already used"):
        check_out(kiosk, Checkout(member.member.id, (KEYED,), coupon_id=coupon_id,
                                  order_ref="C-3"))
    assert points_of(kiosk, member) == before
    with kiosk.store.read() as tx:
        assert tx.orders.get(kiosk.channel, "C-3") is None


@pytest.mark.parametrize(("checkout", "refusal", "message"), [
    (dict(points=15), LoyaltyRefused, "steps of 10"),
    (dict(points=510), LoyaltyRefused, "at most 500 points"),  # half of NT$1,000
    (dict(reward_id="yacht"), UnknownReward, "no reward 'yacht'"),
    (dict(reward_id="tote"), NotEnoughPoints, "500 points needed"),
    (dict(points=100, lines=()), InvalidInput, "at least one basket line"),
])
def test_a_refused_checkout_changes_nothing(kiosk, member, checkout, refusal, message):
    checkout = dict(checkout)  # each store kind runs with the same table
    lines = checkout.pop("lines", (KEYED,))
    with pytest.raises(refusal, match=message):
        check_out(kiosk, Checkout(member.member.id, lines, order_ref="C-X", **checkout))
    assert points_of(kiosk, member) == 50
    with kiosk.store.read() as tx:
        assert tx.orders.get(kiosk.channel, "C-X") is None


def test_another_members_coupon_is_refused(kiosk, member, clock):
    from kiosk.services import Enrolment, enrol
    top_up(kiosk, member, 3000, "BIG")
    [coupon] = identify(kiosk, member.card.payload).coupons
    other = enrol(kiosk, Enrolment("林小明", "0922-000-111", consent=True))
    clock.advance(minutes=5)
    with pytest.raises(CouponRefused, match="another member"):
        check_out(kiosk, Checkout(other.member.id, (KEYED,),
                                  coupon_id=coupon.id_for(member.member.id)))


def test_the_same_checkout_rung_up_twice_spends_and_earns_once(kiosk, member):
    top_up(kiosk, member, 9000)
    first = check_out(kiosk, Checkout(member.member.id, (KEYED,), points=100,
                                      order_ref="C-9"))
    again = check_out(kiosk, Checkout(member.member.id, (KEYED,), points=100,
                                      order_ref="C-9"))
    assert again.sale.duplicate and again.redemption is None
    assert first.redemption is not None
    assert points_of(kiosk, member) == 140 - 100 + 9


def test_the_quote_says_how_many_points_may_pay(kiosk, member):
    top_up(kiosk, member, 20_000)
    quote = quote_checkout(kiosk, Checkout(member.member.id, (KEYED,), reward_id="nt100-off"))
    assert quote.max_points == 450  # half of the NT$900 left after the reward
    assert quote.priced.net_minor == 900
    assert points_of(kiosk, member) == 250  # nothing written


@dataclass
class SteppingClock(FakeClock):
    """A clock that moves on by ``step`` each time it is read: a slow machine's checkout
    across a program version's switch."""

    step: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        at = self.now
        self.now += self.step
        return at


@pytest.mark.sqlite_only
def test_a_checkout_across_a_versions_switch_is_priced_and_rung_up_under_one(tmp_path,
                                                                           program):
    """The reward costs 100 points until the switch and 200 after it: a checkout begun a
    moment before it is priced, charged and recorded under the version in force when it
    began, never priced under one and recorded under the other (which the ledger
    refuses)."""
    clock = SteppingClock()
    kiosk = initialise_standalone(tmp_path / "kiosk", store_name="Test store",
                                  program=program, device_id="test-kiosk", clock=clock)
    member = enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True))
    top_up(kiosk, member, 30000)
    dearer = parse_program(program_text(CHECKOUT, "2026.3").replace(
        "amount = 100\ncost = 100", "amount = 100\ncost = 200", 1))
    kiosk.programs = Timetable.of([(EARLIEST, program), (clock.now + timedelta(seconds=1),
                                                          dearer)])
    clock.step = timedelta(seconds=0.6)
    result = check_out(kiosk, Checkout(member.member.id, (KEYED,), reward_id="nt100-off",
                                       order_ref="SWITCH-1"))
    clock.step = timedelta(0)
    assert result.redemption is not None and result.redemption.points == -100
    with kiosk.store.read() as tx:
        order = tx.orders.get(kiosk.channel, "SWITCH-1")
    assert order is not None and order.program_version == program.version
    assert {e.program_version for e in result.sale.entries} == {program.version}
    kiosk.store.close()

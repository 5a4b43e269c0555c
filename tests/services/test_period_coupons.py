"""Calendar-quarter spend coupons ("NT$300 for every NT$10,000 in a quarter") when the
quarter's net spend before the order is negative: a refund in this quarter of a purchase
made in the last one (refunds count where they are dated, on the kiosk and the ledger)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from kiosk.engine.coupons import CouponRule, coupons_for_order, period_coupons
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.program import Program, parse_program
from kiosk.services import Enrolment, Sale, enrol, refund_order, ring_up_sale
from tests.helpers.program import program_text

QUARTER = '''
[[coupons]]
id = "q300"
names = { en = "NT$300 off", zh-TW = "NT$300", zh-CN = "NT$300" }
value = { kind = "amount_off", amount = 300 }
valid_days = 30
trigger = { on = "period_spend", every = 10000, period = "quarter" }
'''
TAIPEI_APR_10_NOON = datetime(2026, 4, 10, 4, 0, tzinfo=UTC)
MEMBER = uuid.UUID("0192a000-0000-7000-8000-000000000001")


def _rule() -> CouponRule:
    return parse_program(program_text(QUARTER)).coupons[0]


@pytest.mark.parametrize("before", [-10_000, -25_000])
def test_no_voucher_while_the_quarters_net_spend_stays_below_the_first_multiple(before):
    rule = _rule()
    order = Order("k1", "Q2-1", TAIPEI_APR_10_NOON, (OrderLine("X", 1, 10_000),), MEMBER)
    state = MemberState("bronze", period_spend=(("2026-Q2", before),))
    program = parse_program(program_text(QUARTER))
    issued = coupons_for_order([rule], order, state, zone=program.zone, minor_units=0)
    # The quarter's net spend after the order is 0 (or -15,000): no multiple of NT$10,000
    # is crossed, and the ledger, from the same spend, issues nothing.
    ledger = period_coupons([rule], {"2026-Q2": before + 10_000}, order.occurred_at,
                            zone=program.zone, minor_units=0)
    assert ledger == ()
    assert [c.once for c in issued] == [c.once for c in ledger]


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(QUARTER))


def test_the_receipt_prints_no_voucher_the_ledger_will_never_know(kiosk, clock):
    member = enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True)).member
    clock.now = datetime(2026, 3, 30, 4, 0, tzinfo=UTC)  # 2026-03-30 12:00 Taipei, Q1
    ring_up_sale(kiosk, Sale(member.id, 10_000, "Q1-1"))  # the Q1 voucher
    clock.now = datetime(2026, 4, 2, 4, 0, tzinfo=UTC)  # Q2: it comes back
    refund_order(kiosk, "Q1-1", "returned")  # (its Q1 voucher is withdrawn with it)
    clock.now = TAIPEI_APR_10_NOON
    second = ring_up_sale(kiosk, Sale(member.id, 10_000, "Q2-1"))
    # Q2's net spend is now 0: no voucher (the kiosk issues "coupon:q300:2026-Q2:0").
    assert [c.once for c in second.coupons] == []

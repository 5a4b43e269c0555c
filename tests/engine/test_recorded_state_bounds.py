"""Review of issue 14 (bounds): the member state an order records is trusted by the ledger's re-run,
and nothing bounds it. The wire (MemberStateWire.stamps) lets a card's stamps be up to
10**9, and punch() makes one CouponIssue per fill (range(1, fills + 1)): a kiosk
token (or a corrupt record) makes the ledger build hundreds of millions of objects while
it audits or stores one order (memory exhaustion: the process dies, not a 4xx). Shown
here with small values, so the test itself stays cheap."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from kiosk.awards import awards_for_order
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.program import parse_program
from tests.helpers.program import COFFEE_CARD, program_text

EXTRA = COFFEE_CARD + '''
[[coupons]]
id = "quarter-300"
names = { en = "NT$300 voucher", zh-TW = "NT$300 折價券", zh-CN = "NT$300 代金券" }
value = { kind = "amount_off", amount = 300 }
valid_days = 90
trigger = { on = "period_spend", every = 10000, period = "quarter" }
'''
PROGRAM = parse_program(program_text(EXTRA, version="2026.2-review-bounds"))
ORDER = Order("till-1", "A-1", datetime(2026, 11, 3, 3, tzinfo=UTC),
              (OrderLine("LATTE", 1, 120, "coffee"),), uuid.uuid4())


def test_one_latte_issues_at_most_one_free_coffee() -> None:
    state = MemberState("bronze", stamps=(("coffee", 40_000),))
    coupons = awards_for_order(PROGRAM, ORDER, state).coupons
    assert len(coupons) <= 1, f"{len(coupons)} coupons for one latte"


def test_one_huge_order_issues_a_bounded_number_of_period_vouchers() -> None:
    """NT$10**9 paid against NT$10,000 a voucher would be 100,000 coupons: at most
    MAX_PERIOD_COUPONS are issued (a bigger order is a typing slip or a forgery)."""
    huge = Order("till-1", "A-2", datetime(2026, 11, 3, 3, tzinfo=UTC),
                 (OrderLine("BAG", 1, 10**9, "bags"),), uuid.uuid4())
    coupons = awards_for_order(PROGRAM, huge, MemberState("bronze")).coupons
    assert len([c for c in coupons if c.rule == "quarter-300"]) == 100

"""A quarter's voucher printed on the receipt of the order that earns it: valid only from
the first day of the next quarter, but the receipt says "Coupon for next time: ..., until
2026-05-01" and nothing of when it starts; the member comes back the next day (still Q1)
and the counter refuses it as "not valid yet". The member screen says "(from 2026-04-01)".
"""
from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from devices.receipt import Receipt, layout
from kiosk.program import Program, parse_program
from kiosk.services import Enrolment, enrol
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.sales import SaleLine
from tests.helpers.program import program_text
from ui.context import ScreenContext
from ui.receipts import sale_receipt

QUARTER = '''
[[coupons]]
id = "q300"
names = { en = "NT$300 off", zh-TW = "折抵 NT$300", zh-CN = "抵扣 NT$300" }
value = { kind = "amount_off", amount = 300 }
valid_days = 30
trigger = { on = "period_spend", every = 10000, period = "quarter" }
'''


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(QUARTER))


@pytest.mark.parametrize("language", ["en", "zh-TW", "zh-CN"])
def test_the_receipt_says_from_when_a_next_quarter_voucher_is_valid(kiosk, clock, language):
    member = enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True)).member
    clock.now = datetime(2026, 3, 30, 4, 0, tzinfo=UTC)  # 2026-03-30 12:00 Taipei, Q1
    result = check_out(kiosk, Checkout(member.id, (SaleLine("TEA", 1, 10_000),)))
    (coupon,) = result.sale.coupons
    assert coupon.valid_from == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)  # 04-01 00:00 Taipei
    counter = ScreenContext(kiosk, tasks=None, languages=SimpleNamespace(current=language))
    receipt = sale_receipt(counter, result, (("Tea", "NT$10,000"),), 10_000, None)
    text = "\n".join(f"{r.left} {r.right}" for r in layout(receipt) if r.style == "pair")
    assert "2026-05-01" in text  # its last day is printed ...
    assert "2026-04-01" in text  # ... but not its first


def test_a_coupon_for_next_time_says_only_until_when():
    receipt = Receipt(store="S", lines=(), balance=1, coupons=(
        ("Tea", "", "2026-05-01", "CPQ1.1"), ("NT$300 off", "2026-04-01", "2026-05-01", "CPQ1.2")))
    said = [r.left for r in layout(receipt) if r.left.startswith("Coupon")]
    assert said == ["Coupon for next time: Tea, until 2026-05-01",
                    "Coupon for next time: NT$300 off, from 2026-04-01 until 2026-05-01"]

"""The ledger prices an honest checkout's order again as the counter did, even when the
basket holds a line coded like a free item reward's."""
from datetime import UTC, datetime

from kiosk.audit import loyalty_problem
from kiosk.engine.checkout import price_checkout
from kiosk.engine.orders import Order, OrderLine
from kiosk.program import parse_program
from tests.helpers.program import CHECKOUT, program_text


def test_honest_checkout_with_a_reward_coded_line_passes_the_ledger():
    program = parse_program(program_text(CHECKOUT))
    basket = (OrderLine("REWARD-coffee", 1, 120), OrderLine("AMOUNT", 1, 1000))
    priced = price_checkout(basket, minor_units=program.minor_units,
                            reward=program.reward_terms("coffee"),
                            policy=program.points_as_money)
    order = Order("till", "C-1", datetime(2026, 11, 1, tzinfo=UTC), priced.lines,
                  loyalty=priced.loyalty)
    assert loyalty_problem(program, order) is None

"""A reward off some lines only (tea-20: 20% off the tea lines) takes its discount off the
tea, but Order.line_nets spreads the order's whole discount over every line in proportion
to its total (kiosk/engine/orders.py line_nets), and money_back pays the refunded lines'
line_nets share. So returning the tea hands the member back MORE than the tea cost them
(the mug's full price subsidises it), and returning the mug hands back less than it cost.
Same for the shop's free shipping: the SHIPPING line, which cost nothing, gets a share of
the net paid (a refund of the shipping line "gives back" money never paid)."""
from __future__ import annotations

from pathlib import Path

from kiosk.app.bootstrap import initialise_standalone
from kiosk.engine.refunds import RefundLine
from kiosk.program import parse_program
from kiosk.services import Enrolment, Sale, SaleLine, enrol, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.refunds import refund_lines
from tests.helpers.clock import FakeClock
from tests.helpers.program import CHECKOUT, program_text

TEA = SaleLine("TEA-OOLONG", 2, 250, "tea")
MUG = SaleLine("MUG", 1, 400, "kitchen")


def test_returning_the_discounted_tea_gives_back_what_the_tea_cost(tmp_path: Path):
    program = parse_program(program_text(CHECKOUT))
    kiosk = initialise_standalone(tmp_path / "kiosk", store_name="Test", program=program,
                                  device_id="test-kiosk", clock=FakeClock())
    joined = enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True))
    ring_up_sale(kiosk, Sale(joined.member.id, 9000, "TOP-UP"))
    done = check_out(kiosk, Checkout(joined.member.id, (TEA, MUG), reward_id="tea-20",
                                     order_ref="T-1"))
    # 20% off the tea (500): 100 off; the mug (400) is paid in full. Net 800.
    assert done.priced.loyalty.discount_minor == 100
    back = refund_lines(kiosk, "T-1", [RefundLine(0, 2)])  # both teas back
    assert back.money_back_minor == 400, (
        f"the tea cost the member 400 (500 less the tea reward's 100), "
        f"the refund hands back {back.money_back_minor}")
    kiosk.store.close()

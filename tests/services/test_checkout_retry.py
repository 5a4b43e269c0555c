"""A retried checkout (same order ref: a double tap, a crash before the till heard back)
is answered "already rung up", its coupon not refused as used."""
import pytest

from kiosk.program import Program, parse_program
from kiosk.services import Sale, SaleLine, identify, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from tests.helpers.program import CHECKOUT, program_text

KEYED = SaleLine("AMOUNT", 1, 1000)


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(CHECKOUT))


def test_retry_of_a_checkout_with_a_kept_coupon_is_a_duplicate(kiosk, member, clock):
    ring_up_sale(kiosk, Sale(member.member.id, 3000, "BIG"))
    [coupon] = identify(kiosk, member.card.payload).coupons
    cid = coupon.id_for(member.member.id)
    clock.advance(minutes=5)
    first = check_out(kiosk, Checkout(member.member.id, (KEYED,), coupon_id=cid,
                                      order_ref="C-2"))
    assert first.priced.net_minor == 900
    again = check_out(kiosk, Checkout(member.member.id, (KEYED,), coupon_id=cid,
                                      order_ref="C-2"))  # CouponRefused('already used')
    assert again.sale.duplicate

"""The counter refuses typed text the ledger's wire would refuse (a control character in
an order reference, a refund's or an adjustment's reason), so nothing it accepts can be
held back at sync; nothing is recorded."""

from __future__ import annotations

import pytest

from kiosk.services import Sale, SaleLine, redeem, refund_order, ring_up_sale, verify_store
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.errors import InputProblem, InvalidInput
from kiosk.services.manager import adjust_points


@pytest.mark.parametrize("act", [
    lambda k, m: ring_up_sale(k, Sale(m, 1000, "T-\x001")),
    lambda k, m: redeem(k, m, "coffee", order_ref="T-\x1b[2J"),
    lambda k, m: refund_order(k, "T-0", "customer\x00returned it"),
    lambda k, m: adjust_points(k, m, 10, "goodwill\x07"),
    lambda k, m: ring_up_sale(k, Sale.of_basket(m, (SaleLine("TEA\x00OOLONG", 1, 1000),))),
    lambda k, m: ring_up_sale(k, Sale.of_basket(m, (SaleLine("TEA", 1, 1000, "\x1b[31m"),))),
    lambda k, m: ring_up_sale(k, Sale.of_basket(m, (SaleLine("SP\u200bA", 1, 1000),))),
    lambda k, m: check_out(k, Checkout(m, (SaleLine("SP\u202eA", 1, 1000),))),
], ids=["sale order ref", "redemption order ref", "refund reason", "adjustment reason",
        "basket code", "basket category", "zero-width space in a code",
        "right-to-left override in a checkout's code"])
def test_a_control_character_is_refused_at_the_counter_and_nothing_is_recorded(kiosk, member,
                                                                              act):
    ring_up_sale(kiosk, Sale(member.member.id, 4000, "T-0"))  # 50 + 40 points
    with kiosk.store.read() as tx:
        before = tx.outbox.size()
    with pytest.raises(InvalidInput) as refused:
        act(kiosk, member.member.id)
    assert refused.value.problem is InputProblem.CONTROL_CHARACTER
    with kiosk.store.read() as tx:
        assert (tx.outbox.size(), tx.entries.balance(member.member.id)) == (before, 90)
    assert verify_store(kiosk).ok


def test_line_breaks_in_a_reason_are_fine(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 4000, "T-0"))
    assert refund_order(kiosk, "T-0", "box damaged\ncustomer kept the receipt").points == -40


@pytest.mark.parametrize("act", [
    lambda k, m: ring_up_sale(k, Sale(m, 1000, "T" * 65)),
    lambda k, m: redeem(k, m, "coffee", order_ref="T" * 65),
    lambda k, m: redeem(k, m, "coffee", order_ref=""),
], ids=["sale", "redemption", "empty redemption ref"])
def test_an_order_reference_the_wire_refuses_is_refused_at_the_counter(kiosk, member, act):
    """Over 64 characters the upload would refuse it and the entry would be kept back
    (quarantined): the member's points spent here and never on the ledger."""
    ring_up_sale(kiosk, Sale(member.member.id, 4000, "T-0"))
    with kiosk.store.read() as tx:
        before = tx.outbox.size()
    with pytest.raises(InvalidInput) as refused:
        act(kiosk, member.member.id)
    assert refused.value.problem is InputProblem.ORDER_REF
    assert "1 to 64 characters" in str(refused.value)
    with kiosk.store.read() as tx:
        assert (tx.outbox.size(), tx.entries.balance(member.member.id)) == (before, 90)


@pytest.mark.parametrize("act", [
    lambda k, m: ring_up_sale(k, Sale(m, 1000, "CPO1.7")),
    lambda k, m: redeem(k, m, "coffee", order_ref=" CPO1.ORSXG5A.ORSXG5A"),
    lambda k, m: ring_up_sale(k, Sale.of_basket(m, (SaleLine(" SP", 1, 1000),))),
    lambda k, m: ring_up_sale(k, Sale.of_basket(m, (SaleLine("S" * 65, 1, 1000),))),
    lambda k, m: ring_up_sale(k, Sale.of_basket(m, (SaleLine("SP", 1, 1000, ""),))),
], ids=["sale order ref like a receipt's QR", "redemption order ref like a receipt's QR",
        "code with a space around it", "code over 64 characters", "empty category"])
def test_what_the_refund_could_not_find_again_is_refused_at_the_counter(kiosk, member, act):
    """Review: an order number starting ``CPO1.`` (the refund reads it as a receipt's QR)
    and a code kept with the spaces a refund takes off could be rung up and never refunded
    by what was typed; refused, nothing recorded."""
    ring_up_sale(kiosk, Sale(member.member.id, 4000, "T-0"))
    with kiosk.store.read() as tx:
        before = tx.outbox.size()
    with pytest.raises(InvalidInput):
        act(kiosk, member.member.id)
    with kiosk.store.read() as tx:
        assert (tx.outbox.size(), tx.entries.balance(member.member.id)) == (before, 90)

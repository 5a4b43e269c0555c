"""A whole refund takes back the first-purchase bonus the order earned (review 28b): the
bonus is stored with the order's awards but its entry, with a derived id on the derived
channel, names no order, so a refund reversed only the order's own entries and the
member kept it: buy, refund, keep 30 points. The birthday bonus stays (it is for a visit
in the window, which needs no purchase)."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.engine.orders import derived_id
from kiosk.engine.refunds import RefundLine
from kiosk.ledger import EntryKind
from kiosk.program import Program, parse_program
from kiosk.services import (
    Enrolment,
    Sale,
    SaleLine,
    enrol,
    refund_lines,
    refund_order,
    ring_up_sale,
)
from kiosk.services.errors import AlreadyRefunded
from kiosk.services.refunds import points_if_refunded
from tests.helpers.program import program_text

TEA = SaleLine("TEA-OOLONG", 4, 65, "tea")
CAKE = SaleLine("CAKE-SUN", 5, 40, "cake")


@pytest.fixture
def program() -> Program:
    return parse_program(program_text())  # birthday 100, first purchase 30


@pytest.fixture
def member(kiosk):  # born in November: the test clock's month
    return enrol(kiosk, Enrolment("陳美玲", "0912-345-678", birthday=date(1991, 11, 3),
                                  consent=True)).member


def _balance(kiosk, member) -> int:  # type: ignore[no-untyped-def]
    with kiosk.store.read() as tx:
        return tx.entries.balance(member.id)


def test_a_whole_refund_takes_back_the_first_purchase_bonus_not_the_birthdays(kiosk, member):
    enrolled = _balance(kiosk, member)
    sale = ring_up_sale(kiosk, Sale.of_basket(member.id, (TEA, CAKE), order_ref="S-1"))
    assert {e.note for e in sale.entries} >= {"first_purchase", "birthday:2026"}
    assert points_if_refunded(kiosk, "S-1", [RefundLine(0, 4), RefundLine(1, 5)]) == -36
    result = refund_order(kiosk, "S-1")
    assert result.points == -(4 + 2 + 30)  # the earn, the promotion and the first purchase
    assert _balance(kiosk, member) == enrolled + 100  # the birthday bonus stays
    [bonus_back] = [e for e in result.entries
                    if e.reverses == derived_id(member.id, "first_purchase")]
    assert (bonus_back.kind, bonus_back.points, bonus_back.channel, bonus_back.order_ref) == (
        EntryKind.REVERSE, -30, kiosk.channel, "S-1")
    with pytest.raises(AlreadyRefunded):
        refund_order(kiosk, "S-1")
    # The member has bought before, refund or not: the bonus is once per member.
    again = ring_up_sale(kiosk, Sale.of_basket(member.id, (CAKE,), order_ref="S-2"))
    assert "first_purchase" not in {e.note for e in again.entries}


def test_the_bonus_comes_back_with_the_last_line_of_the_order(kiosk, member):
    enrolled = _balance(kiosk, member)
    ring_up_sale(kiosk, Sale.of_basket(member.id, (TEA, CAKE), order_ref="S-1"))
    some = refund_lines(kiosk, "S-1", [RefundLine(0, 4)])  # the tea: a purchase is left
    assert not some.whole
    assert all(e.reverses != derived_id(member.id, "first_purchase") for e in some.entries)
    assert points_if_refunded(kiosk, "S-1", [RefundLine(1, 5)]) == -(2 + 30)
    rest = refund_lines(kiosk, "S-1", [RefundLine(1, 5)])
    assert rest.whole and rest.points == -(2 + 30)
    assert _balance(kiosk, member) == enrolled + 100

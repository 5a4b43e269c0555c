"""An order number is one a receipt shows and a manager can type back (found at review 27):
a product code with an invisible character was refused, an order number with one taken.
A till that pasted "B-7" with a zero-width space after it (or a right-to-left override
before it) printed "B-7"; the manager typing B-7 at the refund tab was told no points were
recorded for it, or refunded another, plain B-7. The refund tab strips what is typed, so
a number with a space at either end was as unfindable."""

from __future__ import annotations

import pytest

from kiosk.services import Sale, ring_up_sale
from kiosk.services.errors import InvalidInput
from kiosk.services.refunds import refund_order


@pytest.mark.parametrize("ref", ["B-7\u200b", "\u202eB-7", "B-7 ", " B-7", "B\u00ad-7"])
def test_an_order_number_a_receipt_cant_show_is_refused(kiosk, member, ref):
    with pytest.raises(InvalidInput) as refused:
        ring_up_sale(kiosk, Sale(member.member.id, 1000, ref))
    assert "order reference" in str(refused.value)
    with kiosk.store.read() as tx:
        assert tx.entries.sale(kiosk.channel, ref) is None


def test_one_it_shows_is_rung_up_and_refunded_as_typed(kiosk, member):
    sold = ring_up_sale(kiosk, Sale(member.member.id, 1000, "收據 B-7"))
    assert not sold.duplicate
    assert refund_order(kiosk, "收據 B-7").points == -sold.points

"""`kiosk refund --line CODE:QTY` naming one code twice (a cashier scanning a receipt line by
line): the refusal says what is left of the code and all that was asked of it (found at
review 27: "CUP: 0 left to refund, 1 asked" for an order whose two cups were both there)."""

from __future__ import annotations

import pytest

from kiosk.services import Sale, SaleLine, refund_codes, ring_up_sale
from kiosk.services.errors import InvalidInput


def test_too_much_of_a_code_asked_in_two_parts_names_what_is_left(kiosk, member):
    ring_up_sale(kiosk, Sale.of_basket(member.member.id, (SaleLine("CUP", 2, 250),), "L-1"))
    with pytest.raises(InvalidInput) as refused:
        refund_codes(kiosk, "L-1", [("CUP", 2), ("CUP", 1)])
    assert str(refused.value) == "CUP: 2 left to refund on order 'L-1', 3 asked"
    refund_codes(kiosk, "L-1", [("CUP", 1)])  # nothing was refunded by the refusal
    with pytest.raises(InvalidInput) as refused:
        refund_codes(kiosk, "L-1", [("CUP", 2)])
    assert str(refused.value) == "CUP: 1 left to refund on order 'L-1', 2 asked"

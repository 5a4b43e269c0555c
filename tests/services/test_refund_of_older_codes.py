"""A line a counter took before check_code (f7d4e43), whose code has a character a receipt
doesn't show (a byte order mark from a spreadsheet's CSV, a zero-width space) or a space at
the end, is refunded by the code the receipt shows for it: that is all a cashier can type,
and ``kiosk refund --line`` reads what is typed by the counter's rule (review of 597b294;
the ledger's shop refund reads it the same way, tests/sync/test_shop_refund_of_older_order.py).
"""

from __future__ import annotations

import pytest

from kiosk.engine.refunds import RefundLine
from kiosk.services import Sale, SaleLine, refund_codes, ring_up_sale
from kiosk.services import sales as sales_module
from kiosk.services.errors import InvalidInput


def rung_up_by_an_older_counter(kiosk, member, lines: tuple[SaleLine, ...],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as older:  # the counter before check_code: codes as sent
        older.setattr(sales_module, "check_code", lambda code, what="": None)
        ring_up_sale(kiosk, Sale.of_basket(member.member.id, lines, "OLD-1"))


@pytest.mark.parametrize(("kept", "typed"), [("\ufeffTEA", "TEA"), ("TEA\u200b", "TEA"),
                                             ("SP ", "SP"), ("SP\u3000A", "SP A")],
                         ids=["BOM", "zero-width", "padded", "ideographic-space"])
def test_an_older_line_is_refunded_by_the_code_its_receipt_shows(kiosk, member, kept, typed,
                                                                 monkeypatch):
    rung_up_by_an_older_counter(kiosk, member, (SaleLine("CUP", 1, 250),
                                                SaleLine(kept, 2, 1000)), monkeypatch)
    result = refund_codes(kiosk, "OLD-1", [(typed, 1)])
    assert result.lines == (RefundLine(1, 1),) and result.money_back_minor == 1000
    with pytest.raises(InvalidInput, match="1 left to refund"):
        refund_codes(kiosk, "OLD-1", [(typed, 2)])
    with pytest.raises(InvalidInput, match="U\\+"):  # what is typed: still the counter's rule
        refund_codes(kiosk, "OLD-1", [(f"{typed}\u200b", 1)])


def test_lines_that_read_alike_on_the_receipt_are_one_code(kiosk, member, monkeypatch):
    """TEA and TEA\\u200b print alike: the cashier can't tell them apart, nor can the
    refund; the code's quantity is taken from its lines in order, as for any code."""
    rung_up_by_an_older_counter(kiosk, member, (SaleLine("TEA", 1, 1000),
                                                SaleLine("TEA\u200b", 1, 1000)), monkeypatch)
    result = refund_codes(kiosk, "OLD-1", [("TEA", 2)])
    assert result.lines == (RefundLine(0, 1), RefundLine(1, 1)) and result.whole


def test_a_code_that_names_a_line_exactly_refunds_that_line_first(kiosk, member, monkeypatch):
    """Found by review: with "TEA\\u200b" at NT$5 before "TEA" at NT$3, "TEA:1" refunded the
    first (the lines that print alike taken in order), handing back money for a line the
    cashier never typed. The exact line goes first, those that only print alike after."""
    rung_up_by_an_older_counter(kiosk, member, (SaleLine("TEA\u200b", 1, 500),
                                                SaleLine("TEA", 1, 300)), monkeypatch)
    result = refund_codes(kiosk, "OLD-1", [("TEA", 1)])
    assert result.lines == (RefundLine(1, 1),)
    assert result.money_back_minor == 300

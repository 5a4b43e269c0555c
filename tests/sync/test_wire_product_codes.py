"""A product code a shop sends (an order's line, a refund's line) is taken exactly when the
counter takes it (``kiosk.services.errors.check_code``): 1 to 64 characters a receipt
shows, no space at either end. An invisible character (a zero-width space, a byte order
mark, an ideographic space) makes a code that looks like another, and the wire refused
only control characters. (What a counter already took goes up as it took it:
tests/sync/test_queued_order_codes.py.)"""

from __future__ import annotations

import json
import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kiosk.printable import UNICODE_VERSION, code_pattern
from kiosk.services.errors import InvalidInput, check_code
from sync.wire_shop import CodeQuantity, OrderLineWire, RefundRequest

INVISIBLE = ["SP\u200bA", "\ufeffSP", "SP\u3000A", "SP\u00a0", "\u2060SP", "SP\u202eA",
             "SP\u00adA", "\U000e0041SP", "SP\U000f0000", "SP\u0378", "SP\u2028A", " SP",
             "SP ", " ", ""]
SHOWN = ["SP", "烏龍茶-01", "TEA OOLONG", "A  B", "Ω-7", "\U0001f375", "x" * 64, "茶" * 64,
         "é", "~!@#$%^&*()[]{}\\|;:'\",.<>/?"]


def counter_takes(code: str) -> bool:
    try:
        check_code(code)
    except InvalidInput:
        return False
    return True


def wire_takes(code: str) -> bool:
    try:
        OrderLineWire.model_validate({"code": code, "quantity": 1, "unit_price_minor": 1})
    except ValidationError as exc:
        assert [e["loc"] for e in exc.errors()] == [("code",)]
        return False
    return True


@pytest.mark.parametrize("code", INVISIBLE, ids=ascii)
def test_a_code_the_counter_refuses_is_refused_on_the_wire_naming_it(code):
    assert not counter_takes(code)
    for model, body in ((OrderLineWire, {"code": code, "quantity": 1, "unit_price_minor": 1}),
                        (CodeQuantity, {"code": code, "quantity": 1})):
        with pytest.raises(ValidationError) as refused:
            model.model_validate(body)
        assert [e["loc"] for e in refused.value.errors()] == [("code",)]
    with pytest.raises(ValidationError) as refused:  # as JSON, the API's own parse
        RefundRequest.model_validate_json(json.dumps(
            {"order_ref": "W-1", "lines": [{"code": code, "quantity": 1}]}))
    assert [e["loc"] for e in refused.value.errors()] == [("lines", 0, "code")]


@pytest.mark.parametrize("code", SHOWN)
def test_a_code_the_counter_takes_is_taken_on_the_wire_as_sent(code):
    assert counter_takes(code)
    assert wire_takes(code)
    assert CodeQuantity(code=code, quantity=1).code == code


@settings(max_examples=2000, deadline=None)
@given(st.text(st.characters(codec="utf-8") | st.sampled_from(" \u3000\u200b\ufeff\u00a0"),
               max_size=70)
       | st.text(st.sampled_from("A 茶\u200b"), min_size=1, max_size=66))
def test_the_wire_takes_a_code_exactly_when_the_counter_does(code):
    assert wire_takes(code) == counter_takes(code)


@pytest.mark.skipif(unicodedata.unidata_version != UNICODE_VERSION,
                    reason="the table is Unicode 14's (Python 3.11's str.isprintable)")
def test_the_wire_knows_every_character_a_receipt_shows():
    """Every code point, one at a time (and with a letter on each side, where a space
    inside a code is shown): the wire's character class is ``str.isprintable``'s, for the
    table's Unicode (a Python of another one reads the same table: tests/test_printable.py;
    ``python -m kiosk.printable`` writes it from another, should the table move on)."""
    pattern = re.compile(code_pattern())
    wrong = [c for c in range(sys.maxunicode + 1)
             if (pattern.fullmatch(f"A{chr(c)}A") is not None)
             != (chr(c).isprintable() and not 0xD800 <= c <= 0xDFFF)]
    assert wrong == []
    wire = [c for c in range(0, sys.maxunicode + 1, 97) if not 0xD800 <= c <= 0xDFFF
            if wire_takes(chr(c)) != counter_takes(chr(c))]
    assert wire == []

"""The receipt's order QR: what it encodes comes back exactly; anything else is refused
with a reason, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.engine.order_codes import OrderCode, order_payload, parse_order_payload

refs = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
               max_size=64).filter(str.isprintable)


@given(channel=refs, ref=refs)
def test_a_code_comes_back_as_it_was_printed(channel: str, ref: str) -> None:
    text = order_payload(channel, ref)
    assert text.isascii() and text == text.upper()  # the QR's alphanumeric mode
    assert parse_order_payload(text) == OrderCode(channel, ref)


@pytest.mark.parametrize(("text", "said"), [
    ("CP1.ABC.DEF", "not an order QR"),
    ("CPO1.", "damaged"),
    ("CPO1.ORSXG5A", "damaged"),
    ("CPO1.ORSXG5A.ORSXG5A.ORSXG5A", "damaged"),
    ("CPO1.orsxg5a.ORSXG5A", "damaged"),
    ("CPO1.74.ORSXG5A", "damaged"),
    ("CPO1.AA.ORSXG5A", "order QR: damaged"),
])
def test_anything_else_is_refused_with_a_reason(text: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        parse_order_payload(text)

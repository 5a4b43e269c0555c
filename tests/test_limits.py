"""The text rule the counter and the ledger share (kiosk/limits.py): the wire's types
(pydantic's Rust regex) refuse exactly what the counter's predicate does."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from kiosk.limits import text_problem
from sync.wire_types import Prose, Text


@pytest.mark.parametrize(("text", "layout", "problem"), [
    ("陳美玲", False, None),
    ("O'Brien-Smith (Jr.)", False, None),
    ("emoji 🎉 and ß", False, None),
    ("", False, None),
    ("a\x00b", False, "contains a control character (U+0000)"),
    ("\x1b[2J", False, "contains a control character (U+001B)"),
    ("tab\there", False, "contains a control character (U+0009)"),
    ("tab\there\r\n", True, None),
    ("form\x0cfeed", True, "contains a control character (U+000C)"),
    ("del\x7f", True, "contains a control character (U+007F)"),
    ("next line\x85", False, "contains a control character (U+0085)"),
    ("\u00a0no-break space", False, None),
    ("lone \ud800", False, "contains a lone surrogate (U+D800)"),
])
def test_text_the_ledger_cannot_hold_is_named(text, layout, problem):
    assert text_problem(text, layout=layout) == problem


def test_the_wire_types_refuse_exactly_what_the_counter_refuses():
    text, prose = TypeAdapter(Text), TypeAdapter(Prose)

    def takes(adapter: TypeAdapter[str], value: str) -> bool:
        try:
            adapter.validate_python(value)
        except ValidationError:
            return False
        return True

    for code in [*range(0x00, 0x180), 0x2028, 0xFEFF, 0x1F389]:
        for value in (chr(code), f"a{chr(code)}", f"{chr(code)}\n"):
            assert takes(text, value) == (text_problem(value) is None), value
            assert takes(prose, value) == (text_problem(value, layout=True) is None), value

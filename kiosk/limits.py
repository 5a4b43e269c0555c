"""What the ledger's database can hold, as pure rules shared by the counter and the wire.

The ledger refuses on the wire (``sync/wire_types.py`` builds its types from these) what its
databases can't store or its code can't compute with: text with control characters
(PostgreSQL refuses NUL outright; the others are never part of a name, a phone number or
an order number), integers beyond 64 bits, and times whose conversion to UTC overflows.
The kiosk refuses the same things at the counter with the same rule, so what a cashier
types is either refused there, in the counter's language, or accepted everywhere.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # BIGINT on PostgreSQL, INTEGER on SQLite

# Unicode's control characters (category Cc: C0, DEL and C1), as the inside of a regex
# character class that Python's ``re``, pydantic's Rust regex and JSON Schema (ECMA 262)
# all read the same way.
CONTROL = r"\x00-\x1f\x7f-\x9f"
# The same less tab, line feed and carriage return: text laid out on lines (a note).
CONTROL_BUT_LAYOUT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Lone surrogates can't be encoded as UTF-8 at all; JSON text can't carry them to the
# ledger, but a Python string can.
_SURROGATE = "\ud800-\udfff"

_BAD = re.compile(f"[{CONTROL}{_SURROGATE}]")
_BAD_BUT_LAYOUT = re.compile(f"[{CONTROL_BUT_LAYOUT}{_SURROGATE}]")

# Times: from the Unix epoch (the earliest a device clock can say: where one with a flat
# battery starts) to the year 3000 (exclusive). Wrong clocks inside that range are the
# ledger's business entry by entry; outside it a time is no clock's reading, and near
# datetime's own ends converting it to UTC or adding a day overflows.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)  # exclusive


def text_problem(value: str, *, layout: bool = False) -> str | None:
    """Why ``value`` can't be stored as text, or None. ``layout``: tabs and line breaks
    are allowed (text on lines, or typed text that is cleaned of them)."""
    found = (_BAD_BUT_LAYOUT if layout else _BAD).search(value)
    if found is None:
        return None
    code = ord(found.group())
    what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
    return f"contains {what} (U+{code:04X})"

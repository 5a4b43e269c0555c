"""A JSON object's key given twice, found before a body or a file is read for its values:
JSON parsers differ on which of the two counts (pydantic's, like ``json``'s, quietly takes
the last), so a till's basket or a checkout could be read one way by its sender and
another way here. The counter's ``kiosk checkout`` and the ledger's checkout bodies both
refuse it, naming the key."""

from __future__ import annotations

import json
from typing import Any


class _KeyTwice(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _KeyTwice(key)
        seen[key] = value
    return seen


def key_given_twice(text: str | bytes) -> str | None:
    """The first key ``text`` gives twice in one object (at most 64 characters of it), or
    None; None too for text that isn't JSON, left to the parser that says what is wrong."""
    try:
        json.loads(text, object_pairs_hook=_once)
    except _KeyTwice as twice:
        return twice.key[:64]
    except (ValueError, RecursionError):
        return None
    return None

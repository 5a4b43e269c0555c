"""Cards as an attacker makes them, for tests of every layer that must refuse them."""

from __future__ import annotations


def forge(payload: str) -> str:
    head, sig = payload.rsplit(".", 1)
    return f"{head}.{'A' if sig[0] != 'A' else 'B'}{sig[1:]}"

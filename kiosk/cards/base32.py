"""The one spelling of raw bytes in cards, key ids and certificates: RFC 4648 base32,
upper-case and unpadded, so a card's QR code can use alphanumeric mode.

Shared by keys, certificates and card tokens; decoding accepts only the canonical
spelling, which is what keeps a signed card from being altered and still verifying.
"""

from __future__ import annotations

import base64
import re

BASE32 = re.compile(r"[A-Z2-7]*")


def b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def unb32(text: str) -> bytes | None:
    """Decode unpadded base32, or None unless ``text`` is the one canonical spelling.

    Canonical matters: the unused low bits of the last character would otherwise let
    several strings decode to the same signature, so a card could be altered and still
    verify.
    """
    if not BASE32.fullmatch(text):
        return None
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:  # binascii.Error: impossible length such as 1, 3 or 6 chars
        return None
    return raw if b32(raw) == text else None

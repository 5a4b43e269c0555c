"""Card numbers: 12 digits, an issuing device's prefix, a serial and a Luhn check digit.

Their own module because a number is checked where no signature is (a cashier keying a
number in by hand, a slip printing one) and has rules of its own: the prefix ties it to
the device that may issue it, the check digit catches a mistyped digit.
"""

from __future__ import annotations

import re

CARD_NUMBER_LENGTH = 12

_DIGITS = re.compile(r"[0-9]*")
_PREFIX = re.compile(r"[0-9]{4,6}")


def _luhn_check_digit(digits: str) -> str:
    """The digit that makes ``digits + check`` pass Luhn, catching any single mistyped
    digit and most swaps when a cashier keys a number in by hand."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str(-total % 10)


def check_prefix(prefix: str) -> None:
    """ValueError unless ``prefix`` is a card prefix a device may be given: 4 to 6 digits."""
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"a card prefix is 4 to 6 digits, not {prefix!r}")


def card_number(prefix: str, serial: int) -> str:
    """The 12-digit card number for ``serial`` within ``prefix``: prefix, zero-padded
    serial, Luhn check digit. ValueError if the serial does not fit."""
    check_prefix(prefix)
    width = CARD_NUMBER_LENGTH - 1 - len(prefix)
    if not 0 <= serial < 10**width:
        raise ValueError(f"serial {serial} does not fit in {width} digits after prefix {prefix}")
    body = f"{prefix}{serial:0{width}d}"
    return body + _luhn_check_digit(body)


def grouped_card_number(card_no: str) -> str:
    """A card number in groups of four, as printed on cards and slips: "2000 0000 0017"."""
    return " ".join(card_no[i:i + 4] for i in range(0, len(card_no), 4))


def is_valid_card_number(text: str) -> bool:
    """True for exactly 12 ASCII digits with a correct Luhn check digit."""
    return (
        len(text) == CARD_NUMBER_LENGTH
        and _DIGITS.fullmatch(text) is not None
        and _luhn_check_digit(text[:-1]) == text[-1]
    )

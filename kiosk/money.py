"""Money as integer minor units, parsed from and shown as exact decimals; never a float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MAX_DIGITS = 15  # no till amount has more digits before the point (and any sale limit is lower)


class AmountError(ValueError):
    """A typed amount that is not a valid sum of money in the program's currency."""


def to_minor(amount: str | Decimal | int, minor_units: int) -> int:
    """Exact conversion of a major-unit amount ("12.34") to minor units (1234).

    Refuses floats, negatives, and more decimals than the currency has: silently
    rounding a till amount would award points for money nobody paid.
    """
    if isinstance(amount, float | bool):
        raise AmountError(f"amount must be written as a decimal, not {amount!r}")
    try:
        value = Decimal(str(amount).strip()) if not isinstance(amount, Decimal) else amount
    except InvalidOperation:
        raise AmountError(f"{amount!r} is not an amount") from None
    if not value.is_finite():
        raise AmountError(f"{amount!r} is not an amount")
    # Before any arithmetic: 1e999999 is a finite Decimal whose integer has a million
    # digits, and working with it held the store's write lock for a minute.
    if value and value.adjusted() > MAX_DIGITS:
        raise AmountError(f"amount {amount} is too large")
    if value < 0:
        raise AmountError(f"amount {amount} must not be negative")
    scaled = value.scaleb(minor_units)
    if scaled != scaled.to_integral_value():
        raise AmountError(f"amount {amount} has more than {minor_units} decimal places")
    return int(scaled)


def to_major(minor: int, minor_units: int) -> Decimal:
    """Minor units back to an exact decimal in major units (1234 -> Decimal('12.34'))."""
    return Decimal(minor).scaleb(-minor_units)


def format_amount(minor: int, minor_units: int) -> str:
    """Plain fixed-point text, e.g. ``12.30`` for 1230 minor units with two decimals."""
    return f"{to_major(minor, minor_units):.{minor_units}f}"

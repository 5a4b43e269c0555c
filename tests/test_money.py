from decimal import Decimal

import pytest

from kiosk.money import AmountError, format_amount, to_minor


@pytest.mark.parametrize(("text", "minor_units", "expected"), [
    ("12.34", 2, 1234), ("12", 2, 1200), ("0.01", 2, 1), ("12.30", 2, 1230),
    ("250", 0, 250), ("250.0", 0, 250), (" 7.5 ", 1, 75), (Decimal("3.10"), 2, 310), (5, 0, 5),
])
def test_amounts_convert_exactly_to_minor_units(text, minor_units, expected):
    assert to_minor(text, minor_units) == expected


@pytest.mark.parametrize(("text", "minor_units", "why"), [
    ("12.345", 2, "decimal places"), ("12.5", 0, "decimal places"), ("-1", 2, "negative"),
    ("abc", 2, "not an amount"), ("", 2, "not an amount"), ("NaN", 2, "not an amount"),
    ("Infinity", 2, "not an amount"), (12.34, 2, "not 12.34"),
])
def test_amounts_that_are_not_money_are_refused(text, minor_units, why):
    with pytest.raises(AmountError, match=why):
        to_minor(text, minor_units)


def test_amounts_format_with_the_currency_decimals():
    assert format_amount(1230, 2) == "12.30"
    assert format_amount(250, 0) == "250"

"""Phone numbers as people type them: ``0912-345-678``, ``+886 912 345 678`` and
``(09) 1234 5678`` name one member when they are one number. Pure: the phonenumbers
library (Google's libphonenumber data) parses, with the store's region as the default for
a number typed without its country code."""

from __future__ import annotations

import unicodedata

import phonenumbers

from kiosk.members import MemberInputError, normalize_phone

REGIONS = {"TWD": "TW", "HKD": "HK", "CNY": "CN", "MOP": "MO", "SGD": "SG", "MYR": "MY"}
"""The region a number without a country code is read in, by the program's currency."""


def region_of(currency: str) -> str | None:
    return REGIONS.get(currency)


def phone_keys(text: str, region: str | None) -> tuple[str, ...]:
    """Every form a member's phone may have been stored in (as typed and cleaned, the
    international form, the national form with its trunk prefix), for this number;
    MemberInputError if it is not a phone number at all."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits from a Chinese keyboard
    keys = [normalize_phone(text)]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return tuple(keys)
    if not phonenumbers.is_possible_number(number):
        return tuple(keys)
    formats = [phonenumbers.PhoneNumberFormat.E164]
    if region is not None and phonenumbers.region_code_for_number(number) == region:
        # The national form drops the country code: only a number of the store's own
        # region may be looked for so (a Macau +853 number is not the Hong Kong member
        # whose local number has the same digits).
        formats.append(phonenumbers.PhoneNumberFormat.NATIONAL)
    for fmt in formats:
        try:
            keys.append(normalize_phone(phonenumbers.format_number(number, fmt)))
        except MemberInputError:
            continue
    return tuple(dict.fromkeys(keys))

"""Members as the counter sees them: who they are, and what may be shown of them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

MAX_NAME = 100  # characters


class MemberInputError(ValueError):
    """Enrolment details a cashier typed that can't be accepted; the message says why,
    and ``problem`` which rule (an ``InputProblem`` value, for the counter's languages)."""

    def __init__(self, message: str, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


# What a member's own store enrolled them with: the fields a member known elsewhere only
# by their card (``profile_pending``) takes once sync brings them.
PROFILE = ("name", "phone", "birthday", "enrolled_at", "channel", "referrer_id", "consent")


@dataclass(frozen=True, slots=True)
class Member:
    id: uuid.UUID
    name: str
    phone: str
    enrolled_at: datetime
    channel: str
    birthday: date | None = None
    referrer_id: uuid.UUID | None = None
    consent: bool = False
    # Known only by a card another store issued (a certified issuer's signature): no name
    # or phone here until sync brings the profile. Sales earn at the first tier meanwhile.
    profile_pending: bool = False


def normalize_phone(text: str) -> str:
    """Digits with an optional leading +, so '0912-345 678' and '0912345678' are one member."""
    cleaned = text.strip()
    plus = cleaned.startswith("+")
    digits = re.sub(r"[\s\-().]", "", cleaned.removeprefix("+"))
    if not digits.isascii() or not digits.isdigit() or not 6 <= len(digits) <= 15:
        raise MemberInputError(f"{text!r} is not a phone number (6 to 15 digits)", "phone")
    return ("+" if plus else "") + digits


def mask_phone(phone: str) -> str:
    """All but the last three digits hidden: enough for a member to recognise their number
    on a screen others can see, not enough for a bystander to copy it."""
    keep = 3
    digits_seen = 0
    out = []
    total = sum(c.isdigit() for c in phone)
    for c in phone:
        if c.isdigit():
            digits_seen += 1
            out.append(c if digits_seen > total - keep else "•")
        else:
            out.append(c)
    return "".join(out)


def clean_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise MemberInputError("a member needs a name", "name_missing")
    if len(name) > MAX_NAME:
        raise MemberInputError(f"a name is at most {MAX_NAME} characters", "name_too_long")
    return name

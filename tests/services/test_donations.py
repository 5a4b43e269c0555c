"""Donations (issue 15): a member gives points to a cause the program lists; a cause it
doesn't list, too few points, or more than the offline floor allows change nothing."""

from __future__ import annotations

import pytest

from kiosk.program import Program, parse_program
from kiosk.services import Sale, identify, ring_up_sale
from kiosk.services.donations import UnknownCause, donate
from kiosk.services.errors import InvalidInput, NotEnoughPoints, OfflineLimitReached
from tests.helpers.program import CHECKOUT, program_text


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(CHECKOUT))


def test_a_donation_takes_the_points_and_names_the_cause(kiosk, member):
    result = donate(kiosk, member.member.id, "school-meals", 30)
    assert (result.entry.points, result.entry.note, result.balance, result.authorised) == (
        -30, "cause:school-meals", 20, "offline")
    assert identify(kiosk, member.card.payload).balance == 20


@pytest.mark.parametrize(("cause", "points", "refusal"), [
    ("yacht-club", 30, UnknownCause),
    ("school-meals", 5, InvalidInput),  # below the cause's 10
    ("school-meals", 60, NotEnoughPoints),  # the member has 50
])
def test_a_refused_donation_changes_nothing(kiosk, member, cause, points, refusal):
    with pytest.raises(refusal):
        donate(kiosk, member.member.id, cause, points)
    assert identify(kiosk, member.card.payload).balance == 50


def test_offline_a_donation_is_within_the_floor_limits(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 90_000, "BIG", approved_by="Mei"))
    with pytest.raises(OfflineLimitReached):
        donate(kiosk, member.member.id, "school-meals", 700)  # 500 at once offline

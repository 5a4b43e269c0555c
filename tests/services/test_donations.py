"""Donations (issue 15): a member gives points to a cause the program lists; a cause it
doesn't list, too few points, or more than the offline floor allows change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.program import Program, parse_program
from kiosk.services import Sale, identify, redeem, ring_up_sale
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


def test_offline_donations_count_in_the_days_limit_as_redemptions_do(kiosk, member):
    """DESIGN rule 6: what a member spends offline in a store day is bounded (600 here).
    Donations were held to the bound but not counted in it: a member gave 600 points, then
    600 again, and again, and the possible overdraft was no longer bounded."""
    ring_up_sale(kiosk, Sale(member.member.id, 90_000, "BIG", approved_by="Mei"))  # 950
    donate(kiosk, member.member.id, "school-meals", 500)
    donate(kiosk, member.member.id, "school-meals", 100)  # 600: the day's limit
    with pytest.raises(OfflineLimitReached, match="offline the limit is 600 a day"):
        donate(kiosk, member.member.id, "school-meals", 10)
    with pytest.raises(OfflineLimitReached, match="offline the limit is 600 a day"):
        redeem(kiosk, member.member.id, "coffee")
    assert identify(kiosk, member.card.payload).balance == 950 - 600


def test_offline_donations_wait_for_the_ledger_as_redemptions_do(kiosk, member, program):
    """max_consecutive_redemptions (2 here) counts the donations waiting for the ledger."""
    kiosk.program = parse_program(program_text(CHECKOUT).replace(
        "max_consecutive_redemptions = 200", "max_consecutive_redemptions = 2"))
    assert kiosk.program.offline.max_consecutive_redemptions == 2
    ring_up_sale(kiosk, Sale(member.member.id, 10_000, "T-1"))  # 50 + 100
    donate(kiosk, member.member.id, "school-meals", 10)
    redeem(kiosk, member.member.id, "coffee")
    for spend in (lambda: donate(kiosk, member.member.id, "school-meals", 10),
                  lambda: redeem(kiosk, member.member.id, "coffee")):
        with pytest.raises(OfflineLimitReached, match="2 redemptions are waiting"):
            spend()
    assert identify(kiosk, member.card.payload).balance == 150 - 10 - 60


def test_a_donation_on_another_day_leaves_todays_redemptions_alone(kiosk, member, clock):
    for ref in ("BIG-1", "BIG-2"):
        ring_up_sale(kiosk, Sale(member.member.id, 90_000, ref, approved_by="Mei"))
    before = identify(kiosk, member.card.payload).balance
    donate(kiosk, member.member.id, "school-meals", 500)
    clock.now += timedelta(days=1)
    redeem(kiosk, member.member.id, "tote")  # 500 of the next day's 600
    assert identify(kiosk, member.card.payload).balance == before - 1_000

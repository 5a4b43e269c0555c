"""The points a member may give at the counter (issue 15): from the cause's minimum up to
what they can spend now, in steps of ten (or of a larger minimum), the plus stopping at
what they have."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kiosk.engine.doc import Names
from kiosk.engine.donations import MAX_DONATION, Cause
from kiosk.services import identify
from kiosk.services.donation_choice import DonationRange, available_points, donation_range
from kiosk.wallets import PointsSummary


def cause(min_points: int) -> Cause:
    names = Names.model_validate({"en": "School meals", "zh-TW": "學童營養午餐",
                                  "zh-CN": "学童营养午餐"})
    return Cause(id="school-meals", names=names, min_points=min_points)


@pytest.mark.parametrize(("min_points", "available", "expected"), [
    (10, 140, DonationRange(10, 140, 10)),
    (1, 140, DonationRange(1, 140, 10)),  # steps of ten from a minimum of one
    (25, 140, DonationRange(25, 140, 25)),  # a larger minimum is the step
    (10, 5, DonationRange(10, 5, 10)),  # too few points: nothing can be given
    (10, MAX_DONATION + 5, DonationRange(10, MAX_DONATION, 10)),
])
def test_the_range_runs_from_the_causes_minimum_to_what_the_member_has(
        min_points, available, expected):
    got = donation_range(cause(min_points), available)
    assert got == expected
    assert got.possible == (available >= min_points)


def walk(r: DonationRange, start: int, move) -> list[int]:
    seen = [start]
    while (nxt := move(seen[-1])) != seen[-1]:
        seen.append(nxt)
    return seen


@pytest.mark.parametrize(("r", "up"), [
    (DonationRange(10, 47, 10), [10, 20, 30, 40, 47]),  # the last step gives everything
    (DonationRange(1, 25, 10), [1, 10, 20, 25]),
    (DonationRange(25, 80, 25), [25, 50, 75, 80]),
    (DonationRange(10, 10, 10), [10]),
])
def test_plus_steps_up_and_stops_at_what_the_member_has(r, up):
    assert walk(r, r.low, r.up) == up
    assert walk(r, up[-1], r.down) == up[::-1]  # minus comes back the same way


def test_a_typed_amount_is_held_within_the_range():
    r = DonationRange(10, 47, 10)
    assert (r.clamp(3), r.clamp(30), r.clamp(500)) == (10, 30, 47)


def test_what_the_member_can_give_is_their_available_points(kiosk, member):
    view = identify(kiosk, member.card.payload)
    assert available_points(view) == view.balance == 50  # nothing pending
    pending = dataclasses.replace(view, points=PointsSummary(
        balance=50, available=20, pending=((date(2027, 1, 1), 30),)))
    assert available_points(pending) == 20
    assert available_points(dataclasses.replace(view, balance=-5)) == 0

"""The points a member may give another at the counter (issue 15, a family pool): from the
program's transfer minimum up to its maximum or what the giver can spend now, whichever is
less, in steps of ten (or of a larger minimum), the plus stopping there."""

from __future__ import annotations

import pytest

from kiosk.engine.transfers import TransferPolicy
from kiosk.services.transfer_choice import PointsRange, transfer_range


@pytest.mark.parametrize(("low", "high", "available", "expected"), [
    (10, 500, 140, PointsRange(10, 140, 10)),  # what the giver has
    (10, 100, 140, PointsRange(10, 100, 10)),  # the program's most for one transfer
    (1, 500, 140, PointsRange(1, 140, 10)),  # steps of ten from a minimum of one
    (25, 500, 140, PointsRange(25, 140, 25)),  # a larger minimum is the step
    (10, 500, 5, PointsRange(10, 5, 10)),  # too few points: nothing can be given
    (10, 500, 0, PointsRange(10, 0, 10)),
])
def test_a_transfer_ranges_from_the_minimum_to_the_lesser_of_the_maximum_and_the_available(
        low: int, high: int, available: int, expected: PointsRange) -> None:
    assert transfer_range(TransferPolicy(min_points=low, max_points=high), available) == expected


@pytest.mark.parametrize(("available", "possible"), [(0, False), (9, False), (10, True)])
def test_a_giver_below_the_minimum_can_give_nothing(available: int, possible: bool) -> None:
    assert transfer_range(TransferPolicy(min_points=10), available).possible is possible


def test_the_plus_stops_at_the_maximum_and_the_minus_at_the_minimum() -> None:
    r = transfer_range(TransferPolicy(min_points=10, max_points=45), 1_000)
    ups = [10]
    while ups[-1] < r.high:
        ups.append(r.up(ups[-1]))
    assert ups == [10, 20, 30, 40, 45] and r.up(45) == 45
    assert [r.down(45), r.down(40), r.down(10)] == [40, 30, 10]

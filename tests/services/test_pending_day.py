"""Pending points: the member screen and the receipt name a local day ("2026-12-04 起可用",
"100 pending until 2026-12-04"), but the points are released at the earning's time of
day, 14 x 24 hours later: on the morning of the day shown they are still pending."""
from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from kiosk.program import Program, parse_program
from kiosk.services import Enrolment, Sale, enrol, member_view, redeem, ring_up_sale
from tests.helpers.program import program_text

PENDING = '\n[points]\npending_days = 14\n'


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(PENDING))


def test_points_are_spendable_from_the_start_of_the_day_the_member_is_told(kiosk, clock,
                                                                           program):
    member = enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True)).member
    clock.now = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)  # 14:00 Taipei
    result = ring_up_sale(kiosk, Sale(member.id, 10_000, "R-1"))  # 100 points, pending
    ((day, points),) = result.points_after.pending
    assert points == 100  # the receipt: "2026-12-04 起可用 100"
    # The member comes back at 09:00 on that day, Taipei time.
    clock.now = datetime.combine(day, time(9), program.zone).astimezone(UTC)
    view = member_view(kiosk, member.id)
    assert view.points.pending == ()  # still says "100 pending until 2026-12-04"
    assert view.points.available == 150
    redeem(kiosk, member.id, "nt100-off")  # 100 points: refused now, "50 available"


def test_points_pending_until_one_day_are_one_line(kiosk, clock):
    member = enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True)).member
    clock.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 Taipei
    ring_up_sale(kiosk, Sale(member.id, 10_000, "R-1"))
    clock.now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 17:00 Taipei, same day
    result = ring_up_sale(kiosk, Sale(member.id, 5_000, "R-2"))
    # The receipt and the member screen (which shows the first two) now say
    # "Pending until 2026-12-04  100" and "Pending until 2026-12-04  50"; the expiring
    # list is by day already.
    days = [day for day, _ in result.points_after.pending]
    assert len(days) == len(set(days))
    # 100 + 75: the first sale made the member silver (x1.5) before the second.
    assert [n for _, n in member_view(kiosk, member.id).points.pending] == [175]

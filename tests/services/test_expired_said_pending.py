"""Points past their expiry instant that the ledger's expiry run has not recorded yet (it
runs now and then; a kiosk offline hears of it later): the counter no longer lets them be
spent, but tells the cashier they are "still pending"."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.program import Program, parse_program
from kiosk.services import Enrolment, Sale, enrol, redeem, ring_up_sale
from kiosk.services.errors import NotEnoughPoints
from tests.helpers.program import program_text

EXPIRY = '\n[points]\nexpiry = { after = "months", months = 1 }\n'


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(EXPIRY))


def test_expired_points_are_not_called_pending(kiosk, clock):
    clock.now = datetime(2026, 10, 1, 4, 0, tzinfo=UTC)  # 12:00 Taipei
    member = enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True)).member  # +50
    clock.now = datetime(2026, 10, 20, 4, 0, tzinfo=UTC)
    ring_up_sale(kiosk, Sale(member.id, 10_000, "R-1"))  # +100, expire after 2026-11-20
    clock.now = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)  # the 50 expired at 11-02 00:00
    with pytest.raises(NotEnoughPoints) as refused:
        redeem(kiosk, member.id, "pct10-off")  # 250 points
    # Now: "250 points needed, the member has 100 available now (the rest of 150 is still
    # pending)". Nothing is pending: 50 of them expired on 2026-11-01.
    assert "pending" not in str(refused.value)
    assert "100 available now (of 150: 50 expired)" in str(refused.value)


@pytest.mark.parametrize("program", [parse_program(program_text(
    '\n[points]\npending_days = 7\nexpiry = { after = "months", months = 1 }\n'))])
def test_pending_and_expired_points_are_told_apart(kiosk, clock, program):
    clock.now = datetime(2026, 10, 1, 4, 0, tzinfo=UTC)
    member = enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True)).member  # +50
    clock.now = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)  # the 50 expired at 11-02 00:00
    ring_up_sale(kiosk, Sale(member.id, 10_000, "R-1"))  # +100, pending until 11-09
    with pytest.raises(NotEnoughPoints) as refused:
        redeem(kiosk, member.id, "pct10-off")
    assert "0 available now (of 150: 100 still pending, 50 expired)" in str(refused.value)

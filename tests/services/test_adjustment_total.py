"""A member's adjustments at one kiosk add up, up and down alike, to at most the program's
``limits.max_adjustment_points`` a store day (Asia/Taipei here): the counter refuses the
one past it, as the ledger would on upload (tests/sync/test_authority_limits.py)."""

from __future__ import annotations

import pytest

from kiosk.ledger import EntryKind
from kiosk.services import Enrolment, enrol
from kiosk.services.manager import AdjustmentLimitReached, adjust_points


def test_a_members_adjustments_total_at_most_the_bound_a_store_day(kiosk, member, clock):
    who = member.member.id
    adjust_points(kiosk, who, 60_000, "lost receipts")
    adjust_points(kiosk, who, -30_000, "typo in the first")  # 90,000 moved so far
    adjust_points(kiosk, who, 10_000, "goodwill")  # exactly 100,000: still fine
    with pytest.raises(AdjustmentLimitReached, match=r"100000 points a day"):
        adjust_points(kiosk, who, 1, "one more")
    with kiosk.store.read() as tx:
        adjusted = [e.points for e in tx.entries.of_member(who) if e.kind is EntryKind.ADJUST]
    assert adjusted == [60_000, -30_000, 10_000]  # nothing written for the refused one
    clock.now = clock.now.replace(hour=15, minute=59)  # 23:59 in Taipei: the same day
    with pytest.raises(AdjustmentLimitReached):
        adjust_points(kiosk, who, 1, "still today")
    other = enrol(kiosk, Enrolment("林志明", "0922-111-222", consent=True)).member.id
    assert adjust_points(kiosk, other, -100_000, "another member's own bound").entry
    clock.advance(minutes=1)  # midnight in Taipei (16:00 UTC): a new store day
    assert adjust_points(kiosk, who, 100_000, "a new day").entry.points == 100_000


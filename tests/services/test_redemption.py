"""Redeeming rewards while the kiosk works offline (DESIGN rule 6)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.services import Sale, identify, redeem, ring_up_sale
from kiosk.services.errors import NotEnoughPoints, OfflineLimitReached, UnknownReward
from kiosk.services.redemption import store_day_start


def top_up(kiosk, member, amount):
    ring_up_sale(kiosk, Sale(member.member.id, amount, approved_by="Mei"))


def test_redeeming_takes_the_rewards_cost_and_says_it_was_offline(kiosk, member):
    top_up(kiosk, member, 2000)  # 50 + 20 points
    result = redeem(kiosk, member.member.id, "coffee")
    assert (result.balance, result.entry.points, result.authorised) == (10, -60, "offline")
    assert identify(kiosk, member.card.payload).balance == 10


def test_too_few_points_is_refused_and_nothing_changes(kiosk, member):
    with pytest.raises(NotEnoughPoints, match="100 points needed, the member has 50"):
        redeem(kiosk, member.member.id, "nt100-off")
    assert identify(kiosk, member.card.payload).balance == 50


def test_an_unknown_reward_is_refused(kiosk, member):
    with pytest.raises(UnknownReward):
        redeem(kiosk, member.member.id, "yacht")


def test_the_daily_offline_limit_per_member_applies_in_the_stores_day(kiosk, member, clock):
    top_up(kiosk, member, 200_000)  # plenty of points
    redeem(kiosk, member.member.id, "tote")  # 500 of the 600 a day
    with pytest.raises(OfflineLimitReached, match="redeemed 500 points here today"):
        redeem(kiosk, member.member.id, "pct10-off")
    redeem(kiosk, member.member.id, "coffee")  # 560, still within 600
    # 03:00 UTC is 11:00 in Taipei; at 16:00 UTC (midnight in Taipei) a new day starts.
    clock.now = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    redeem(kiosk, member.member.id, "tote")


def test_a_redemption_dated_ahead_by_a_wrong_clock_counts_on_its_own_day_only(kiosk, member,
                                                                             clock):
    """A clock two years ahead dated a redemption there; once the clock is right again the
    member's daily limit is the limit of today, not spent until that date comes."""
    top_up(kiosk, member, 200_000)
    right = clock.now
    clock.now = right.replace(year=right.year + 2)
    redeem(kiosk, member.member.id, "tote")  # 500 of 600, dated two years ahead
    clock.now = right
    redeem(kiosk, member.member.id, "tote")  # today's own 500


def test_a_reward_above_the_offline_per_redemption_limit_is_refused(kiosk, member, tmp_path):
    from kiosk.program import parse_program
    from tests.helpers.program import PLAIN_PROGRAM

    text = PLAIN_PROGRAM.read_text().replace("max_points_per_redemption = 500",
                                                "max_points_per_redemption = 400")
    kiosk.program = parse_program(text)
    top_up(kiosk, member, 100_000)
    with pytest.raises(OfflineLimitReached, match="more than the 400"):
        redeem(kiosk, member.member.id, "tote")


def test_consecutive_offline_redemptions_are_bounded_until_sync(kiosk, member):
    from kiosk.program import parse_program
    from tests.helpers.program import PLAIN_PROGRAM

    text = PLAIN_PROGRAM.read_text().replace("max_consecutive_redemptions = 200",
                                                "max_consecutive_redemptions = 2")
    kiosk.program = parse_program(text)
    top_up(kiosk, member, 100_000)
    redeem(kiosk, member.member.id, "coffee")
    redeem(kiosk, member.member.id, "coffee")
    with pytest.raises(OfflineLimitReached, match="2 redemptions are waiting"):
        redeem(kiosk, member.member.id, "coffee")


@pytest.mark.parametrize(("utc", "local_midnight_utc"), [
    (datetime(2026, 11, 20, 3, 0, tzinfo=UTC), datetime(2026, 11, 19, 16, 0, tzinfo=UTC)),
    (datetime(2026, 11, 20, 15, 59, tzinfo=UTC), datetime(2026, 11, 19, 16, 0, tzinfo=UTC)),
    (datetime(2026, 11, 20, 16, 0, tzinfo=UTC), datetime(2026, 11, 20, 16, 0, tzinfo=UTC)),
])
def test_store_day_starts_at_local_midnight(program, utc, local_midnight_utc):
    assert store_day_start(program, utc) == local_midnight_utc

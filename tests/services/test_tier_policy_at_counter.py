"""The program's tier policy at the counter (issue 14, point 9): a tier reached last year
holds this year under a calendar year with ``retain``, a tier by points earned, and the
member view says until when the tier holds and what keeps it. Today's rule (the rolling
window's spend) is the rest of the service tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kiosk.program import ProgramError, parse_program
from kiosk.services import Sale, identify, member_view, refund_order, ring_up_sale
from kiosk.tiers import tier_history_start
from tests.helpers.program import PLAIN_PROGRAM

CALENDAR_RETAIN = '''
[tier_policy]
period = "calendar_year"
retain = true
'''
POINTS = '''
[tier_policy]
basis = "points"
'''
MIN_POINTS = {"bronze": 0, "silver": 100, "gold": 300}


def plain_with(extra: str, *, min_points: bool = False):
    text = PLAIN_PROGRAM.read_text(encoding="utf-8")
    if min_points:
        for tier, points in MIN_POINTS.items():
            text = text.replace(f'id = "{tier}"\n', f'id = "{tier}"\nmin_points = {points}\n', 1)
    return parse_program(text + extra)


@pytest.fixture
def program(request):
    return getattr(request, "param", None) or plain_with(CALENDAR_RETAIN)


def taipei(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # noon UTC is 20:00 in Taipei: the same local day


def test_gold_reached_last_year_is_gold_this_year_and_earns_at_golds_multiplier(
        kiosk, member, clock):
    clock.now = taipei(2026, 6, 1, 4)
    assert ring_up_sale(kiosk, Sale(member.member.id, 30000, "LAST-YEAR")).tier.id == "bronze"
    clock.now = taipei(2027, 7, 1, 4)  # past the rolling 365 days that today's rule counts
    result = ring_up_sale(kiosk, Sale(member.member.id, 1000, "THIS-YEAR"))
    assert (result.tier.id, result.points) == ("gold", 20)  # 10 points at 2x
    progress = identify(kiosk, member.card.payload).progress
    assert (progress.tier.id, progress.holds_until, progress.keep_needed) == (
        "gold", date(2027, 12, 31), 29000)
    clock.now = taipei(2028, 1, 2, 4)  # one step down a year: silver through 2028
    assert member_view(kiosk, member.member.id).progress.tier.id == "silver"


def test_a_tier_reached_this_year_holds_through_next_year_and_needs_nothing_more(
        kiosk, member, clock):
    clock.now = taipei(2027, 3, 1, 4)
    ring_up_sale(kiosk, Sale(member.member.id, 12000))
    progress = member_view(kiosk, member.member.id).progress
    assert (progress.tier.id, progress.holds_until, progress.keep_needed,
            progress.remaining_minor) == ("silver", date(2028, 12, 31), 0, 18000)


def test_a_refunded_purchase_never_reached_the_tier(kiosk, member, clock):
    clock.now = taipei(2026, 6, 1, 4)
    ring_up_sale(kiosk, Sale(member.member.id, 30000, "BIG"))
    clock.advance(days=3)
    refund_order(kiosk, "BIG")
    clock.now = taipei(2027, 2, 1, 4)
    assert ring_up_sale(kiosk, Sale(member.member.id, 1000)).tier.id == "bronze"


@pytest.mark.parametrize("program", [plain_with(POINTS, min_points=True)], indirect=True)
def test_tiers_by_points_earned_count_purchases_not_the_signup_bonus(kiosk, member, clock):
    # The sign-up bonus's 50 points don't count; NT$10,000 earns 100: silver next sale.
    progress = member_view(kiosk, member.member.id).progress
    assert (progress.tier.id, progress.basis, progress.remaining_minor) == ("bronze", "points",
                                                                            100)
    ring_up_sale(kiosk, Sale(member.member.id, 10000, "P-1"))
    result = ring_up_sale(kiosk, Sale(member.member.id, 1000, "P-2"))
    assert (result.tier.id, result.points) == ("silver", 15)
    progress = member_view(kiosk, member.member.id).progress
    assert (progress.tier.id, progress.spend_minor, progress.remaining_minor) == (
        "silver", 115, 185)
    refund_order(kiosk, "P-1")
    assert member_view(kiosk, member.member.id).progress.tier.id == "bronze"


@pytest.mark.parametrize("program", [plain_with("")], indirect=True)
def test_the_default_policy_keeps_todays_rule_and_says_no_date(kiosk, member, clock, program):
    assert program.tier_by_window_spend
    ring_up_sale(kiosk, Sale(member.member.id, 30000))
    progress = member_view(kiosk, member.member.id).progress
    assert (progress.tier.id, progress.holds_until, progress.keep_needed) == ("gold", None, 0)
    clock.advance(days=366)
    assert member_view(kiosk, member.member.id).progress.tier.id == "bronze"


@pytest.mark.parametrize(("extra", "message"), [
    (POINTS, 'tiers[0].min_points: needed when tier_policy.basis is "points"'),
    ("[tier_policy]\nwindow_days = 30\n", "tier_policy.window_days: 30 is not tier_window_days"),
])
def test_a_tier_policy_the_tiers_cannot_follow_is_refused_with_the_field_named(extra, message):
    with pytest.raises(ProgramError, match=message.replace("[", r"\[").replace(".", r"\.")):
        plain_with(extra)


@pytest.mark.parametrize(("extra", "start"), [
    ("", datetime(2026, 6, 1, 4, tzinfo=UTC) - (datetime(2026, 6, 1) - datetime(2025, 6, 1))),
    (CALENDAR_RETAIN, datetime(2022, 12, 31, 16, tzinfo=UTC)),  # Jan 1 2023 in Taipei
    ("[tier_policy]\nperiod = \"calendar_year\"\n", datetime(2025, 12, 31, 16, tzinfo=UTC)),
    ("[tier_policy]\nretain = true\n",  # two steps down, a window each, and one to spare
     datetime(2026, 6, 1, 4, tzinfo=UTC) - 4 * (datetime(2026, 6, 1) - datetime(2025, 6, 1))),
])
def test_the_history_a_policy_reads_goes_back_one_period_per_step_down_and_one_more(extra,
                                                                                  start):
    assert tier_history_start(plain_with(extra), datetime(2026, 6, 1, 4, tzinfo=UTC)) == start

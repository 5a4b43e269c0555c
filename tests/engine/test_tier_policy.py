"""Tiers that last: what the member screen says about a member's tier ("Gold until
2027-12-31; spend NT$4,000 more this year to keep it"), replayed from purchases alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.engine.tier_policy import (
    Event,
    TierPolicy,
    TierStatus,
    parse_tier_policy,
    tier_index,
    tier_status,
)

TAIPEI = ZoneInfo("Asia/Taipei")
TIERS = (0, 10000, 30000)  # bronze, silver (NT$100), gold (NT$300), in minor units
BRONZE, SILVER, GOLD = 0, 1, 2

TODAY = TierPolicy()  # rolling 365 days, up and down at once
YEARLY = TierPolicy(period="calendar_year", retain=True)
ROLLING = TierPolicy(retain=True)
POINTS = TierPolicy(basis="points", period="calendar_year", retain=True)


def tw(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A Taipei wall-clock time, as the UTC instant the ledger stores."""
    return datetime(year, month, day, hour, minute, tzinfo=TAIPEI).astimezone(UTC)


def status(index: int, qualified: int, holds_until: date | None = None, keep: int = 0,
           tiers: tuple[int, ...] = TIERS) -> TierStatus:
    top = index + 1 >= len(tiers)
    return TierStatus(index, qualified, holds_until, keep, None if top else index + 1,
                      0 if top else tiers[index + 1] - qualified)


GOLD_2026 = [(tw(2026, 3, 1), 12000), (tw(2026, 6, 1), 20000)]
SILVER_2026 = [(tw(2026, 3, 1), 12000)]
END_2026, END_2027, END_2028 = date(2026, 12, 31), date(2027, 12, 31), date(2028, 12, 31)
YEAR = timedelta(days=365)

CASES: list[Any] = [
    # -- retain = False is today's rule: the highest tier the last 365 days reach ---------
    pytest.param(TODAY, [], tw(2026, 6, 1), status(BRONZE, 0), id="today-new-member"),
    pytest.param(TODAY, SILVER_2026, tw(2026, 6, 1), status(SILVER, 12000),
                 id="today-silver-18000-to-gold"),
    pytest.param(TODAY, GOLD_2026, tw(2026, 6, 1), status(GOLD, 32000), id="today-gold"),
    pytest.param(TODAY, GOLD_2026, tw(2027, 3, 2), status(SILVER, 20000),
                 id="today-drops-as-spend-leaves-the-window"),
    pytest.param(TODAY, GOLD_2026, tw(2027, 6, 2), status(BRONZE, 0),
                 id="today-drops-two-steps-at-once"),
    pytest.param(TODAY, SILVER_2026, tw(2026, 3, 1) + YEAR, status(SILVER, 12000),
                 id="today-window-includes-its-first-instant"),
    pytest.param(TODAY, SILVER_2026, tw(2026, 3, 1) + YEAR + timedelta(microseconds=1),
                 status(BRONZE, 0), id="today-window-then-excludes-it"),
    pytest.param(TODAY, [(tw(2026, 3, 1), 35000), (tw(2026, 3, 9), -10000)],
                 tw(2026, 4, 1), status(SILVER, 25000), id="today-refund-lowers-the-tier"),
    pytest.param(TODAY, [(tw(2026, 3, 1), 40000)], tw(2026, 2, 1), status(BRONZE, 0),
                 id="today-a-later-purchase-is-not-known-yet"),
    # -- calendar year, retained -------------------------------------------------------------
    pytest.param(YEARLY, GOLD_2026, tw(2026, 4, 1), status(SILVER, 12000, END_2027),
                 id="year-silver-at-once"),
    pytest.param(YEARLY, GOLD_2026, tw(2026, 6, 1, 13), status(GOLD, 32000, END_2027),
                 id="year-gold-at-once-mid-year"),
    pytest.param(YEARLY, GOLD_2026, tw(2027, 12, 31, 23, 59),
                 status(GOLD, 0, END_2027, keep=30000), id="year-kept-through-next-year"),
    pytest.param(YEARLY, GOLD_2026, tw(2028, 1, 1, 0, 30),
                 status(SILVER, 0, END_2028, keep=10000), id="year-gold-down-to-silver"),
    pytest.param(YEARLY, GOLD_2026, tw(2029, 1, 1, 0, 30), status(BRONZE, 0),
                 id="year-silver-down-to-bronze-a-year-later"),
    pytest.param(YEARLY, [*GOLD_2026, (tw(2027, 11, 1), 26000)], tw(2027, 11, 2),
                 status(GOLD, 26000, END_2027, keep=4000), id="year-4000-more-to-keep-gold"),
    pytest.param(YEARLY, [*GOLD_2026, (tw(2027, 9, 1), 30000)], tw(2027, 10, 1),
                 status(GOLD, 30000, END_2028), id="year-gold-earned-again-is-kept"),
    pytest.param(YEARLY, [*GOLD_2026, (tw(2027, 9, 1), 30000)], tw(2028, 12, 31, 20),
                 status(GOLD, 0, END_2028, keep=30000), id="year-requalified-gold-in-2028"),
    pytest.param(YEARLY, [*GOLD_2026, (tw(2027, 9, 1), 12000)], tw(2028, 3, 1),
                 status(SILVER, 0, END_2028, keep=10000), id="year-silver-spend-keeps-silver"),
    pytest.param(YEARLY, [(tw(2025, 5, 1), 12000), *GOLD_2026], tw(2027, 1, 1, 0, 0),
                 status(GOLD, 0, END_2027, keep=30000), id="year-silver-then-gold"),
    # -- the year is Taipei's ------------------------------------------------------------------
    pytest.param(YEARLY, [(datetime(2026, 12, 31, 20, tzinfo=UTC), 12000)],
                 datetime(2026, 12, 31, 21, tzinfo=UTC), status(SILVER, 12000, END_2028),
                 id="taipei-2026-12-31T20Z-is-2027"),
    pytest.param(YEARLY, [(datetime(2026, 12, 31, 15, 59, tzinfo=UTC), 12000)],
                 datetime(2026, 12, 31, 16, tzinfo=UTC),
                 status(SILVER, 0, END_2027, keep=10000), id="taipei-23-59-is-still-2026"),
    pytest.param(TierPolicy(period="calendar_year"),
                 [(datetime(2026, 12, 31, 15, 59, tzinfo=UTC), 12000)],
                 datetime(2026, 12, 31, 16, tzinfo=UTC), status(BRONZE, 0),
                 id="taipei-new-year-without-retain-starts-over"),
    # -- refunds -------------------------------------------------------------------------------
    pytest.param(YEARLY, [*GOLD_2026, (tw(2026, 6, 5), -5000)], tw(2026, 7, 1),
                 status(SILVER, 27000, END_2027), id="refund-takes-back-gold-same-year"),
    pytest.param(YEARLY, [(tw(2025, 5, 1), 12000), (tw(2026, 5, 1), 30000),
                          (tw(2026, 5, 3), -30000)], tw(2026, 7, 1),
                 status(SILVER, 0, END_2026, keep=10000), id="refund-never-below-the-kept-tier"),
    pytest.param(YEARLY, [*GOLD_2026, (tw(2027, 1, 10), -5000)], tw(2027, 2, 1),
                 status(SILVER, 0, END_2027, keep=10000),
                 id="refund-in-january-takes-back-last-years-gold"),
    pytest.param(YEARLY, GOLD_2026, tw(2027, 1, 5), status(GOLD, 0, END_2027, keep=30000),
                 id="refund-in-january-not-yet-made"),
    # -- points basis: the same rules, thresholds in points -----------------------------------
    pytest.param(POINTS, [(tw(2026, 2, 1), 300), (tw(2026, 8, 1), 250)], tw(2026, 9, 1),
                 status(1, 550, END_2027, tiers=(0, 500, 2000)), id="points-silver"),
    pytest.param(POINTS, [(tw(2026, 2, 1), 2000)], tw(2028, 2, 1),
                 status(1, 0, END_2028, keep=500, tiers=(0, 500, 2000)),
                 id="points-gold-steps-down"),
    # -- rolling, retained: held a window after the window last qualified ---------------------
    pytest.param(ROLLING, SILVER_2026, tw(2027, 2, 1), status(SILVER, 12000, date(2028, 2, 28)),
                 id="rolling-window-still-qualifies"),
    pytest.param(ROLLING, SILVER_2026, tw(2027, 6, 1),
                 status(SILVER, 0, date(2028, 2, 28), keep=10000), id="rolling-kept-a-window"),
    pytest.param(ROLLING, SILVER_2026, tw(2028, 3, 1), status(BRONZE, 0),
                 id="rolling-then-dropped"),
    pytest.param(ROLLING, [(tw(2026, 3, 1), 30000)], tw(2027, 3, 1, 13),
                 status(GOLD, 0, date(2028, 2, 28), keep=30000), id="rolling-gold-kept"),
    pytest.param(ROLLING, [(tw(2026, 3, 1), 30000)], tw(2028, 3, 1),
                 status(SILVER, 0, date(2029, 2, 27), keep=10000),
                 id="rolling-gold-down-one-step"),
    pytest.param(ROLLING, [(tw(2026, 3, 1), 30000), (tw(2026, 3, 3), -30000)], tw(2026, 4, 1),
                 status(BRONZE, 0), id="rolling-refunded-gold-was-never-reached"),
]


@pytest.mark.parametrize(("policy", "events", "at", "expected"), CASES)
def test_status(policy: TierPolicy, events: list[Event], at: datetime,
                expected: TierStatus) -> None:
    tiers = (0, 500, 2000) if policy.basis == "points" else TIERS
    assert tier_status(policy, tiers, events, at, TAIPEI) == expected


def test_the_order_events_are_given_in_does_not_matter() -> None:
    events = [*GOLD_2026, (tw(2027, 1, 10), -5000)]
    at = tw(2027, 2, 1)
    assert (tier_status(YEARLY, TIERS, reversed(events), at, TAIPEI)
            == tier_status(YEARLY, TIERS, events, at, TAIPEI))


@pytest.mark.parametrize(("raw", "message"), [
    ({"window_days": 0}, "tier_policy.window_days: must be 1 to 3650"),
    ({"window_days": 3651}, "tier_policy.window_days: must be 1 to 3650"),
    ({"period": "calendar_year", "window_days": 30},
     'tier_policy.window_days: only for period "rolling"'),
    ({"period": "monthly"}, "tier_policy.period: Input should be 'rolling' or"),
    ({"basis": "visits"}, "tier_policy.basis: Input should be 'spend' or 'points'"),
    ({"retain": "yes"}, "tier_policy.retain: Input should be a valid boolean"),
    ({"retian": True}, "tier_policy.retian: Extra inputs are not permitted"),
])
def test_a_bad_section_names_the_field(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_tier_policy(raw)


def test_the_default_section_is_todays_rule() -> None:
    assert parse_tier_policy({}) == TierPolicy(basis="spend", period="rolling",
                                               window_days=365, retain=False)
    assert parse_tier_policy({"window_days": 90, "retain": True}).window_days == 90


@pytest.mark.parametrize("tiers", [(), (100, 200), (0, 100, 100), (0, 300, 200)])
def test_thresholds_must_start_at_zero_and_rise(tiers: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="thresholds"):
        tier_status(TODAY, tiers, [], tw(2026, 1, 1), TAIPEI)


def test_times_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        tier_status(TODAY, TIERS, [(datetime(2026, 1, 1), 100)], tw(2026, 2, 1), TAIPEI)
    with pytest.raises(ValueError, match="timezone-aware"):
        tier_status(TODAY, TIERS, [], datetime(2026, 1, 1), TAIPEI)


# -- properties -------------------------------------------------------------------------------

START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=5 * 366)

instants = st.timedeltas(timedelta(0), SPAN).map(lambda d: START + d)
purchases = st.lists(st.tuples(instants, st.integers(0, 40000)), max_size=12)
with_refunds = st.lists(st.tuples(instants, st.integers(-40000, 40000)), max_size=12)
thresholds = st.lists(st.integers(1, 60000), max_size=4, unique=True).map(
    lambda xs: (0, *sorted(xs)))
policies = st.builds(
    TierPolicy, basis=st.sampled_from(["spend", "points"]),
    period=st.sampled_from(["rolling", "calendar_year"]), retain=st.booleans(),
).flatmap(lambda p: st.just(p) if p.period == "calendar_year" else st.builds(
    TierPolicy, basis=st.just(p.basis), retain=st.just(p.retain),
    window_days=st.integers(1, 500)))
retained = policies.map(lambda p: p.model_copy(update={"retain": True}))


def window_sum(policy: TierPolicy, events: list[Event], at: datetime) -> int:
    if policy.period == "calendar_year":
        year = at.astimezone(TAIPEI).year
        return sum(a for t, a in events if t <= at and t.astimezone(TAIPEI).year == year)
    start = at - timedelta(days=policy.window_days)
    return sum(a for t, a in events if start <= t <= at)


@given(policies, thresholds, with_refunds, instants)
@settings(max_examples=200)
def test_the_status_is_consistent(policy: TierPolicy, tiers: tuple[int, ...],
                                  events: list[Event], at: datetime) -> None:
    got = tier_status(policy, tiers, events, at, TAIPEI)
    assert 0 <= got.index < len(tiers)
    assert got.index >= tier_index(tiers, got.qualified)  # never below what counts now
    if got.next_index is None:
        assert got.index == len(tiers) - 1 and got.next_needed == 0
    else:
        assert got.next_index == got.index + 1
        assert got.next_needed == tiers[got.next_index] - got.qualified > 0
    if got.index == 0 or not policy.retain:
        assert got.holds_until is None and got.keep_needed == 0
    else:
        assert got.holds_until is not None and got.holds_until >= at.astimezone(TAIPEI).date()


@given(policies.map(lambda p: p.model_copy(update={"retain": False})), thresholds,
       with_refunds, instants)
@settings(max_examples=200)
def test_without_retain_the_tier_is_what_the_period_reaches(
        policy: TierPolicy, tiers: tuple[int, ...], events: list[Event], at: datetime
) -> None:
    got = tier_status(policy, tiers, events, at, TAIPEI)
    reached = window_sum(policy, events, at)
    assert got.qualified == reached
    assert got.index == max(i for i, t in enumerate(tiers) if t <= max(reached, 0))


@given(retained, thresholds, with_refunds, instants)
@settings(max_examples=200)
def test_retaining_never_gives_a_lower_tier(policy: TierPolicy, tiers: tuple[int, ...],
                                            events: list[Event], at: datetime) -> None:
    plain = policy.model_copy(update={"retain": False})
    assert (tier_status(policy, tiers, events, at, TAIPEI).index
            >= tier_status(plain, tiers, events, at, TAIPEI).index)


@given(retained, thresholds, purchases, st.lists(instants, min_size=2, max_size=12))
@settings(max_examples=150)
def test_with_retain_the_tier_steps_down_one_at_a_time(
        policy: TierPolicy, tiers: tuple[int, ...], events: list[Event],
        times: list[datetime]) -> None:
    times.sort()
    seen = [(t, tier_status(policy, tiers, events, t, TAIPEI).index) for t in times]
    for (t1, i1), (t2, i2) in pairwise(seen):
        if policy.period == "calendar_year":
            y1, y2 = t1.astimezone(TAIPEI).year, t2.astimezone(TAIPEI).year
            if y1 == y2:
                assert i2 >= i1  # never drops during a year
            elif y2 == y1 + 1:
                assert i2 >= i1 - 1  # at most one step at the new year
        elif t2 - t1 <= timedelta(days=policy.window_days):
            assert i2 >= i1 - 1  # each step down is held for a whole window


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(),
                            tzinfo=TAIPEI).astimezone(UTC) - timedelta(microseconds=1)


@given(retained, thresholds, purchases, instants)
@settings(max_examples=150)
def test_holds_until_is_what_happens(policy: TierPolicy, tiers: tuple[int, ...],
                                     events: list[Event], at: datetime) -> None:
    """The tier is there through the last moment of holds_until, and one step lower by
    the end of the day after (with nothing more earned)."""
    events = [(t, a) for t, a in events if t <= at]
    now = tier_status(policy, tiers, events, at, TAIPEI)
    if now.holds_until is None:
        return
    last = tier_status(policy, tiers, events, end_of(now.holds_until), TAIPEI)
    after = tier_status(policy, tiers, events, end_of(now.holds_until + timedelta(days=1)),
                        TAIPEI)
    assert last.index >= now.index
    assert after.index == now.index - 1


@given(retained, thresholds, purchases, instants)
@settings(max_examples=150)
def test_earning_what_the_screen_says_is_enough(
        policy: TierPolicy, tiers: tuple[int, ...], events: list[Event], at: datetime) -> None:
    """"NT$2,000 more for Gold": 2,000 more now makes Gold, 1,999 does not; "spend 4,000
    more to keep it": 4,000 keeps it past holds_until, 3,999 does not."""
    earlier = [(t - timedelta(days=SPAN.days + 1), a) for t, a in events]  # all before at
    now = tier_status(policy, tiers, earlier, at, TAIPEI)

    def plus(amount: int) -> TierStatus:
        return tier_status(policy, tiers, [*earlier, (at, amount)], at, TAIPEI)

    if now.next_index is not None:
        assert plus(now.next_needed).index >= now.next_index
        assert plus(now.next_needed - 1).index == now.index
    if now.keep_needed:
        assert now.holds_until is not None
        kept = plus(now.keep_needed).holds_until
        assert kept is not None and kept > now.holds_until
        assert plus(now.keep_needed - 1).holds_until == now.holds_until


@given(thresholds, purchases, st.randoms(use_true_random=False))
@settings(max_examples=100)
def test_when_in_the_year_one_spends_does_not_matter_after_it(
        tiers: tuple[int, ...], events: list[Event], rnd: Any) -> None:
    """Calendar year: a year is judged by its total, so moving purchases within their
    year changes nothing once the year is over."""
    def moved(t: datetime) -> datetime:
        year = t.astimezone(TAIPEI).year
        start = datetime(year, 1, 1, tzinfo=TAIPEI).astimezone(UTC)
        return start + timedelta(seconds=rnd.randrange(365 * 86400))

    at = datetime(2030, 6, 1, tzinfo=UTC)  # every year is over (2028-12-31 UTC is 2029 in Taipei)
    assert (tier_status(YEARLY, tiers, [(moved(t), a) for t, a in events], at, TAIPEI)
            == tier_status(YEARLY, tiers, events, at, TAIPEI))

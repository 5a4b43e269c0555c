"""Lots: what a member sees at the counter (balance, spendable now, pending, expiring) and
what expiry takes, from the movements alone."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.engine.lots import Movement, Wallet, expiry_due, movement, replay
from kiosk.engine.orders import derived_id
from kiosk.engine.points_policy import (
    ExpireAfterMonths,
    ExpireEndOfNextYear,
    PointsPolicy,
    lot_dates,
    parse_points,
)
from kiosk.ledger import Entry, EntryKind

TAIPEI = ZoneInfo("Asia/Taipei")
MEMBER = uuid.UUID("00000000-0000-4000-8000-00000000000a")
T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)  # 10:00 in Taipei
K = EntryKind


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def mid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def earn(n: int, points: int, at: datetime, *, available: datetime | None = None,
         expires: datetime | None = None, kind: EntryKind = K.EARN) -> Movement:
    return Movement(mid(n), kind, points, at, available, expires)


def spend(n: int, points: int, at: datetime, kind: EntryKind = K.REDEEM) -> Movement:
    return Movement(mid(n), kind, -points, at)


def reverse(n: int, of: Movement, at: datetime) -> Movement:
    return Movement(mid(n), K.REVERSE, -of.points, at, reverses=of.id)


def expire_all(wallet: Wallet, at: datetime) -> list[Movement]:
    return [Movement(d.id, K.EXPIRE, d.award.points, d.at, lot=d.lot)
            for d in expiry_due(wallet, MEMBER, at, TAIPEI)]


def lefts(wallet: Wallet) -> dict[int, int]:
    return {lot.id.int: lot.left for lot in wallet.lots}


# -- the dates ----------------------------------------------------------------------------

MONTHS_12 = PointsPolicy(expiry=ExpireAfterMonths(after="months", months=12))
NEXT_YEAR = PointsPolicy(expiry=ExpireEndOfNextYear(after="end_of_next_year"))


def months(n: int, pending: int = 0) -> PointsPolicy:
    return PointsPolicy(pending_days=pending, expiry=ExpireAfterMonths(after="months",
                                                                       months=n))


@pytest.mark.parametrize(("policy", "earned_at", "available_at", "expires_at"), [
    # Today's behaviour: spendable at once, never expires.
    (PointsPolicy(), T0, T0, None),
    # Pending 7 days from 2026-03-05 10:00 Taipei: from the start of 03-12 there.
    (PointsPolicy(pending_days=7), T0, utc(2026, 3, 11, 16), None),
    # Earned 2026-03-05 in Taipei: usable through 2027-12-31 there.
    (NEXT_YEAR, T0, T0, utc(2027, 12, 31, 16)),
    # 23:59 on Dec 31 in Taipei is still 2026 there; 00:30 on Jan 1 is 2027.
    (NEXT_YEAR, utc(2026, 12, 31, 15, 59), utc(2026, 12, 31, 15, 59), utc(2027, 12, 31, 16)),
    (NEXT_YEAR, utc(2026, 12, 31, 16, 30), utc(2026, 12, 31, 16, 30), utc(2028, 12, 31, 16)),
    # Jan 31 + 1 month is the end of February (28 days, or 29 in a leap year).
    (months(1), utc(2026, 1, 31, 2), utc(2026, 1, 31, 2), utc(2026, 2, 28, 16)),
    (months(1), utc(2028, 1, 31, 2), utc(2028, 1, 31, 2), utc(2028, 2, 29, 16)),
    # 20:00 UTC on Mar 31 is already Apr 1 in Taipei: usable through 2027-04-01 there.
    (MONTHS_12, utc(2026, 3, 31, 20), utc(2026, 3, 31, 20), utc(2027, 4, 1, 16)),
    (MONTHS_12, utc(2026, 3, 31, 15, 59), utc(2026, 3, 31, 15, 59), utc(2027, 3, 31, 16)),
    (months(3, pending=14), utc(2026, 11, 30, 23, 30), utc(2026, 12, 14, 16),
     utc(2027, 3, 1, 16)),
])
def test_lot_dates_are_the_days_a_person_means_in_the_store_zone(
        policy: PointsPolicy, earned_at: datetime, available_at: datetime,
        expires_at: datetime | None) -> None:
    got = lot_dates(policy, earned_at, TAIPEI)
    assert got == (available_at, expires_at)
    assert all(d is None or d.utcoffset() == timedelta(0) for d in got)


# -- pending points -----------------------------------------------------------------------

RELEASED = utc(2026, 3, 11, 16)  # 7 days after T0's local day, at its start (Taipei)


@pytest.mark.parametrize(("after", "available", "pending"), [
    (timedelta(0), 50, [(RELEASED, 100)]),
    (RELEASED - T0 - timedelta(seconds=1), 50, [(RELEASED, 100)]),
    (RELEASED - T0, 150, []),
    (timedelta(days=30), 150, []),
])
def test_pending_points_are_released_after_the_return_window(
        after: timedelta, available: int, pending: list[tuple[datetime, int]]) -> None:
    policy = PointsPolicy(pending_days=7)
    old = earn(1, 50, T0 - timedelta(days=30))
    new = movement(Entry(id=mid(2), member_id=MEMBER, kind=K.EARN, points=100, channel="k1",
                         occurred_at=T0, program_version="v1"), policy, TAIPEI)
    wallet = replay([old, new])
    assert wallet.balance == 150  # the balance counts pending points; spending doesn't
    assert wallet.available(T0 + after) == available
    assert wallet.pending(T0 + after) == pending


# -- spending in expiry order ---------------------------------------------------------------

@pytest.mark.parametrize(("redeem", "left"), [
    (50, {1: 100, 2: 30, 3: 40}),  # the lot expiring first (2) pays
    (80, {1: 100, 2: 0, 3: 40}),
    (100, {1: 100, 2: 0, 3: 20}),  # then the one expiring next
    (130, {1: 90, 2: 0, 3: 0}),  # the never-expiring lot last
])
def test_spending_takes_the_points_that_expire_first(redeem: int,
                                                     left: dict[int, int]) -> None:
    movements = [
        earn(1, 100, T0, kind=K.ADJUST),  # never expires
        earn(2, 80, T0 + timedelta(days=1), expires=utc(2026, 6, 1)),
        earn(3, 40, T0 + timedelta(days=2), expires=utc(2026, 9, 1)),
        spend(4, redeem, T0 + timedelta(days=3)),
    ]
    wallet = replay(movements)
    assert lefts(wallet) == left
    assert wallet.balance == 220 - redeem


def test_spending_never_takes_points_not_yet_spendable_while_others_are() -> None:
    wallet = replay([earn(1, 100, T0, available=T0 + timedelta(days=7),
                          expires=utc(2026, 4, 1)),
                     earn(2, 100, T0 - timedelta(days=10), expires=utc(2027, 1, 1)),
                     spend(3, 60, T0 + timedelta(days=1))])
    assert lefts(wallet) == {1: 100, 2: 40}


# -- expiry ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("redeemed", "expired", "balance_after"), [
    (0, 100, 50),
    (30, 70, 50),  # a partly spent lot: only the rest expires
    (100, None, 50),  # a fully spent lot: nothing to expire
])
def test_expiry_takes_only_what_is_left_of_the_lot(redeemed: int, expired: int | None,
                                                    balance_after: int) -> None:
    lot = earn(1, 100, T0, expires=utc(2027, 3, 31, 16))
    movements = [lot, earn(2, 50, T0)] + ([spend(3, redeemed, T0 + timedelta(days=1))]
                                          if redeemed else [])
    at = utc(2027, 4, 1)
    due = expiry_due(replay(movements), MEMBER, at, TAIPEI)
    if expired is None:
        assert due == []
    else:
        [d] = due
        assert d.award.points == -expired and d.award.kind is K.EXPIRE
        assert d.award.once == f"expire:{lot.id}" and d.lot == lot.id
        assert d.id == derived_id(MEMBER, f"expire:{lot.id}")
        assert (d.at, d.last_day) == (utc(2027, 3, 31, 16), date(2027, 3, 31))
    after = replay(movements + expire_all(replay(movements), at))
    assert after.balance == balance_after
    assert after.available(at) == balance_after
    assert expiry_due(after, MEMBER, at, TAIPEI) == []  # a second run expires nothing


def test_nothing_expires_before_the_last_usable_day_is_over() -> None:
    wallet = replay([earn(1, 100, T0, expires=utc(2027, 3, 31, 16))])
    assert expiry_due(wallet, MEMBER, utc(2027, 3, 31, 15, 59), TAIPEI) == []
    assert wallet.available(utc(2027, 3, 31, 15, 59)) == 100
    assert wallet.available(utc(2027, 3, 31, 16)) == 0
    assert wallet.balance == 100  # until the expiry is recorded


# -- refunds and reversals --------------------------------------------------------------------

@pytest.mark.parametrize(("before", "balance", "available", "debt"), [
    ([], 0, 0, 0),
    ([earn(10, 50, T0 - timedelta(days=30))], 50, 50, 0),  # the older points stay
])
def test_a_refund_in_the_return_window_takes_back_the_pending_earn(
        before: list[Movement], balance: int, available: int, debt: int) -> None:
    new = earn(1, 100, T0, available=T0 + timedelta(days=7), expires=utc(2027, 12, 31, 16))
    wallet = replay([*before, new, reverse(2, new, T0 + timedelta(days=3))])
    assert (wallet.balance, wallet.available(T0 + timedelta(days=8)), wallet.debt) == (
        balance, available, debt)
    assert wallet.pending(T0 + timedelta(days=3)) == []
    assert lefts(wallet)[1] == 0


def test_a_refund_of_points_already_spent_becomes_a_debt_the_next_earn_pays() -> None:
    first = earn(1, 100, T0)
    wallet = replay([first, spend(2, 80, T0), reverse(3, first, T0 + timedelta(days=1))])
    assert (wallet.balance, wallet.debt, wallet.available(T0 + timedelta(days=1))) == (
        -80, 80, -80)
    wallet = replay([first, spend(2, 80, T0), reverse(3, first, T0 + timedelta(days=1)),
                     earn(4, 100, T0 + timedelta(days=2))])
    assert (wallet.balance, wallet.debt, lefts(wallet)[4]) == (20, 0, 20)


def test_a_reversed_redemption_gives_back_points_that_expire_when_they_would_have() -> None:
    lot = earn(1, 100, T0, expires=utc(2027, 3, 31, 16))
    redeem = spend(2, 60, T0 + timedelta(days=1))
    back = Movement(mid(3), K.REVERSE, 60, T0 + timedelta(days=2), reverses=redeem.id)
    wallet = replay([lot, redeem, back])
    assert wallet.balance == 100 and wallet.available(T0 + timedelta(days=2)) == 100
    assert wallet.expiring(utc(2027, 3, 10), 30, TAIPEI) == [(date(2027, 3, 31), 100)]
    assert sum(-d.award.points for d in expiry_due(wallet, MEMBER, utc(2027, 4, 1),
                                                   TAIPEI)) == 100


def test_a_reversed_expiry_gives_the_points_back_for_good() -> None:
    lot = earn(1, 100, T0, expires=utc(2027, 3, 31, 16))
    at = utc(2027, 4, 1)
    [expired] = expire_all(replay([lot]), at)
    undo = Movement(mid(9), K.REVERSE, 100, at + timedelta(hours=1), reverses=expired.id)
    wallet = replay([lot, expired, undo])
    assert wallet.available(at + timedelta(hours=1)) == 100
    assert expiry_due(wallet, MEMBER, utc(2030, 1, 1), TAIPEI) == []


def test_an_expiry_reversed_before_its_lot_expired_gives_back_to_the_lot() -> None:
    """The ledger's correction for a spend dated before an expiry that reached it after
    (sync/server/late_spends.py): numbered before the spend, its points have the lot's dates,
    so the spend takes them rather than a later lot, and nothing is left to expire again."""
    lot = earn(1, 100, T0, expires=utc(2027, 3, 31, 16))
    later = earn(2, 50, T0 + timedelta(days=90), expires=utc(2027, 6, 30, 16))
    [expired] = expire_all(replay([lot, later]), utc(2027, 4, 1))
    when = T0 + timedelta(days=150)  # the late spend's time
    fix = Movement(mid(8), K.REVERSE, 60, when, reverses=expired.id)
    wallet = replay([lot, later, expired, fix, spend(9, 60, when)])
    assert (wallet.balance, wallet.debt, wallet.available(utc(2027, 4, 2))) == (50, 0, 50)
    assert [(d.lot, -d.award.points) for d in expiry_due(wallet, MEMBER, utc(2027, 7, 1),
                                                         TAIPEI)] == [(later.id, 50)]


def test_an_expiry_never_takes_more_than_its_lot_has_left() -> None:
    lot, other = earn(1, 100, T0, expires=utc(2027, 3, 31, 16)), earn(2, 50, T0)
    wrong = Movement(mid(3), K.EXPIRE, -120, utc(2027, 4, 1), lot=lot.id)  # a bug upstream
    wallet = replay([lot, other, wrong])
    assert (wallet.balance, lefts(wallet), wallet.debt) == (30, {1: 0, 2: 50}, 20)


def test_refunding_points_that_paid_an_overdraft_brings_the_debt_back() -> None:
    new = earn(1, 100, T0, available=T0 + timedelta(days=7))
    wallet = replay([new, spend(2, 30, T0), reverse(3, new, T0 + timedelta(days=1))])
    assert (wallet.balance, wallet.debt, wallet.available(T0 + timedelta(days=8))) == (
        -30, 30, -30)


# -- offline overdraft ------------------------------------------------------------------------

@pytest.mark.parametrize(("later", "balance", "debt", "available"), [
    ([], -30, 30, -30),
    ([earn(3, 20, T0 + timedelta(days=1))], -10, 10, -10),
    ([earn(3, 100, T0 + timedelta(days=1))], 70, 0, 70),  # the next earn pays the debt first
    ([earn(3, 100, T0 + timedelta(days=1), available=T0 + timedelta(days=30))], 70, 0, 0),
])
def test_an_offline_overdraft_is_a_debt_the_next_earn_pays(
        later: list[Movement], balance: int, debt: int, available: int) -> None:
    wallet = replay([earn(1, 50, T0), spend(2, 80, T0), *later])
    at = T0 + timedelta(days=2)
    assert (wallet.balance, wallet.debt, wallet.available(at)) == (balance, debt, available)


def test_an_overdraft_is_paid_at_once_by_points_still_pending() -> None:
    wallet = replay([earn(1, 100, T0, available=T0 + timedelta(days=7)),
                     earn(2, 50, T0 - timedelta(days=9)), spend(3, 80, T0)])
    assert (wallet.balance, wallet.debt, wallet.available(T0)) == (70, 0, 0)
    assert wallet.pending(T0) == [(T0 + timedelta(days=7), 70)]


# -- the counter's warning ----------------------------------------------------------------------

def test_the_counter_warns_of_points_expiring_soon_by_last_usable_day() -> None:
    at = utc(2027, 3, 10)
    wallet = replay([
        earn(1, 70, T0, expires=utc(2027, 3, 31, 16)),
        earn(2, 50, T0, expires=utc(2027, 3, 31, 16)),  # same day: one line
        earn(3, 40, T0, expires=utc(2027, 3, 20, 16)),  # spent below: no warning
        earn(4, 10, T0, expires=utc(2027, 4, 20, 16)),  # beyond 30 days
        earn(6, 10, T0),  # never expires
        spend(7, 40, T0 + timedelta(days=1)),
        earn(5, 10, T0 + timedelta(days=2), expires=utc(2027, 3, 1, 16)),  # already expired
    ])
    assert wallet.expiring(at, 30, TAIPEI) == [(date(2027, 3, 31), 120)]
    assert wallet.expiring(at, 45, TAIPEI) == [(date(2027, 3, 31), 120), (date(2027, 4, 20), 10)]
    assert wallet.expiring(at, 0, TAIPEI) == []


# -- the document section -----------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "message"), [
    ({"expiry": {"after": "months", "months": 0}}, "points.expiry.months: must be 1 to 120"),
    ({"expiry": {"after": "months", "months": 121}}, "points.expiry.months: must be 1 to 120"),
    ({"expiry": {"after": "months"}}, "points.expiry.months: must be 1 to 120"),
    ({"expiry": {"after": "weeks"}}, "points.expiry: Input tag 'weeks'"),
    ({"pending_days": -1}, "points.pending_days: must be 0 to 365"),
    ({"pending_days": 1.5}, "points.pending_days: Input should be a valid integer"),
    ({"warn_days": 400}, "points.warn_days: must be 0 to 365"),
    ({"pending_days": 30, "expiry": {"after": "months", "months": 1}},
     "points.expiry: points pending 30 days could expire before"),
    ({"expire": None}, "points.expire: Extra inputs are not permitted"),
])
def test_a_bad_points_section_names_the_field(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace(".", r"\.")):
        parse_points(raw)


def test_the_points_section_reads_both_kinds_of_expiry() -> None:
    assert parse_points({}) == PointsPolicy()
    assert parse_points({"expiry": {"after": "end_of_next_year"}}) == NEXT_YEAR
    assert parse_points({"pending_days": 7, "expiry": {"after": "months", "months": 12},
                         "warn_days": 14}) == PointsPolicy(
        pending_days=7, expiry=ExpireAfterMonths(after="months", months=12), warn_days=14)


# -- properties over generated histories -----------------------------------------------------------

@st.composite
def histories(draw: st.DrawFn) -> list[Movement]:
    movements: list[Movement] = []
    reversed_: set[uuid.UUID] = set()
    at = T0
    for n in range(draw(st.integers(0, 25))):
        at += timedelta(hours=draw(st.integers(0, 24 * 40)))
        op = draw(st.sampled_from(["earn", "earn", "spend", "reverse", "expire"]))
        if op == "earn":
            pending = timedelta(days=draw(st.sampled_from([0, 7, 30])))
            life = draw(st.sampled_from([None, 10, 60, 400]))
            movements.append(earn(n + 1, draw(st.integers(1, 500)), at, available=at + pending,
                                  expires=None if life is None else at + timedelta(days=life),
                                  kind=draw(st.sampled_from([K.EARN, K.BONUS, K.ADJUST]))))
        elif op == "spend":
            movements.append(spend(n + 1, draw(st.integers(1, 600)), at,
                                   draw(st.sampled_from([K.REDEEM, K.DONATE, K.TRANSFER]))))
        elif op == "reverse":
            done = [m for m in movements if m.kind is not K.REVERSE
                    and m.id not in reversed_]
            if done:
                of = draw(st.sampled_from(done))
                reversed_.add(of.id)
                movements.append(Movement(mid(n + 1), K.REVERSE, -of.points, at,
                                          reverses=of.id))
        else:
            movements += expire_all(replay(movements), at)
    return movements


PROPERTY = settings(max_examples=150, deadline=None)
WHEN = st.integers(0, 24 * 800).map(lambda h: T0 + timedelta(hours=h))


@PROPERTY
@given(histories(), WHEN)
def test_balance_is_the_sum_and_spendable_never_exceeds_it(movements: list[Movement],
                                                           at: datetime) -> None:
    wallet = replay(movements)
    assert wallet.balance == sum(m.points for m in movements)
    assert sum(lot.left for lot in wallet.lots) - wallet.debt == wallet.balance
    assert all(lot.left >= 0 for lot in wallet.lots) and wallet.debt >= 0
    assert wallet.available(at) <= wallet.balance


@PROPERTY
@given(histories(), WHEN)
def test_expiry_never_takes_a_spent_point_and_runs_once(movements: list[Movement],
                                                        at: datetime) -> None:
    before = replay(movements)
    due = expiry_due(before, MEMBER, at, TAIPEI)
    assert due == expiry_due(before, MEMBER, at, TAIPEI)  # two kiosks: the same ids
    assert len({d.id for d in due}) == len(due)
    for d in due:
        lot = before.lot(d.lot)
        assert lot is not None and lot.expired(at) and -d.award.points == lot.left > 0
    after = replay(movements + expire_all(before, at))
    taken = -sum(d.award.points for d in due)
    assert taken <= sum(lot.left for lot in before.lots)
    assert all(lot.left >= 0 for lot in after.lots)
    assert after.balance == before.balance - taken
    assert after.available(at) == before.available(at)  # what the member could spend stays
    assert expiry_due(after, MEMBER, at, TAIPEI) == []

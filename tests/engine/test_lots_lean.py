"""The lean replay (a ledger's expiry run over a million members) is the replay: the same
wallet and the same lots due for every history without a reversal, and no answer (the
full replay's turn) for one with a reversal; the lot dates it is fed are ``lot_dates``'."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.engine.bonuses import FIRST_PURCHASE
from kiosk.engine.lots import Movement, expiry_due, replay
from kiosk.engine.lots_lean import LeanMovement, replay_lean
from kiosk.engine.points_policy import (
    ExpireAfterMonths,
    ExpireEndOfNextYear,
    PointsPolicy,
    lot_dater,
    lot_dates,
)
from kiosk.engine.transfers import transfer_notes
from kiosk.ledger import EntryKind
from kiosk.program import Program, parse_program
from kiosk.wallets import entry_lot, entry_lot_dater
from tests.helpers.program import program_text

K = EntryKind
TAIPEI = ZoneInfo("Asia/Taipei")
MEMBER = uuid.UUID("00000000-0000-4000-8000-00000000000a")
T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
SPENDING = [K.REDEEM, K.DONATE, K.TRANSFER, K.ADJUST]


@st.composite
def histories(draw: st.DrawFn, reversals: bool = False) -> list[Movement]:
    """Earns (pending or not, expiring or not, some at the same moment), spending that may
    overdraw, expiries of earlier runs (whole, partial, too large, of an unknown lot),
    stamps and zero-point movements; with ``reversals``, reversals of any of them too."""
    movements: list[Movement] = []
    at = T0
    for _ in range(1, draw(st.integers(0, 30)) + 1):
        at += timedelta(hours=draw(st.sampled_from([0, 1, 24, 24 * 30, 24 * 200])))
        op = draw(st.sampled_from(["earn", "earn", "earn", "spend", "spend", "expire",
                                   "stamp", "zero"] + (["reverse"] * 2 if reversals else [])))
        mid = uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))  # random ids: random ties
        if op == "earn":
            pending = timedelta(days=draw(st.sampled_from([0, 7, 30])))
            life = draw(st.sampled_from([None, 10, 60, 400]))
            # A received transfer's lot is one too, its expiry maybe carried (any date).
            movements.append(Movement(mid, draw(st.sampled_from([K.EARN, K.BONUS, K.ADJUST,
                                                                 K.TRANSFER])),
                                      draw(st.integers(1, 500)), at, at + pending,
                                      None if life is None else at + timedelta(days=life)))
        elif op == "spend":
            movements.append(Movement(mid, draw(st.sampled_from(SPENDING)),
                                      -draw(st.integers(1, 700)), at))
        elif op == "expire":
            wallet = replay(movements)
            for due in expiry_due(wallet, MEMBER, at, TAIPEI):
                points = draw(st.sampled_from([due.award.points, due.award.points // 2 or -1,
                                               due.award.points - 50]))
                movements.append(Movement(due.id, K.EXPIRE, points, due.at, lot=due.lot))
            if draw(st.booleans()):  # an expiry naming no lot this member has
                movements.append(Movement(mid, K.EXPIRE, -draw(st.integers(1, 50)), at,
                                          lot=draw(st.sampled_from([None, uuid.uuid4()]))))
        elif op == "stamp":
            movements.append(Movement(mid, K.STAMP, draw(st.integers(-3, 3)), at))
        elif op == "zero":
            movements.append(Movement(mid, draw(st.sampled_from([K.ADJUST, K.EARN])), 0, at))
        else:
            done = [m for m in movements if m.kind is not K.REVERSE]
            if done:
                of = draw(st.sampled_from(done))
                movements.append(Movement(mid, K.REVERSE, -of.points, at, reverses=of.id))
    return movements


def lean(movements: list[Movement], *, as_bytes: bool = False) -> list[LeanMovement]:
    def key(value: Any) -> Any:
        return value.bytes if as_bytes and isinstance(value, uuid.UUID) else value

    return [(key(m.id), m.kind.value if as_bytes else m.kind, m.points, m.occurred_at,
             m.available_at, m.expires_at, key(m.reverses), key(m.lot)) for m in movements]


PROPERTY = settings(max_examples=300, deadline=None)
WHEN = st.integers(0, 24 * 900).map(lambda h: T0 + timedelta(hours=h))


@PROPERTY
@given(histories(), WHEN)
def test_the_lean_replay_makes_the_replays_wallet_and_the_same_lots_due(
        movements: list[Movement], at: datetime) -> None:
    full = replay(movements)
    got = replay_lean(lean(movements))
    assert got is not None
    assert got.wallet() == full
    assert got.due(at) == [(d.lot, -d.award.points, d.at)
                           for d in expiry_due(full, MEMBER, at, TAIPEI)]


@PROPERTY
@given(histories(), WHEN)
def test_ids_as_bytes_sort_as_the_uuids_do(movements: list[Movement], at: datetime) -> None:
    """The ledger reads ids as 16 bytes: ties in the spending order break the same way."""
    got = replay_lean(lean(movements, as_bytes=True))
    assert got is not None
    assert [(uuid.UUID(bytes=lot), left, when) for lot, left, when in got.due(at)] == [
        (d.lot, -d.award.points, d.at) for d in expiry_due(replay(movements), MEMBER, at,
                                                            TAIPEI)]


@PROPERTY
@given(histories(reversals=True))
def test_a_history_with_a_reversal_is_left_to_the_full_replay(movements: list[Movement]
                                                               ) -> None:
    got = replay_lean(lean(movements))
    if any(m.kind is K.REVERSE for m in movements):
        assert got is None
    else:
        assert got is not None and got.wallet() == replay(movements)


POLICIES = st.one_of(
    st.builds(lambda months, pending: PointsPolicy(
        pending_days=min(pending, 28 * months - 1),
        expiry=ExpireAfterMonths(after="months", months=months)),
        st.integers(1, 120), st.sampled_from([0, 7, 30])),
    st.builds(lambda pending: PointsPolicy(
        pending_days=pending, expiry=ExpireEndOfNextYear(after="end_of_next_year")),
        st.sampled_from([0, 7, 365])),
    st.builds(lambda pending: PointsPolicy(pending_days=pending), st.sampled_from([0, 7])))
ZONES = st.sampled_from([TAIPEI, ZoneInfo("Europe/London"), ZoneInfo("America/New_York"),
                         ZoneInfo("Australia/Lord_Howe")])
MOMENTS = st.integers(0, 4 * 365 * 24 * 60).map(lambda m: T0 + timedelta(minutes=m))
OFFSETS = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5)),
                           ZoneInfo("Europe/London")])


@settings(max_examples=300, deadline=None)
@given(POLICIES, ZONES, st.lists(st.tuples(MOMENTS, OFFSETS), min_size=1, max_size=20))
def test_the_lot_dater_dates_lots_as_lot_dates_does(
        policy: PointsPolicy, zone: ZoneInfo, moments: list[tuple[datetime, Any]]) -> None:
    dates = lot_dater(policy, zone)
    for moment, offset in moments:
        earned_at = moment.astimezone(offset)
        assert dates(earned_at) == lot_dates(policy, earned_at, zone)


PROGRAMS = st.sampled_from([parse_program(program_text(extra, version=f"lean-{i}")) for i, extra in
                            enumerate(['\n[points]\npending_days = 7\nexpiry = { after = '
                                       '"months", months = 12 }\n',
                                       '\n[points]\nexpiry = { after = "end_of_next_year" }\n',
                                       '\n[points]\nexpiry = { after = "months", months = 1 }\n'
                                       '\n[bonuses.birthday]\npoints = 100\nwindow = "days"'
                                       '\ndays = 60\n',
                                       ""])])


# A received transfer's note, carrying an expiry (before or after the lot's own, or none) or
# made before notes carried one.
RECEIVED = st.one_of(
    st.builds(lambda moment: transfer_notes(MEMBER, MEMBER, moment)[1], MOMENTS),
    st.just(transfer_notes(MEMBER, MEMBER)[1]),
    st.just(f"{transfer_notes(MEMBER, MEMBER)[1]};expires:never"))


@settings(max_examples=200, deadline=None)
@given(PROGRAMS, MOMENTS, st.one_of(st.sampled_from([None, FIRST_PURCHASE, "signup", "expire:x",
                                                     "birthday:2026"]), RECEIVED),
       st.booleans(), st.sampled_from([EntryKind.EARN, EntryKind.BONUS, EntryKind.TRANSFER]))
def test_the_entry_lot_dater_dates_entries_as_entry_lot_does(
        program: Program, moment: datetime, note: str | None, purchase: bool,
        kind: EntryKind) -> None:
    assert entry_lot_dater(program)(moment, note, purchase, kind) == \
        entry_lot(program, moment, note, purchase, kind)

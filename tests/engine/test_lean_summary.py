"""The member screen's points off the lean replay (``kiosk.wallets.lean_points_summary``,
read at every scan and sale of a member with a long history) are the points the full
replay says: available, pending by day and expiring by day, for any history without a
reversal, under pending days and either expiry; a history with a reversal gets no lean
answer (the full replay's turn)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.engine.bonuses import FIRST_PURCHASE
from kiosk.engine.lots import Movement, replay
from kiosk.engine.lots_lean import replay_lean
from kiosk.engine.transfers import MAX_RECEIVED_PARTS, transfer_notes
from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program, parse_program
from kiosk.wallets import (
    EXPIRE_NOTE,
    LotRow,
    lean_points_summary,
    points_summary,
    transfer_parts,
    wallet,
)
from tests.engine.test_lots_lean import histories as lot_histories
from tests.engine.test_lots_lean import lean
from tests.helpers.program import PROMOTIONS, program_text

K = EntryKind
MEMBER = uuid.UUID("00000000-0000-4000-8000-00000000000b")
GIVER = uuid.UUID("00000000-0000-4000-8000-00000000000c")
T0 = datetime(2025, 2, 27, 15, 30, tzinfo=UTC)  # late evening in Taipei: days differ
POLICIES = [
    "pending_days = 7\nexpiry = { after = \"months\", months = 12 }\nwarn_days = 30",
    "pending_days = 0\nexpiry = { after = \"end_of_next_year\" }\nwarn_days = 365",
    "pending_days = 14\nwarn_days = 0",
    "pending_days = 0\nexpiry = { after = \"months\", months = 1 }\nwarn_days = 10",
]
PROGRAMS = [parse_program(program_text(PROMOTIONS + f"\n[points]\n{p}\n")) for p in POLICIES]


def rows_of(entries: list[Entry]) -> list[LotRow]:
    return [(e.id.bytes, e.kind.value, e.points, e.occurred_at,
             None if e.reverses is None else e.reverses.bytes, e.note,
             e.order_ref is not None) for e in entries]


@st.composite
def histories(draw: st.DrawFn, reversals: bool = False) -> list[Entry]:
    """Purchases (pending) and bonuses (birthday, first purchase, sign-up: spendable at
    once), received transfers (carrying an expiry before or after their own, or none),
    spending that may overdraw, the ledger's expiries (of a lot, part of one, one it
    doesn't know), stamps, at moments that tie or lie months apart."""
    out: list[Entry] = []
    at = T0
    ops = ["buy", "buy", "bonus", "received", "spend", "spend", "expire", "stamp"]
    for n in range(draw(st.integers(0, 40))):
        at += timedelta(hours=draw(st.sampled_from([0, 3, 24, 24 * 20, 24 * 150])))
        op = draw(st.sampled_from(ops + (["reverse"] if reversals else [])))
        # Ids are unique, as every entry's is; their random high half orders ties.
        eid = uuid.UUID(int=draw(st.integers(0, 2**64 - 1)) << 64 | n)
        if op == "buy":
            out.append(Entry(eid, MEMBER, draw(st.sampled_from([K.EARN, K.BONUS])),
                             draw(st.integers(1, 400)), "k", at, "v", order_ref="O-1"))
        elif op == "bonus":
            note = draw(st.sampled_from([None, "birthday:2025", FIRST_PURCHASE, "signup"]))
            out.append(Entry(eid, MEMBER, K.BONUS, draw(st.integers(1, 200)), "k", at, "v",
                             note=note))
        elif op == "received":
            carried = draw(st.sampled_from([None, 1, 20, 200, 500]))
            note = transfer_notes(GIVER, MEMBER, None if carried is None
                                  else at + timedelta(days=carried))[1]
            out.append(Entry(eid, MEMBER, K.TRANSFER, draw(st.integers(1, 300)), "web", at,
                             "v", note=note))
        elif op == "spend":
            out.append(Entry(eid, MEMBER, draw(st.sampled_from([K.REDEEM, K.DONATE,
                                                                K.TRANSFER, K.ADJUST])),
                             -draw(st.integers(1, 500)), "k", at, "v"))
        elif op == "expire":
            lots = [e.id for e in out if e.points > 0 and e.kind is not K.STAMP]
            lot = draw(st.sampled_from(lots)) if lots and draw(st.booleans()) else eid
            out.append(Entry(eid, MEMBER, K.EXPIRE, -draw(st.integers(1, 300)), "k", at, "v",
                             note=f"{EXPIRE_NOTE}{lot}"))
        elif op == "stamp":
            out.append(Entry(eid, MEMBER, K.STAMP, draw(st.integers(1, 3)), "k", at, "v",
                             order_ref="O-2", note="card:coffee"))
        elif out:
            original = draw(st.sampled_from(out))
            out.append(Entry(eid, MEMBER, K.REVERSE, -original.points, "k", at, "v",
                             reverses=original.id))
    return sorted(out, key=lambda e: (e.occurred_at, e.id))


def _moments(program: Program, entries: list[Entry]) -> list[datetime]:
    """Moments around the history, and those on its lots' edges: released, expired, and
    coming into the expiry warning."""
    last = entries[-1].occurred_at if entries else T0
    edges = []
    for lot in [lot for lot in wallet(program, entries).lots if lot.left > 0][:6]:
        edges.append(lot.available_at)
        if lot.expires_at is not None:
            warn = lot.expires_at - timedelta(days=program.points.warn_days)
            edges += [lot.expires_at, lot.expires_at - timedelta(microseconds=1), warn,
                      warn - timedelta(microseconds=1)]
    return [T0, last, last + timedelta(days=200), last + timedelta(days=800), *edges]


@settings(max_examples=300, deadline=None)
@given(histories(), st.sampled_from(PROGRAMS))
def test_the_lean_summary_is_the_full_one(entries: list[Entry], program: Program) -> None:
    for at in _moments(program, entries):
        assert lean_points_summary(program, rows_of(entries), at) == \
            points_summary(program, entries, at)
        _same_parts(program, entries, at)


def _same_parts(program: Program, entries: list[Entry], at: datetime) -> None:
    """What a transfer of the giver's available points at ``at`` is made of, off the lean
    replay, is what the full replay says: the lots a spending takes, in spending order."""
    full = wallet(program, entries)
    points = full.available(at)
    if points <= 0:
        return
    taken = [(points, None)] if program.points.expiry is None else full.taken_by(points, at)
    if len(taken) <= MAX_RECEIVED_PARTS:
        assert transfer_parts(program, rows_of(entries), lambda: entries, points, at) == taken


@settings(max_examples=100, deadline=None)
@given(histories(reversals=True), st.sampled_from(PROGRAMS))
def test_a_history_with_a_reversal_is_left_to_the_full_replay(entries: list[Entry],
                                                              program: Program) -> None:
    lean = lean_points_summary(program, rows_of(entries), T0)
    if any(e.kind is K.REVERSE for e in entries):
        assert lean is None
    else:
        assert lean == points_summary(program, entries, T0)
    last = entries[-1].occurred_at if entries else T0
    _same_parts(program, entries, last)


@settings(max_examples=300, deadline=None)
@given(lot_histories(), st.randoms(use_true_random=False))
def test_the_lean_replay_out_of_time_order_is_the_full_one(movements: list[Movement],
                                                           rng: Random) -> None:
    """The ledger may replay in another order than time's (a late upload): spending dated
    before one that dropped an expired lot still finds every lot the full replay does."""
    rng.shuffle(movements)
    got = replay_lean(lean(movements))
    if any(m.kind is K.REVERSE for m in movements):
        assert got is None
    else:
        assert got is not None and got.wallet() == replay(movements)

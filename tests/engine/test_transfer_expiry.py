"""Given points keep their age (issue 15's transfers): the receiving side is an entry per
expiry of the giver's lots the transfer takes, each note carrying it, and its lot expires
then if its own date says later, in both replays. A received side without one (made
before notes carried it) expires by its own date, and a program whose points don't expire
dates nothing. Only a transfer's note is read so: an adjustment whose note looks like one
(a device may write any note on it) is just a note, and no carried time can break a
replay."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kiosk.engine.transfers import MAX_RECEIVED_PARTS, carried_expiry, transfer_notes
from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program, parse_program
from kiosk.wallets import (
    entry_lot,
    entry_lot_dater,
    lean_points_summary,
    points_summary,
    transfer_parts,
    wallet,
)
from tests.engine.test_lean_summary import rows_of
from tests.helpers.program import program_text

K = EntryKind
GIVER = uuid.UUID("00000000-0000-4000-8000-0000000000a1")
MEMBER = uuid.UUID("00000000-0000-4000-8000-0000000000b2")
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 11:00 in Taipei
MONTHS_12 = parse_program(program_text(
    '\n[points]\npending_days = 7\nexpiry = { after = "months", months = 12 }\n'))
NO_EXPIRY = parse_program(program_text('\n[points]\npending_days = 7\n'))
OWN = datetime(2027, 11, 20, 16, 0, tzinfo=UTC)  # 12 months on, from Taipei's next midnight


def received(expires_at: datetime | None) -> str:
    return transfer_notes(GIVER, MEMBER, expires_at)[1]


def test_the_received_side_carries_the_givers_expiry_and_reads_it_back() -> None:
    given, got = transfer_notes(GIVER, MEMBER, datetime(2027, 1, 1, 0, 0, tzinfo=
                                                        timezone(timedelta(hours=8))))
    assert given == f"transfer:to:{MEMBER}"
    assert got == f"transfer:from:{GIVER};expires:2026-12-31T16:00:00+00:00"
    assert carried_expiry(got) == datetime(2026, 12, 31, 16, tzinfo=UTC)
    assert transfer_notes(GIVER, MEMBER) == (given, f"transfer:from:{GIVER}")  # never expire
    for note in (f"transfer:from:{GIVER}", f"transfer:from:{GIVER};expires:soon",
                 f"transfer:from:{GIVER};expires:2027-01-01T00:00:00"):  # no zone: no date
        assert carried_expiry(note) is None


@pytest.mark.parametrize(("note", "expires_at"), [
    (received(datetime(2027, 1, 6, 16, tzinfo=UTC)), datetime(2027, 1, 6, 16, tzinfo=UTC)),
    (received(OWN + timedelta(days=40)), OWN),  # never later than its own date
    (received(None), OWN),  # the giver's points never expired
    (f"transfer:from:{GIVER}", OWN),  # made before notes carried it: as before
    ("signup", OWN),
])
def test_a_received_lot_expires_by_the_givers_points_if_they_expire_first(
        note: str, expires_at: datetime) -> None:
    # Spendable at once, as a transfer's points always were (it has no order).
    assert entry_lot(MONTHS_12, T0, note, False, K.TRANSFER) == (T0, expires_at)
    assert entry_lot_dater(MONTHS_12)(T0, note, False, K.TRANSFER) == (T0, expires_at)


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "1969-12-31T00:00:00+00:00",
                                  "2026-11-19T00:00:00+00:00", "9999-12-31T23:59:59-01:00"])
def test_a_carried_time_no_transfer_can_carry_leaves_the_lots_own_date(when: str) -> None:
    """Before the transfer (its giver's points were spendable then), or no UTC time at all:
    only a note the ledger didn't write says so, and it must not break a replay."""
    note = f"transfer:from:{GIVER};expires:{when}"
    assert entry_lot(MONTHS_12, T0, note, False, K.TRANSFER) == (T0, OWN)
    assert entry_lot_dater(MONTHS_12)(T0, note, False, K.TRANSFER) == (T0, OWN)


def test_only_a_transfers_note_carries_an_expiry() -> None:
    note = received(datetime(2027, 1, 6, 16, tzinfo=UTC))
    for kind in (K.ADJUST, K.BONUS, K.EARN):
        assert entry_lot(MONTHS_12, T0, note, False, kind) == (T0, OWN)
        assert entry_lot_dater(MONTHS_12)(T0, note, False, kind) == (T0, OWN)


def test_without_expiry_a_received_lot_never_expires() -> None:
    note = received(datetime(2027, 1, 6, 16, tzinfo=UTC))
    assert entry_lot(NO_EXPIRY, T0, note, False, K.TRANSFER) == (T0, None)
    assert entry_lot_dater(NO_EXPIRY)(T0, note, False, K.TRANSFER) == (T0, None)


def entry(n: int, kind: EntryKind, points: int, at: datetime, **changes: object) -> Entry:
    return Entry(uuid.UUID(int=n), GIVER, kind, points, "k", at, "v", **changes)


def test_the_receiving_side_is_a_part_per_expiry_of_the_lots_the_transfer_takes() -> None:
    old = T0 - timedelta(days=330)
    history = [entry(1, K.BONUS, 50, old, note="signup"),  # last day 2026-12-25 (Taipei)
               entry(2, K.EARN, 100, T0 - timedelta(days=3), order_ref="O-1"),  # pending
               entry(3, K.BONUS, 30, T0 - timedelta(days=1), note="signup")]  # 2027-11-19
    first = datetime(2026, 12, 25, 16, tzinfo=UTC)
    later = datetime(2027, 11, 19, 16, tzinfo=UTC)

    def parts(entries: list[Entry], points: int, at: datetime = T0,
              program: Program = MONTHS_12) -> list[tuple[int, datetime | None]]:
        return transfer_parts(program, rows_of(entries), lambda: entries, points, at)

    # The oldest lot first, then the next spendable one (the purchase's points pending).
    assert parts(history, 80) == [(50, first), (30, later)]
    assert parts(history, 20) == [(20, first)]
    spent = [*history, entry(4, K.REDEEM, -50, T0)]  # the oldest lot is spent
    assert parts(spent, 30) == [(30, later)]
    # Once the oldest expired: the purchase's (spendable by then, last day 2027-11-17).
    assert parts(history, 130, first) == [(100, datetime(2027, 11, 17, 16, tzinfo=UTC)),
                                          (30, later)]
    # A history with a reversal: the full replay says it (the entries, read only then).
    reversed_ = [*history, entry(5, K.REVERSE, -30, T0, reverses=uuid.UUID(int=3))]
    assert parts(reversed_, 50) == [(50, first)]
    assert parts(history, 80, program=NO_EXPIRY) == [(80, None)]
    # More than the giver's spendable lots hold (one expired as the ledger counted it):
    # the rest expires at once, never lasting for ever (second review).
    assert parts(history, 100) == [(50, first), (30, later), (20, T0)]
    note = transfer_notes(GIVER, MEMBER, T0)[1]
    moment = T0 + timedelta(microseconds=2)  # the third part
    assert entry_lot(MONTHS_12, moment, note, False, K.TRANSFER) == (moment, T0)


def test_past_the_most_parts_the_latest_are_one_at_the_latest_date() -> None:
    """A giver whose points came a few at a time: the last parts merge, and none of their
    points expires sooner than it would have (the merged ones may last a little longer)."""
    days = MAX_RECEIVED_PARTS + 6
    history = [entry(n, K.BONUS, 10, T0 - timedelta(days=days - n), note="signup")
               for n in range(days)]
    parts = transfer_parts(MONTHS_12, rows_of(history), lambda: history, 10 * days, T0)
    dates = [lot.expires_at for lot in sorted(
        wallet(MONTHS_12, history).lots, key=lambda lot: lot.available_at)]
    assert len(parts) == MAX_RECEIVED_PARTS
    assert sum(points for points, _ in parts) == 10 * days
    assert parts[:-1] == [(10, when) for when in dates[:MAX_RECEIVED_PARTS - 1]]
    assert parts[-1] == (70, dates[-1])


def test_points_passed_back_and_forth_expire_when_the_first_givers_did() -> None:
    """The defect: each received side opened a lot dated at the transfer, so points about
    to expire passed between two members every few weeks lived for ever."""
    earned = T0 - timedelta(days=300)  # 2026-01-24: last day 2027-01-24 (Taipei)
    histories: dict[uuid.UUID, list[Entry]] = {GIVER: [entry(1, K.EARN, 100, earned)],
                                              MEMBER: []}
    at, giver, receiver = T0, GIVER, MEMBER
    for n in range(2, 12, 2):  # five transfers, two weeks apart, the last on 2027-01-15
        rows = histories[giver]
        [(_, carried)] = transfer_parts(MONTHS_12, rows_of(rows), lambda r=rows: r, 100, at)
        out_note, in_note = transfer_notes(giver, receiver, carried)
        histories[giver].append(Entry(uuid.UUID(int=n), giver, K.TRANSFER, -100, "web", at,
                                      "v", note=out_note))
        histories[receiver].append(Entry(uuid.UUID(int=n + 1), receiver, K.TRANSFER, 100,
                                         "web", at, "v", note=in_note))
        at += timedelta(days=14)
        giver, receiver = receiver, giver
    expired = datetime(2027, 1, 24, 16, tzinfo=UTC)
    holder = histories[giver]  # the fifth transfer's receiver
    for when, available in ((expired - timedelta(minutes=1), 100), (expired, 0)):
        full = points_summary(MONTHS_12, holder, when)
        assert lean_points_summary(MONTHS_12, rows_of(holder), when) == full
        assert (full.balance, full.available) == (100, available)
    warned = points_summary(MONTHS_12, holder, T0 + timedelta(days=60))  # 2027-01-19
    assert warned.expiring == ((date(2027, 1, 24), 100),)

"""Given points keep their age (issue 15's transfers): the received side's note carries
when the giver's points it came from expire, and its lot expires then if its own date says
later, in both replays; the ledger works that date out as the first lot a spending takes.
A received side without one (made before notes carried it) expires by its own date, and a
program whose points don't expire dates nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kiosk.engine.transfers import carried_expiry, transfer_notes
from kiosk.ledger import Entry, EntryKind
from kiosk.program import parse_program
from kiosk.wallets import (
    entry_lot,
    entry_lot_dater,
    first_spent_expiry,
    lean_points_summary,
    points_summary,
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
    assert entry_lot(MONTHS_12, T0, note, False) == (T0, expires_at)
    assert entry_lot_dater(MONTHS_12)(T0, note, False) == (T0, expires_at)


def test_without_expiry_a_received_lot_never_expires() -> None:
    note = received(datetime(2027, 1, 6, 16, tzinfo=UTC))
    assert entry_lot(NO_EXPIRY, T0, note, False) == (T0, None)
    assert entry_lot_dater(NO_EXPIRY)(T0, note, False) == (T0, None)


def entry(n: int, kind: EntryKind, points: int, at: datetime, **changes: object) -> Entry:
    return Entry(uuid.UUID(int=n), GIVER, kind, points, "k", at, "v", **changes)


def test_a_transfer_carries_the_expiry_of_the_first_lot_spending_takes() -> None:
    old = T0 - timedelta(days=330)
    history = [entry(1, K.BONUS, 50, old, note="signup"),  # last day 2026-12-25 (Taipei)
               entry(2, K.EARN, 100, T0 - timedelta(days=3), order_ref="O-1"),  # pending
               entry(3, K.BONUS, 30, T0 - timedelta(days=1), note="signup")]  # 2027-11-19
    first = datetime(2026, 12, 25, 16, tzinfo=UTC)
    assert first_spent_expiry(MONTHS_12, rows_of(history), lambda: history, T0) == first
    spent = [*history, entry(4, K.REDEEM, -50, T0)]  # the oldest lot is spent: the next
    # spendable one (the purchase's points are pending)
    assert first_spent_expiry(MONTHS_12, rows_of(spent), lambda: spent, T0) == \
        datetime(2027, 11, 19, 16, tzinfo=UTC)
    # Once the oldest expired: the purchase's (spendable by then, last day 2027-11-17).
    assert first_spent_expiry(MONTHS_12, rows_of(history), lambda: history,
                              first) == datetime(2027, 11, 17, 16, tzinfo=UTC)
    # A history with a reversal: the full replay says it (the entries, read only then).
    reversed_ = [*history, entry(5, K.REVERSE, -30, T0, reverses=uuid.UUID(int=3))]
    assert first_spent_expiry(MONTHS_12, rows_of(reversed_), lambda: reversed_, T0) == first
    assert first_spent_expiry(NO_EXPIRY, rows_of(history), lambda: history, T0) is None


def test_points_passed_back_and_forth_expire_when_the_first_givers_did() -> None:
    """The defect: each received side opened a lot dated at the transfer, so points about
    to expire passed between two members every few weeks lived for ever."""
    earned = T0 - timedelta(days=300)  # 2026-01-24: last day 2027-01-24 (Taipei)
    histories: dict[uuid.UUID, list[Entry]] = {GIVER: [entry(1, K.EARN, 100, earned)],
                                              MEMBER: []}
    at, giver, receiver = T0, GIVER, MEMBER
    for n in range(2, 12, 2):  # five transfers, two weeks apart, the last on 2027-01-15
        rows = histories[giver]
        carried = first_spent_expiry(MONTHS_12, rows_of(rows), lambda r=rows: r, at)
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

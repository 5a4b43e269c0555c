"""Ledger entries are immutable facts; balances are their sum."""

from __future__ import annotations

import uuid
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.ids import new_id
from kiosk.ledger import Entry, EntryKind, LedgerError, balance, reversal, summarize

AT = datetime(2026, 5, 1, 12, tzinfo=UTC)
MEMBER = uuid.UUID(int=7)


def entry(kind: EntryKind = EntryKind.EARN, points: int = 10, **kw: object) -> Entry:
    fields = {"id": new_id(), "member_id": MEMBER, "kind": kind, "points": points,
              "channel": "store-1", "occurred_at": AT, "program_version": "2026.2"}
    fields.update(kw)
    return Entry(**fields)  # type: ignore[arg-type]


def test_ids_are_uuid7_and_increase_in_creation_order():
    ids = [new_id() for _ in range(1000)]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == 1000


@pytest.mark.parametrize(("changes", "why"), [
    ({"points": 1.5}, "points must be an int"),
    ({"points": True}, "points must be an int"),
    ({"amount_minor": 10.0}, "amount_minor must be an int"),
    ({"occurred_at": datetime(2026, 5, 1, 12)}, "aware UTC"),
    ({"occurred_at": datetime(2026, 5, 1, 12, tzinfo=timezone(timedelta(hours=8)))},
     "aware UTC"),
    ({"kind": EntryKind.EARN, "points": -1}, "cannot take points away"),
    ({"kind": EntryKind.REDEEM, "points": 5}, "cannot add points"),
    ({"kind": EntryKind.REVERSE, "points": -5}, "points at the entry it reverses"),
    ({"kind": EntryKind.ADJUST, "reverses": uuid.UUID(int=1)}, "points at another"),
    ({"channel": ""}, "channel"),
])
def test_entries_that_break_the_rules_cannot_be_made(changes, why):
    with pytest.raises(LedgerError, match=why):
        entry(**changes)


def test_entries_cannot_be_edited():
    e = entry()
    with pytest.raises(FrozenInstanceError):
        e.points = 99  # type: ignore[misc]


def test_a_reversal_mirrors_the_entry_it_corrects():
    sale = entry(points=12, amount_minor=800, order_ref="A1")
    back = reversal(sale, id=new_id(), occurred_at=AT + timedelta(days=1), channel="store-2",
                    program_version="2026.2")
    assert (back.kind, back.points, back.amount_minor, back.reverses, back.order_ref) == (
        EntryKind.REVERSE, -12, -800, sale.id, "A1")
    assert balance([sale, back]) == 0
    with pytest.raises(LedgerError):
        reversal(back, id=new_id(), occurred_at=AT, channel="x", program_version="v")


@pytest.mark.parametrize("kind,points", [(EntryKind.TRANSFER, -120), (EntryKind.TRANSFER, 120),
                                         (EntryKind.EXPIRE, -30), (EntryKind.DONATE, -20),
                                         (EntryKind.ADJUST, 10)])
def test_only_what_an_order_or_a_redemption_recorded_is_reversed(kind, points):
    """A refund at the counter (or the shop's) never takes back a transfer, an expiry, a
    donation or an adjustment: undoing the giver's side of a transfer mints points."""
    with pytest.raises(LedgerError, match=f"kind '{kind.value}' is not taken back"):
        reversal(entry(kind, points, note="why"), id=new_id(), occurred_at=AT,
                 channel="store-1", program_version="2026.2")
    for kept, some in ((EntryKind.EARN, 10), (EntryKind.BONUS, 5), (EntryKind.REDEEM, -60)):
        assert reversal(entry(kept, some), id=new_id(), occurred_at=AT, channel="store-1",
                        program_version="2026.2").points == -some


def test_summary_separates_earned_redeemed_and_spend():
    entries = [entry(points=100, amount_minor=5000), entry(EntryKind.BONUS, 50),
               entry(EntryKind.REDEEM, -60), entry(EntryKind.ADJUST, -5)]
    s = summarize(entries)
    assert (s.balance, s.earned, s.redeemed, s.spend_minor, s.entries) == (85, 150, 60, 5000, 4)


kinds_and_points = st.one_of(
    st.tuples(st.sampled_from([EntryKind.EARN, EntryKind.BONUS]), st.integers(0, 10**6)),
    st.tuples(st.sampled_from([EntryKind.REDEEM, EntryKind.EXPIRE, EntryKind.DONATE]),
              st.integers(-(10**6), 0)),
    st.tuples(st.sampled_from([EntryKind.ADJUST, EntryKind.TRANSFER]),
              st.integers(-(10**6), 10**6)),
)


@given(st.lists(kinds_and_points, max_size=60))
def test_balance_is_the_sum_of_entries_in_any_order(items):
    entries = [entry(kind, points) for kind, points in items]
    total = sum(points for _, points in items)
    assert balance(entries) == total == summarize(entries).balance
    assert balance(reversed(entries)) == total
    assert type(balance(entries)) is int

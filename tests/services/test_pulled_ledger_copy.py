"""What a pull does with the ledger's copy of an entry the kiosk holds: a once-only award
(a derived id, channel ``program``) takes the ledger's content and the balance moves by
the difference, once; any other entry keeps its own (the ledger refuses a different one
as a conflict). On SQLite and on the fake alike; the end to end case, two program
versions and a real ledger, is tests/sync/test_derived_ledger_copy.py."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.orders import derived_id
from kiosk.ledger import Entry, EntryKind
from kiosk.services import Kiosk, verify_store
from kiosk.services.enrolment import EnrolmentResult


def _ours(kiosk: Kiosk, member: EnrolmentResult, channel: str = DERIVED_CHANNEL) -> Entry:
    at = member.member.enrolled_at + timedelta(minutes=1)
    entry = Entry(derived_id(member.member.id, "birthday:2026"), member.member.id,
                  EntryKind.BONUS, 100, channel, at, "2026.2-a", note="birthday:2026")
    with kiosk.store.write() as tx:
        tx.entries.append([entry])
    return entry


def _pull(kiosk: Kiosk, entry: Entry, seq: int) -> int:
    with kiosk.store.write() as tx:
        return tx.pulled.apply([], [], [(entry, seq)])


def _held(kiosk: Kiosk, entry: Entry) -> tuple[list[Entry], int]:
    with kiosk.store.read() as tx:
        return ([e for e in tx.entries.of_member(entry.member_id) if e.id == entry.id],
                tx.entries.balance(entry.member_id))


def test_the_ledgers_copy_of_a_once_only_award_replaces_ours(kiosk, member) -> None:
    ours = _ours(kiosk, member)
    theirs = dataclasses.replace(ours, points=150, program_version="2026.2-b",
                                 occurred_at=ours.occurred_at + timedelta(hours=3))
    assert _pull(kiosk, theirs, 7) == 0
    assert _held(kiosk, ours) == ([theirs], 50 + 150)
    assert _pull(kiosk, theirs, 7) == 0  # again: nothing more moves
    assert _held(kiosk, ours) == ([theirs], 50 + 150)
    assert verify_store(kiosk).ok


@pytest.mark.parametrize("change", [
    {"channel": "till-2"},  # not a once-only award: the ledger says conflict
    {"note": "birthday:2027"},  # another award under the same id: not ours to take
    {"kind": EntryKind.ADJUST},
])
def test_any_other_copy_leaves_ours(kiosk, member, change) -> None:
    ours = _ours(kiosk, member, change.get("channel", DERIVED_CHANNEL))
    theirs = dataclasses.replace(ours, points=150, program_version="2026.2-b", **change)
    assert _pull(kiosk, theirs, 7) == 0
    assert _held(kiosk, ours) == ([ours], 50 + 100)
    assert verify_store(kiosk).ok


@pytest.mark.sqlite_only
@pytest.mark.parametrize("sql", [
    "UPDATE entries SET points = 1 WHERE note = 'signup'",  # the kiosk's own channel
    "UPDATE entries SET points = 1, server_seq = 3 WHERE note = 'signup'",
    "UPDATE entries SET points = 1 WHERE channel = 'program'",  # not the ledger's (no seq)
    "UPDATE entries SET note = 'x', server_seq = 3 WHERE channel = 'program'",  # another award
    "UPDATE entries SET channel = 'till', server_seq = 3 WHERE channel = 'program'",
    "DELETE FROM entries WHERE channel = 'program'",
])
def test_entries_stay_append_only_but_for_the_ledgers_copy(kiosk, member, sql) -> None:
    _ours(kiosk, member)
    with pytest.raises(IntegrityError, match="append-only"), kiosk.store.write() as tx:
        tx.conn.execute(text(sql))
    assert verify_store(kiosk).ok

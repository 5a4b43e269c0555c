"""The expiry run's fast path on PostgreSQL (``sync/server/expiry_bulk.py``): it records
what the full replay says is due, entry for entry; spending that lands between a range's
read and its lock is replayed; ranges in worker processes, and two runs at once, record
each expiry once; an expiry that leaves a balance below zero is an overdraft, as on the
portable path."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.bonuses import FIRST_PURCHASE, local_midnight
from kiosk.engine.lots import expiry_due, replay
from kiosk.engine.orders import derived_id
from kiosk.engine.transfers import RECEIVED_NOTE, transfer_notes
from kiosk.ledger import EntryKind
from kiosk.program import Program, parse_program
from kiosk.wallets import entry_movement
from sync.protocol import EntryWire, MemberWire, UploadRequest
from sync.server import expiry_bulk
from sync.server import models as m
from sync.server.db import ledger_engine, migrate
from sync.server.expiry import earliest_unexpired
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import program_text

EXPIRY = '\n[points]\nexpiry = { after = "months", months = 12 }\n'
PENDING = '\n[points]\npending_days = 7\nexpiry = { after = "months", months = 12 }\n'
BIRTHDAY = '\n[bonuses.birthday]\npoints = 100\n'
NOW = datetime(2028, 1, 10, tzinfo=UTC)
K = EntryKind


def at(text_: str) -> datetime:
    return datetime.fromisoformat(text_).replace(tzinfo=UTC)


# -- the rows: what the full replay says, entry for entry ---------------------------------

def full_path(program: Program, rows: list[tuple[Any, ...]], when: datetime
              ) -> list[tuple[str, str, int, datetime, str]]:
    """What the portable path records for these members: (id, member, points, occurred_at,
    note) of each expiry, from entry_movement, replay and expiry_due."""
    since = earliest_unexpired(program.points, when, program.zone)
    out = []
    for member in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == member]
        if not any(r[3] > 0 and r[2] not in ("reverse", "stamp") and (
                r[4] < since or (r[6] or "").startswith(RECEIVED_NOTE)) for r in mine):
            continue
        member_id = uuid.UUID(bytes=member)
        wallet = replay(entry_movement(
            program, uuid.UUID(bytes=r[1]), EntryKind(r[2]), r[3], r[4],
            None if r[5] is None else uuid.UUID(bytes=r[5]), r[6], r[7]) for r in mine)
        for due in expiry_due(wallet, member_id, when, program.zone):
            assert due.id == derived_id(member_id, f"expire:{due.lot}")
            out.append((due.id.hex, member_id.hex, due.award.points, due.at,
                        f"expire:{due.lot}"))
    return out


@st.composite
def ledgers(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """Some members' entries as the run reads them (bytes ids, in member then seq order):
    purchases and bonuses (a first-purchase and a birthday bonus among them), received
    transfers (carrying an expiry before or after their own, or none; some received long
    after the run's ``since``), redemptions, stamps, expiries of earlier runs (some with a
    note naming no lot) and reversals."""
    rows: list[tuple[Any, ...]] = []
    for _ in range(draw(st.integers(1, 6))):
        member = uuid.uuid4().bytes
        mine: list[tuple[Any, ...]] = []
        when = at("2025-01-01T00:00")
        for _ in range(draw(st.integers(0, 12))):
            when += timedelta(hours=draw(st.sampled_from([0, 5, 24 * 20, 24 * 150])))
            entry = uuid.uuid4().bytes
            op = draw(st.sampled_from(["earn", "earn", "bonus", "received", "redeem", "stamp",
                                       "expire", "reverse"]))
            if op in ("earn", "bonus"):
                note = (draw(st.sampled_from([None, FIRST_PURCHASE, "birthday:2025"]))
                        if op == "bonus" else None)
                mine.append((member, entry, op, draw(st.integers(1, 300)), when, None, note,
                             draw(st.booleans())))
            elif op == "received":
                carried = draw(st.sampled_from([None, -400, 1, 60, 500]))  # days after when
                note = transfer_notes(uuid.uuid4(), uuid.UUID(bytes=member), None
                                      if carried is None else when + timedelta(days=carried))[1]
                # Some a year after the rest: received after ``since``, maybe expired.
                mine.append((member, entry, "transfer", draw(st.integers(1, 300)),
                             when + timedelta(days=draw(st.sampled_from([0, 400]))), None,
                             note, False))
            elif op == "redeem":
                mine.append((member, entry, op, -draw(st.integers(1, 400)), when, None, None,
                             False))
            elif op == "stamp":
                mine.append((member, entry, op, draw(st.integers(-2, 3)), when, None,
                             "card:tea", True))
            elif op == "expire":
                lots = [r[1] for r in mine if r[3] > 0 and r[2] not in ("stamp", "reverse")]
                named = (f"expire:{uuid.UUID(bytes=draw(st.sampled_from(lots)))}"
                         if bool(lots) and draw(st.booleans())
                         else draw(st.sampled_from([None, "expire:?"])))
                mine.append((member, entry, op, -draw(st.integers(1, 100)), when, None, named,
                             False))
            else:
                done = [r for r in mine if r[2] != "reverse"]
                if done:
                    of = draw(st.sampled_from(done))
                    mine.append((member, entry, op, -of[3], when, of[1], None, False))
        rows += mine
    return sorted(rows, key=lambda r: r[0])  # member order; each member's in seq order


PROGRAMS = [parse_program(program_text(extra, version=v))
            for extra, v in ((EXPIRY, "bulk-1"), (PENDING, "bulk-2"),
                             (EXPIRY + BIRTHDAY, "bulk-3"))]


@settings(max_examples=200, deadline=None)
@given(ledgers(), st.sampled_from(PROGRAMS),
       st.sampled_from([at("2026-03-01T00:00"), at("2026-11-20T07:00"), NOW]))
def test_the_fast_path_records_what_the_full_replay_says_is_due(
        rows: list[tuple[Any, ...]], program: Program, when: datetime) -> None:
    job = expiry_bulk.Job("", program, when, earliest_unexpired(program.points, when,
                                                                 program.zone), NOW)
    _, made = expiry_bulk.expiries(job, rows)
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in made] == full_path(program, rows, when)


# -- on PostgreSQL ------------------------------------------------------------------------

@pytest.fixture
def books(pg_url: str) -> Iterator[Ledger]:
    engine = ledger_engine(pg_url)
    migrate(engine)
    ledger = Ledger(engine, lambda: NOW)
    ledger.initialise(parse_program(program_text(EXPIRY)))
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger
    engine.dispose()


def coffee(member_id: uuid.UUID, seq: int, when: datetime) -> EntryWire:
    return EntryWire(id=uuid.uuid4(), member_id=member_id, kind="redeem", points=-60,
                     channel="till-1", occurred_at=when, program_version="2026.2",
                     reward_id="coffee", device_seq=seq)


def expiries_held(ledger: Ledger) -> list[tuple[Any, ...]]:
    with ledger.engine.connect() as conn:
        return sorted(conn.execute(text(
            "SELECT id, member_id, points, occurred_at, note, channel, device_id, seq "
            "FROM entries WHERE kind = 'expire'")).all())


def test_spending_that_lands_after_the_read_is_replayed_under_the_lock(
        books: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    member = members(1)[0]
    first = sale(member, 1, 100, occurred_at=at("2026-01-05T04:00"))
    second = sale(member, 2, 50, occurred_at=at("2026-06-01T04:00"))
    books.upload(KIOSK, UploadRequest(members=[member], entries=[first, second]))
    real = expiry_bulk.expiries
    landed: list[str] = []

    def read_then_a_coffee(job: expiry_bulk.Job, rows: Any) -> Any:
        rows = list(rows)  # the range's read is done: now a kiosk's coffee arrives
        if not landed:
            answer = books.upload(KIOSK, UploadRequest(entries=[
                coffee(member.id, 3, at("2026-08-01T04:00"))]))
            landed.append(answer.results[0].status)
        return real(job, rows)

    monkeypatch.setattr(expiry_bulk, "expiries", read_then_a_coffee)
    report = books.expiry.run(at("2027-03-01T00:00"), workers=1)
    assert landed == ["accepted"]
    # The coffee took 60 of lot 1 (it expires first): 40 are left to expire, not 100.
    assert (report.members, report.entries, report.points) == (1, 1, 40)
    assert books.balance(member.id) == 150 - 60 - 40
    assert books.check() == []


def test_ranges_in_worker_processes_record_what_one_process_does(books: Ledger) -> None:
    group = members(9)
    entries = []
    for i, member in enumerate(group):
        entries += [sale(member, 3 * i + 1, 100 + i, occurred_at=at("2026-01-05T04:00")),
                    sale(member, 3 * i + 2, 20, occurred_at=at("2026-09-01T04:00")),
                    coffee(member.id, 3 * i + 3, at("2026-10-01T04:00"))]
    books.upload(KIOSK, UploadRequest(members=group, entries=entries))
    report = books.expiry.run(NOW, chunk=2, workers=2)  # five ranges, two processes
    assert (report.members, report.entries) == (9, 18)
    assert report.points == sum(100 + i + 20 - 60 for i in range(9))
    held = expiries_held(books)
    assert {(r[1], r[4]) for r in held} == {
        (e.member_id, f"expire:{e.id}") for e in entries if e.kind == "earn"}
    assert all(r[0] == derived_id(r[1], r[4]) and r[5] == r[6] == DERIVED_CHANNEL
               for r in held)
    assert books.check() == []
    assert books.expiry.run(NOW, chunk=2, workers=2).entries == 0  # a rerun: nothing new


def test_two_runs_at_once_record_each_expiry_once(books: Ledger) -> None:
    group = members(12)
    books.upload(KIOSK, UploadRequest(members=group, entries=[
        sale(member, i + 1, 30 + i, occurred_at=at("2026-02-01T04:00"))
        for i, member in enumerate(group)]))
    reports: list[Any] = []
    runs = [threading.Thread(target=lambda: reports.append(
        books.expiry.run(NOW, chunk=3, workers=1))) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert sum(r.entries for r in reports) == 12
    assert len(expiries_held(books)) == 12
    assert books.check() == []


def test_an_expiry_the_ledger_already_holds_is_kept_once_and_seq_stays_gap_free(
        books: Ledger) -> None:
    group = members(3)
    books.upload(KIOSK, UploadRequest(members=group, entries=[
        sale(member, i + 1, 10, occurred_at=at("2026-02-01T04:00"))
        for i, member in enumerate(group)]))
    program = books.current_program()
    job = expiry_bulk.Job(books.engine.url.set(drivername="postgresql").render_as_string(
        hide_password=False), program, NOW, earliest_unexpired(program.points, NOW,
                                                               program.zone), NOW)
    with expiry_bulk.connect(job.url) as conn:
        _, rows = expiry_bulk.expiries(job, expiry_bulk.read_range(conn, None, None))
        for batch in (rows[:1], rows):  # one written, then all three as another run would
            expiry_bulk.stage(conn, batch)
            with conn.transaction():
                (head,) = conn.execute("SELECT last_seq FROM ledger_head WHERE id = 1 "
                                       "FOR UPDATE").fetchone() or (0,)
                expiry_bulk.write(conn, job, head)
    assert len(expiries_held(books)) == 3
    assert books.check() == []
    assert all(books.balance(m.id) == 0 for m in group)


@pytest.fixture(params=["postgres", "sqlite"])
def either(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    url = (request.getfixturevalue("pg_url") if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'ledger.db'}")
    engine = ledger_engine(url)
    migrate(engine)
    ledger = Ledger(engine, lambda: NOW)
    ledger.initialise(parse_program(program_text(EXPIRY)))
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger
    engine.dispose()


def test_an_expiry_that_leaves_the_balance_below_zero_is_an_overdraft(either: Ledger
                                                                      ) -> None:
    member = members(1)[0]
    earned = sale(member, 1, 100, occurred_at=at("2026-01-05T04:00"))  # expires 2027-01-06
    either.upload(KIOSK, UploadRequest(members=[member], entries=[earned]))
    # Two coffees after the lot expired (and before the run said so): no lot pays them.
    either.upload(KIOSK, UploadRequest(entries=[coffee(member.id, 2, at("2027-02-01T04:00")),
                                                coffee(member.id, 3, at("2027-02-02T04:00"))]))
    report = either.expiry.run(at("2027-03-01T00:00"))
    assert (report.entries, report.points) == (1, 100)
    assert either.balance(member.id) == 100 - 120 - 100
    expiry = derived_id(member.id, f"expire:{earned.id}")
    with either.engine.connect() as conn:
        owed = conn.execute(select(m.Overdraft.balance_after, m.Overdraft.channel)
                            .where(m.Overdraft.entry_id == expiry)).all()
    assert [tuple(r) for r in owed] == [(-120, DERIVED_CHANNEL)]
    assert either.check() == []


def test_a_member_with_no_balance_row_gets_one_with_the_expiry_and_its_overdraft(
        books: Ledger) -> None:
    # The run moves balances with an UPDATE; a member the balances don't hold yet (none of
    # a range's should be: they have entries) is inserted, as Ingest would.
    held, bare = members(2)
    books.upload(KIOSK, UploadRequest(members=[held, bare], entries=[
        sale(held, 1, 10, occurred_at=at("2026-02-01T04:00"))]))
    program = books.current_program()
    job = expiry_bulk.Job(books.engine.url.set(drivername="postgresql").render_as_string(
        hide_password=False), program, NOW, earliest_unexpired(program.points, NOW,
                                                               program.zone), NOW)
    rows = [(derived_id(member.id, f"expire:{lot}").hex, member.id.hex, member.id.bytes,
             -points, at("2027-02-02T00:00"), f"expire:{lot}")
            for member, lot, points in ((held, uuid.uuid4(), 4), (bare, uuid.uuid4(), 7))]
    with expiry_bulk.connect(job.url) as conn:
        expiry_bulk.stage(conn, rows)
        with conn.transaction():
            (head,) = conn.execute("SELECT last_seq FROM ledger_head WHERE id = 1 "
                                   "FOR UPDATE").fetchone() or (0,)
            assert expiry_bulk.write(conn, job, head) == (2, -11)
    assert (books.balance(held.id), books.balance(bare.id)) == (10 - 4, -7)
    with books.engine.connect() as conn:
        owed = conn.execute(select(m.Overdraft.member_id, m.Overdraft.balance_after)).all()
    assert [tuple(r) for r in owed] == [(bare.id, -7)]


def test_a_birthday_bonus_ages_from_its_windows_end_on_the_fast_path(books: Ledger) -> None:
    """Dated at its window's start (1 March), granted at any visit in March: the run reads
    its note, so its lot expires 12 months after 31 March, as the counter says."""
    program = parse_program(program_text(EXPIRY + BIRTHDAY, version="bulk-birthday"))
    books.publish_program(program)
    member = MemberWire(id=uuid.uuid4(), name="M", phone="0912000001", channel="till-1",
                        enrolled_at=at("2025-01-01T00:00"), birthday=date(1990, 3, 15))
    note = "birthday:2026"
    bonus = EntryWire(id=derived_id(member.id, note), member_id=member.id, kind="bonus",
                      points=100, channel=DERIVED_CHANNEL, note=note, device_seq=1,
                      occurred_at=local_midnight(date(2026, 3, 1), program.zone),
                      program_version=program.version)
    [result] = books.upload(KIOSK, UploadRequest(members=[member], entries=[bonus])).results
    assert result.status == "accepted"
    # 12 months from its date it would be gone on 2027-03-02; from the window's end, 04-01.
    assert books.expiry.run(at("2027-03-15T00:00"), workers=1).entries == 0
    assert books.expiry.run(at("2027-04-01T00:00"), workers=1).points == 100

"""Given points keep their age (issue 15's transfers): points about to expire, passed back
and forth between two members, expire on the day the first giver's would have, wherever
they are by then: at the ledger (what it holds for a redemption, and its expiry run, per
member on SQLite and in bulk on PostgreSQL) and on a kiosk's member view (available and
"N points expire on ..."). The received side's note carries the day; a program whose
points don't expire carries nothing.

The defect: each received side opened a lot dated at the transfer, with a fresh year."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.ledger import Entry
from kiosk.program import Program, parse_program
from kiosk.services import Kiosk, member_view
from kiosk.services.transfers import transfer
from sync.protocol import PullResponse, UploadRequest
from sync.server.counter import OnlineCounter
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from sync.server.transfers import Transfers
from sync.wire_holds import TransferRequest
from tests.helpers.clock import FakeClock
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import program_text

EXPIRY = '\n[points]\nexpiry = { after = "months", months = 12 }\n'
TRANSFERS = "\n[transfers]\nmin_points = 10\nmax_points = 500\n"
EARNED = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)  # mum's 120: last usable 2027-01-05
LAST_DAY = date(2027, 1, 5)
EXPIRED = datetime(2027, 1, 5, 16, 0, tzinfo=UTC)  # Taipei's midnight after it
OWN = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # the son's own 20: last usable 2027-11-01


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(EXPIRY + TRANSFERS))


@pytest.fixture(params=["postgres", "sqlite"])
def books(request: pytest.FixtureRequest, tmp_path: Path, program: Program,
          clock: FakeClock) -> Iterator[Ledger]:
    url = (request.getfixturevalue("pg_url") if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'ledger.db'}")
    engine = ledger_engine(url)
    migrate(engine)
    ledger = Ledger(engine, clock)
    ledger.initialise(program)
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger
    engine.dispose()


def family(books: Ledger) -> tuple[uuid.UUID, uuid.UUID]:
    """Mum, with 120 points earned 10½ months ago, and her son, with 20 of his own."""
    mum, son = members(2)
    answer = books.upload(KIOSK, UploadRequest(members=[mum, son], entries=[
        sale(mum, 1, 120, occurred_at=EARNED), sale(son, 2, 20, occurred_at=OWN)]))
    assert [r.status for r in answer.results] == ["accepted"] * 2
    return mum.id, son.id


def back_and_forth(clock: FakeClock, move: Callable[[str, str, int], object]) -> None:
    """Mum gives her 120 to her son (2026-11-20), he gives them back two weeks later, she
    gives them again two weeks after that (2026-12-18): the son holds them, 18 days before
    they expire."""
    for n, (giver, receiver) in enumerate((("mum", "son"), ("son", "mum"), ("mum", "son"))):
        if n:
            clock.advance(days=14)
        move(giver, receiver, 120)


def test_points_passed_back_and_forth_expire_at_the_ledger_when_mums_would_have(
        books: Ledger, clock: FakeClock) -> None:
    mum, son = family(books)
    who = {"mum": mum, "son": son}
    transfers = Transfers(counter := OnlineCounter(books))
    notes: list[str | None] = []

    def move(giver: str, receiver: str, points: int) -> None:
        made = transfers.transfer(KIOSK, TransferRequest(
            id=uuid.uuid4(), from_member=who[giver], to_member=who[receiver], points=points))
        notes.append(made.entries[1].note)

    back_and_forth(clock, move)

    def available(member: uuid.UUID) -> int:
        with books.engine.begin() as conn:
            return counter.available_points(conn, member)

    assert (available(mum), available(son)) == (0, 140)
    clock.now = EXPIRED - timedelta(microseconds=1)
    assert books.expire().entries == 0  # the last usable day is not over yet
    clock.now = EXPIRED
    assert (available(mum), available(son)) == (0, 20)  # his own 20 are left
    report = books.expire()  # per member on SQLite, in bulk on PostgreSQL
    assert (report.entries, report.points) == (1, 120)
    assert (books.balance(mum), books.balance(son)) == (0, 20)
    assert books.check() == []
    assert books.expire(EXPIRED + timedelta(days=30)).entries == 0
    # Each received side says when its points expire at the latest: mum's day.
    assert notes == [f"transfer:from:{giver};expires:2027-01-05T16:00:00+00:00"
                     for giver in (mum, son, mum)]


class LedgerHere:
    """The kiosk's authoriser for transfers: the ledger's own, in this process, on the
    test's clock (the kiosk then keeps the two entries, as after a real call)."""

    def __init__(self, books: Ledger) -> None:
        self.transfers = Transfers(OnlineCounter(books))

    def transfer(self, transfer_id: uuid.UUID, giver: uuid.UUID, receiver: uuid.UUID,
                 points: int) -> list[tuple[Entry, int]]:
        made = self.transfers.transfer(KIOSK, TransferRequest(
            id=transfer_id, from_member=giver, to_member=receiver, points=points))
        return [(wire.to_entry(), wire.seq or 0) for wire in made.entries]


def pull(kiosk: Kiosk, books: Ledger, after: int = 0) -> int:
    """What the kiosk's sync brings: the members and entries the ledger holds after
    ``after``; the cursor after them."""
    page = books.pull(after, 1000)
    with kiosk.store.write() as tx:
        tx.pulled.apply([w.to_member() for w in page.members], [],
                        [(w.to_entry(), w.seq or 0) for w in page.entries])
    return page.next_after


def test_the_member_view_says_they_expire_on_mums_day_and_then_they_are_gone(
        kiosk: Kiosk, books: Ledger, clock: FakeClock) -> None:
    mum, son = family(books)
    cursor = pull(kiosk, books)
    kiosk.authoriser = LedgerHere(books)  # type: ignore[assignment]
    who = {"mum": mum, "son": son}
    back_and_forth(clock, lambda giver, receiver, points: transfer(
        kiosk, who[giver], who[receiver], points))
    view = member_view(kiosk, son)
    assert view.points is not None
    assert (view.balance, view.points.available) == (140, 140)
    assert view.points.expiring == ((LAST_DAY, 120),)  # "120 expire on 2027-01-05"
    clock.now = EXPIRED
    for member, available in ((mum, 0), (son, 20)):
        points = member_view(kiosk, member).points
        assert points is not None and (points.available, points.expiring) == (available, ())
    books.expire()
    pull(kiosk, books, cursor)  # the ledger's expiry comes to the kiosk: 20 remain
    view = member_view(kiosk, son)
    assert view.points is not None
    assert (view.balance, view.points.available) == (20, 20)


def test_a_program_without_expiry_carries_nothing(tmp_path: Path, clock: FakeClock) -> None:
    engine = ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    books = Ledger(engine, clock)
    books.initialise(parse_program(program_text(TRANSFERS)))
    books.add_device(KIOSK.device_id, "kiosk")
    mum, son = family(books)
    made = Transfers(OnlineCounter(books)).transfer(KIOSK, TransferRequest(
        id=uuid.uuid4(), from_member=mum, to_member=son, points=100))
    assert [e.note for e in made.entries] == [f"transfer:to:{son}", f"transfer:from:{mum}"]
    engine.dispose()


def test_a_transfer_from_two_lots_expires_only_the_points_that_were_about_to(
        books: Ledger, clock: FakeClock) -> None:
    """Mum has 10 points about to expire (2027-01-05) and 490 that last until 2027-11-01;
    she gives 500 to her son. Each part keeps its own day: on 2027-01-06 he has lost the
    10 that mum would have, no more (the receiving side carried the first lot's day for
    all 500 at first: 490 points lost)."""
    mum, son = members(2)
    answer = books.upload(KIOSK, UploadRequest(members=[mum, son], entries=[
        sale(mum, 1, 10, occurred_at=EARNED), sale(mum, 2, 490, occurred_at=OWN)]))
    assert [r.status for r in answer.results] == ["accepted"] * 2
    clock.now = datetime(2026, 11, 20, 4, tzinfo=UTC)
    made = Transfers(OnlineCounter(books)).transfer(KIOSK, TransferRequest(
        id=uuid.uuid4(), from_member=mum.id, to_member=son.id, points=500))
    assert [e.points for e in made.entries] == [-500, 10, 490]
    clock.now = EXPIRED + timedelta(days=1)
    books.expire()
    assert books.balance(son.id) == 490


FORGED = "transfer:from:{};expires:{}"


def forged(books: Ledger, when: str) -> uuid.UUID:
    """A device's adjustment whose note looks like a received transfer's, carrying a time
    no transfer can (a device may write any note on an adjustment)."""
    mum, son = members(2)
    adjust = sale(mum, 2, 50, kind="adjust", amount_minor=0, order_ref=None,
                  occurred_at=EARNED, note=FORGED.format(son.id, when))
    answer = books.upload(KIOSK, UploadRequest(members=[mum, son], entries=[
        sale(mum, 1, 120, occurred_at=EARNED), adjust]))
    assert [r.status for r in answer.results] == ["accepted"] * 2
    return mum.id


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "1969-12-31T00:00:00+00:00"])
def test_an_adjustment_that_looks_like_a_transfer_breaks_no_replay(
        kiosk: Kiosk, books: Ledger, clock: FakeClock, when: str) -> None:
    """Found by review: the first time parses and overflows in UTC, and every replay of
    the member raised (the ledger's holds a 500, its expiry run for the whole chain, the
    kiosk's member scan); the second dated an expiry in 1969, which no kiosk's pull could
    read (sync stopped everywhere). Only a transfer's note carries an expiry now, and a
    time before the entry carries none."""
    mum = forged(books, when)
    with books.engine.begin() as conn:
        assert OnlineCounter(books).available_points(conn, mum) == 170
    pull(kiosk, books)
    assert member_view(kiosk, mum).balance == 170
    clock.now = EARNED + timedelta(days=400)
    report = books.expire()
    assert report.entries == 2  # both lots, each on its own day
    page = books.pull(0, 1000)
    PullResponse.model_validate_json(page.model_dump_json())  # what a kiosk's client reads
    assert books.balance(mum) == 0

"""The ledger's referral run (issue 14, point 4), on PostgreSQL and SQLite: the referrer's
points once the referred member's first qualifying purchase is past the return window,
once however often (or however many at once) it runs; a referrer the ledger doesn't know
and a member who names themselves get nothing; a kiosk can't grant one itself."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.audit import Rejected
from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.orders import derived_id
from kiosk.program import parse_program
from sync.protocol import EntryWire, MemberWire, UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from sync.server.referrals import Referrals
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import program_text

REFERRAL = '''
[bonuses.referral]
referrer_points = 100
min_amount = 500

[points]
pending_days = 14
'''
NOW = datetime(2027, 1, 10, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def books(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    url = (request.getfixturevalue("pg_url") if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'ledger.db'}")
    engine = ledger_engine(url)
    migrate(engine)
    ledger = Ledger(engine, lambda: NOW)
    ledger.initialise(parse_program(program_text(REFERRAL)))
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger
    engine.dispose()


def referrals(ledger: Ledger) -> Referrals:
    return Referrals(ledger.engine, ledger.clock, ledger.programs, ledger.ingest)


class Till:
    """till-1's uploads, numbered in order."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger, self.seq = ledger, 0

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def send(self, members: list[MemberWire], entries: list[EntryWire]) -> list[str]:
        answer = self.ledger.upload(KIOSK, UploadRequest(members=members, entries=entries))
        return [r.status for r in answer.results]

    def buy(self, member: MemberWire, amount: int, when: str) -> EntryWire:
        """A purchase of NT$``amount`` (a point per NT$100)."""
        earn = sale(member, self.next_seq(), amount // 100, amount_minor=amount,
                    occurred_at=at(when))
        assert self.send([], [earn]) == ["accepted"]
        return earn

    def refund(self, earn: EntryWire, when: str) -> None:
        back = EntryWire(id=uuid.uuid4(), member_id=earn.member_id, kind="reverse",
                         points=-earn.points, amount_minor=-earn.amount_minor,
                         channel=earn.channel, occurred_at=at(when), order_ref=earn.order_ref,
                         program_version=earn.program_version, reverses=earn.id,
                         device_seq=self.next_seq())
        assert self.send([], [back]) == ["accepted"]


def pair(till: Till) -> tuple[MemberWire, MemberWire]:
    """A referrer and the member they brought, on the ledger."""
    referrer, friend = members(2)
    friend = friend.model_copy(update={"referrer_id": referrer.id})
    assert till.send([referrer, friend], []) == []
    return referrer, friend


def test_the_referrer_earns_once_when_the_first_qualifying_purchase_is_past_the_window(
        books: Ledger) -> None:
    till = Till(books)
    referrer, friend = pair(till)
    till.buy(friend, 400, "2026-03-01T04:00")  # below NT$500: doesn't count
    till.buy(friend, 800, "2026-03-05T04:00")  # the first that does: its window closes 03-19
    run = referrals(books)
    before = books.balance(referrer.id)

    assert run.run(at("2026-03-19T03:59")).entries == 0
    report = run.run(at("2026-03-19T04:00"))
    assert (report.members, report.entries, report.points) == (1, 1, 100)
    assert books.balance(referrer.id) == before + 100
    assert run.run(at("2026-03-20T00:00")).entries == 0  # a rerun makes nothing new
    assert run.run().entries == 0  # nor a run much later, with the ledger's clock
    assert books.balance(referrer.id) == before + 100

    [bonus] = [e for e in books.pull(0, 100).entries if e.channel == DERIVED_CHANNEL]
    assert bonus.id == derived_id(referrer.id, f"referral:{friend.id}")
    assert (bonus.member_id, bonus.kind, bonus.points, bonus.note, bonus.occurred_at,
            bonus.amount_minor, bonus.program_version) == (
        referrer.id, "bonus", 100, f"referral:{friend.id}", at("2026-03-19T04:00"), 0, "2026.2")
    assert books.balance(friend.id) == 4 + 8  # the friend's own points only
    assert books.check() == []


def test_a_refunded_purchase_does_not_count_but_the_next_one_does(books: Ledger) -> None:
    till = Till(books)
    referrer, friend = pair(till)
    big = till.buy(friend, 2_000, "2026-03-01T04:00")
    till.refund(big, "2026-03-02T04:00")
    assert referrals(books).run(at("2026-06-01T00:00")).entries == 0
    till.buy(friend, 600, "2026-06-01T04:00")
    assert referrals(books).run(at("2026-06-15T03:00")).entries == 0
    assert referrals(books).run(at("2026-06-16T00:00")).points == 100
    [bonus] = [e for e in books.pull(0, 100).entries if e.channel == DERIVED_CHANNEL]
    assert (bonus.member_id, bonus.occurred_at) == (referrer.id, at("2026-06-15T04:00"))


def test_an_unknown_referrer_or_a_member_who_names_themselves_gets_nothing(
        books: Ledger) -> None:
    till = Till(books)
    stranger, selfish = members(2)
    stranger = stranger.model_copy(update={"referrer_id": uuid.uuid4()})  # not on the ledger
    selfish = selfish.model_copy(update={"referrer_id": selfish.id})
    assert till.send([stranger, selfish], []) == []
    till.buy(stranger, 1_000, "2026-03-01T04:00")
    till.buy(selfish, 1_000, "2026-03-01T04:00")
    report = referrals(books).run(at("2026-12-01T00:00"))
    assert (report.members, report.entries) == (0, 0)
    assert books.balance(selfish.id) == 10


def test_a_program_without_the_referral_bonus_grants_none(ledger: Ledger) -> None:
    assert ledger.current_program().bonuses.referral is None  # the plain program's
    assert referrals(ledger).run(NOW).members == 0


def test_two_runs_at_once_grant_each_bonus_once(books: Ledger) -> None:
    till = Till(books)
    referrer = members(1)[0]
    friends = [f.model_copy(update={"referrer_id": referrer.id}) for f in members(12)]
    assert till.send([referrer, *friends], []) == []
    for friend in friends:
        till.buy(friend, 500, "2026-03-01T04:00")
    before = books.balance(referrer.id)
    reports = []

    def run() -> None:
        reports.append(referrals(books).run(at("2026-04-01T00:00"), chunk=3))

    runs = [threading.Thread(target=run) for _ in range(2)]
    for t in runs:
        t.start()
    for t in runs:
        t.join()
    assert sum(r.entries for r in reports) == 12
    assert sum(r.points for r in reports) == 1_200
    assert books.balance(referrer.id) == before + 1_200
    bonuses = [e for e in books.pull(0, 1_000).entries if e.channel == DERIVED_CHANNEL]
    assert sorted(e.note or "" for e in bonuses) == sorted(f"referral:{f.id}" for f in friends)
    assert {e.occurred_at for e in bonuses} == {at("2026-03-15T04:00")}
    assert books.check() == []


def test_a_kiosk_that_uploads_a_referral_bonus_is_refused_and_the_ledger_grants_it(
        books: Ledger) -> None:
    till = Till(books)
    referrer, friend = pair(till)
    till.buy(friend, 800, "2026-03-05T04:00")
    forged = EntryWire(id=derived_id(referrer.id, f"referral:{friend.id}"),
                       member_id=referrer.id, kind="bonus", points=100,
                       channel=DERIVED_CHANNEL, occurred_at=at("2026-03-19T04:00"),
                       program_version="2026.2", note=f"referral:{friend.id}",
                       device_seq=till.next_seq())
    answer = books.upload(KIOSK, UploadRequest(entries=[forged]))
    [result] = answer.results
    assert (result.status, result.code) == ("rejected", Rejected.DERIVED.value)
    assert "granted by the ledger alone" in (result.reason or "")
    before = books.balance(referrer.id)
    assert referrals(books).run(at("2026-03-19T04:00")).entries == 1  # the ledger's own
    assert books.balance(referrer.id) == before + 100

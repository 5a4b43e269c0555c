"""An expiry never takes points a spend took, however late the spend reaches the ledger
(issue 14; review 28a): an offline kiosk's coffee, dated before a lot expired, arrives after
the run that expired the lot. The ledger numbers a reversal of that much of the expiry
just before the spend (sync/server/late_spends.py), so the member ends where they would
have had the coffee come first: on the ledger and, as the replay is the same, on kiosks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.orders import derived_id
from kiosk.program import parse_program
from sync.protocol import EntryWire, MemberWire, UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import program_text

EXPIRY = '\n[points]\nexpiry = { after = "months", months = 12 }\n'
NOW = datetime(2028, 1, 10, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture(params=["postgres", "sqlite"])
def books(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    url = (request.getfixturevalue("pg_url") if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'ledger.db'}")
    engine = ledger_engine(url)
    migrate(engine)
    ledger = Ledger(engine, lambda: NOW)
    ledger.initialise(parse_program(program_text(EXPIRY)))
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger
    engine.dispose()


def coffee(member_id: uuid.UUID, when: datetime, seq: int, points: int = 60) -> EntryWire:
    return EntryWire(id=uuid.uuid4(), member_id=member_id, kind="redeem", points=-points,
                     channel="till-1", occurred_at=when, program_version="2026.2",
                     reward_id="coffee", device_seq=seq)


def upload(books: Ledger, member: MemberWire, entries: list[EntryWire]) -> list[str]:
    return [r.status for r in books.upload(KIOSK, UploadRequest(
        members=[member], entries=entries)).results]


def history(books: Ledger, late_spend: bool) -> tuple[uuid.UUID, EntryWire]:
    """Lot 1: 100 (2026-01-05, last day 2027-01-05), lot 2: 50 (2026-06-01), a coffee of 60
    at 2026-08-01 (an offline kiosk's: ``late_spend`` sends it after the expiry run of
    2027-03-01), then lot 3: 100 on 2027-04-01 and the run of 2027-07-01."""
    member = members(1)[0]
    first = sale(member, 1, 100, occurred_at=at("2026-01-05T04:00"))
    second = sale(member, 2, 50, occurred_at=at("2026-06-01T04:00"))
    spend = coffee(member.id, at("2026-08-01T04:00"), 3)
    assert set(upload(books, member, [first, second] + ([] if late_spend else [spend]))) \
        == {"accepted"}
    books.expire(at("2027-03-01T00:00"))
    later = ([spend] if late_spend else []) + [
        sale(member, 4, 100, occurred_at=at("2027-04-01T04:00"))]
    assert set(upload(books, member, later)) == {"accepted"}
    books.expire(at("2027-07-01T00:00"))
    return member.id, spend


def test_an_expiry_never_takes_points_a_late_offline_spend_took(books: Ledger) -> None:
    """The same facts, the spend reaching the ledger before or after the expiry run: the
    member ends with the same balance (lot 1's 40 unspent and lot 2's 50 expire)."""
    member, _ = history(books, late_spend=False)
    assert books.balance(member) == 100  # 250 earned - 60 spent - 40 - 50 expired
    member, spend = history(books, late_spend=True)
    assert books.balance(member) == 100, "the expiry took points the coffee had taken"
    with books.engine.connect() as conn:
        overdrafts = conn.exec_driver_sql("SELECT count(*) FROM overdrafts").scalar()
    assert overdrafts == 0, "the coffee overdrew on the way"
    entries = [e for e in books.pull(0, 100).entries if e.member_id == member]
    [expiry] = [e for e in entries if e.kind == "expire" and e.points == -100]
    [fix] = [e for e in entries if e.kind == "reverse"]
    assert (fix.points, fix.reverses, fix.channel, fix.occurred_at, fix.id) == (
        60, expiry.id, DERIVED_CHANNEL, spend.occurred_at,
        derived_id(member, f"unexpire:{expiry.id}:{spend.id}"))
    assert [e.id for e in entries].index(fix.id) + 1 == [e.id for e in entries].index(spend.id)
    assert books.check() == []


def test_a_late_spend_sent_again_is_corrected_once(books: Ledger) -> None:
    member, spend = history(books, late_spend=True)
    before = len(books.pull(0, 100).entries)
    again = books.upload(KIOSK, UploadRequest(entries=[spend]))
    assert [r.status for r in again.results] == ["duplicate"]
    assert len(books.pull(0, 100).entries) == before
    assert books.balance(member) == 100


def test_two_late_spends_take_what_the_expiry_took_and_no_more(books: Ledger) -> None:
    """Lot 1's 100 expired whole; two coffees of 60 dated before it arrive after: the first
    takes 60 of it, the second its last 40 and 20 of lot 2, as if both had come in time."""
    member = members(1)[0]
    first = sale(member, 1, 100, occurred_at=at("2026-01-05T04:00"))
    second = sale(member, 2, 50, occurred_at=at("2026-06-01T04:00"))
    assert upload(books, member, [first, second]) == ["accepted"] * 2
    assert books.expire(at("2027-03-01T00:00")).points == 100
    assert upload(books, member, [coffee(member.id, at("2026-08-01T04:00"), 3),
                                  coffee(member.id, at("2026-09-01T04:00"), 4)]) \
        == ["accepted"] * 2
    assert books.balance(member.id) == 150 - 120  # nothing of lot 1 expired after all
    assert books.expire(at("2027-07-01T00:00")).points == 30  # lot 2's last 30
    assert books.balance(member.id) == 0
    assert books.check() == []


def test_a_spend_numbered_after_a_later_sale_does_not_revive_expired_points(
        books: Ledger) -> None:
    """A device whose own numbering shows a spend was made after the expiry (its sale no. 2
    dated after the run, then no. 3 dated long before: a clock set back, or a stolen
    token) gets no expired points back for it: an ordinary overdraft (review 28c)."""
    member = members(1)[0]
    assert upload(books, member, [sale(member, 1, 100, occurred_at=at("2026-01-05T04:00"))]) \
        == ["accepted"]
    assert books.expire(at("2027-03-01T00:00")).points == 100
    assert upload(books, member, [sale(member, 2, 5, occurred_at=at("2027-04-01T04:00"))]) \
        == ["accepted"]
    assert upload(books, member, [coffee(member.id, at("2026-08-01T04:00"), 3)]) \
        == ["accepted"]
    entries = [e for e in books.pull(0, 100).entries if e.member_id == member.id]
    assert [e for e in entries if e.kind == "reverse"] == [], "expired points spent"
    assert books.balance(member.id) == 5 - 60  # an overdraft, as any spend past the balance


def test_a_back_dated_spend_in_the_same_batch_as_a_later_sale_is_not_corrected(
        books: Ledger) -> None:
    member = members(1)[0]
    assert upload(books, member, [sale(member, 1, 100, occurred_at=at("2026-01-05T04:00"))]) \
        == ["accepted"]
    assert books.expire(at("2027-03-01T00:00")).points == 100
    assert upload(books, member, [sale(member, 2, 5, occurred_at=at("2027-04-01T04:00")),
                                  coffee(member.id, at("2026-08-01T04:00"), 3)]) \
        == ["accepted"] * 2
    assert [e for e in books.pull(0, 100).entries if e.kind == "reverse"] == []
    assert books.balance(member.id) == 5 - 60

"""A kiosk replays a member's lots in the ledger's order (its seq), as the ledger does:
an expiry entry is dated in the past (its lot's expires_at) and an offline spend may
reach the ledger after the expiry run, dated before it, so ordered by time the kiosk
said another number than the ledger for what the member may spend (review 28a: the
counter said 40 available, the ledger 90)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.app.bootstrap import initialise_standalone
from kiosk.program import parse_program
from kiosk.records import CardRecord
from kiosk.services.views import member_points
from kiosk.wallets import lean_points_summary, points_summary
from sync.protocol import EntryWire, UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.entry_rows import member_entries, member_lot_rows
from sync.server.ledger import Ledger
from tests.helpers.clock import FakeClock
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import program_text

EXPIRY = '\n[points]\nexpiry = { after = "months", months = 12 }\n'
NOW = datetime(2028, 1, 10, tzinfo=UTC)
PROGRAM = parse_program(program_text(EXPIRY))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture(params=["postgres", "sqlite"])
def books(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    url = (request.getfixturevalue("pg_migrated_url") if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'ledger.db'}")
    engine = ledger_engine(url)
    migrate(engine)
    ledger = Ledger(engine, lambda: NOW)
    ledger.initialise(PROGRAM)
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger
    engine.dispose()


def late_offline_spend(books: Ledger) -> uuid.UUID:
    """Lot 1: 100 (2026-01-05, last day 2027-01-05), lot 2: 50 (2026-06-01), a coffee of 60
    at 2026-08-01 from an offline kiosk that reaches the ledger after the expiry run of
    2027-03-01, then lot 3: 100 on 2027-04-01 and the expiry run of 2027-07-01."""
    member = members(1)[0]
    first = sale(member, 1, 100, occurred_at=at("2026-01-05T04:00"))
    second = sale(member, 2, 50, occurred_at=at("2026-06-01T04:00"))
    coffee = EntryWire(id=uuid.uuid4(), member_id=member.id, kind="redeem", points=-60,
                       channel="till-1", occurred_at=at("2026-08-01T04:00"),
                       program_version="2026.2", reward_id="coffee", device_seq=3)
    later = sale(member, 4, 100, occurred_at=at("2027-04-01T04:00"))
    for entries, expiry_run in (([first, second], "2027-03-01"),
                                ([coffee, later], "2027-07-01")):
        assert {r.status for r in books.upload(KIOSK, UploadRequest(
            members=[member], entries=entries)).results} == {"accepted"}
        books.expire(at(expiry_run))
    return member.id


def test_a_kiosk_and_the_ledger_agree_on_the_points_available(books: Ledger,
                                                             tmp_path: Path) -> None:
    member = late_offline_spend(books)
    when = at("2027-07-02T00:00")
    with books.engine.connect() as conn:  # as the ledger's holds read it
        ledger_view = (lean_points_summary(PROGRAM, member_lot_rows(conn, member), when)
                       or points_summary(PROGRAM, member_entries(conn, member), when))

    kiosk = initialise_standalone(tmp_path / "kiosk", store_name="Other store",
                                  program=PROGRAM, device_id="till-9", clock=FakeClock())
    try:
        page = books.pull(0, 1000)
        with kiosk.store.write() as tx:  # what SyncAgent._pull applies
            tx.pulled.apply(
                [w.to_member() for w in page.members],
                [CardRecord(c.card_no, c.member_id, c.key_id, c.payload, c.issued_at)
                 for c in page.cards],
                [(w.to_entry(), w.seq or 0) for w in page.entries])
        with kiosk.store.read() as tx:
            assert tx.entries.balance(member) == books.balance(member)
            kiosk_view = member_points(tx, PROGRAM, member, when)
    finally:
        kiosk.store.close()
    assert kiosk_view is not None
    assert (kiosk_view.balance, kiosk_view.available) == (
        ledger_view.balance, ledger_view.available)

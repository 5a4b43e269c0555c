"""A referral end to end (issue 14, point 4), on PostgreSQL and SQLite: one kiosk enrols the
referrer, another enrols the friend they brought and rings up the friend's first purchase;
after the return window `kiosk ledger referrals` grants the referrer's points once, and a
kiosk that syncs shows them. The command's usage errors; `kiosk ledger serve` runs it."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.engine.orders import derived_id
from kiosk.program import parse_program
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale, verify_store
from sync.client import LedgerClient
from sync.protocol import UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from tests.helpers.cli import kiosk_json
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import program_text

REFERRAL = '''
[bonuses.referral]
referrer_points = 100
min_amount = 500

[points]
pending_days = 7
'''


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "program.toml"
    path.write_text(program_text(REFERRAL, version="2026.2-referral"), encoding="utf-8")
    parse_program(path.read_text(encoding="utf-8"))  # the test's own program is valid
    return path


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path, document: Path):
    db = (request.getfixturevalue("pg_url") if request.param == "postgres"
          else f"sqlite:///{tmp_path / 'ledger' / 'ledger.db'}")
    (tmp_path / "ledger").mkdir()
    process = LedgerProcess(db, tmp_path / "ledger", program=document)
    process.start()
    yield process
    process.kill()


def test_the_referrer_gets_the_bonus_once_after_the_window_and_every_kiosk_sees_it(
        ledger: LedgerProcess, tmp_path: Path, document: Path) -> None:
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    b.agent().sync_once()  # b trusts a's card key
    referrer = enrol(a.kiosk, Enrolment("林志明", "0912000001", consent=True))
    a.agent().sync_once()
    b.agent().sync_once()  # b knows the referrer now
    friend = enrol(b.kiosk, Enrolment("陳美玲", "0912000002", referrer_id=referrer.member.id,
                                      consent=True))
    bought = ring_up_sale(b.kiosk, Sale(friend.member.id, 800))  # NT$800: 8 points
    b.agent().sync_once()
    [earn] = [e for e in bought.entries if e.kind == "earn"]

    def referrals(when: datetime) -> dict[str, object]:
        return ledger.cli("referrals", "--at", when.isoformat(), "--program", str(document))

    closes = earn.occurred_at + timedelta(days=7)
    assert referrals(closes - timedelta(minutes=1)) == {"members": 0, "entries": 0,
                                                         "points": 0}
    assert referrals(closes + timedelta(hours=1)) == {"members": 1, "entries": 1,
                                                      "points": 100}
    assert referrals(closes + timedelta(days=30))["entries"] == 0  # once

    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    history = shop.member(referrer.member.id)
    assert history.balance == 50 + 100  # the sign-up bonus and the referral
    [bonus] = [e for e in history.entries if e.channel == "program"]
    assert (bonus.id, bonus.note, bonus.occurred_at) == (
        derived_id(referrer.member.id, f"referral:{friend.member.id}"),
        f"referral:{friend.member.id}", closes)
    for k in (a, b):
        k.agent().sync_once()
        assert identify(k.kiosk, referrer.card.payload).balance == 50 + 100
        assert identify(k.kiosk, friend.card.payload).balance == 50 + 8
        assert verify_store(k.kiosk).ok
        with k.kiosk.store.read() as tx:
            assert tx.outbox.rejections() == []
    for k in (a, b):
        k.kiosk.store.close()


def test_the_referrals_command_refuses_a_time_without_an_offset(tmp_path: Path,
                                                                document: Path) -> None:
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    done = kiosk_json(tmp_path, "ledger", "referrals", "--db", db, "--program", str(document),
                      "--at", "2027-03-01T00:00:00+08:00")
    assert done == {"members": 0, "entries": 0, "points": 0}
    for bad, says in (("2027-03-01", "needs its UTC offset"), ("soon", "is not a time")):
        refused = kiosk_json(tmp_path, "ledger", "referrals", "--db", db, "--at", bad,
                             expect=1)
        assert says in json.dumps(refused)


def test_the_ledger_service_grants_due_referrals_as_it_starts(tmp_path: Path,
                                                              document: Path) -> None:
    """`kiosk ledger serve` runs the referrals with the expiry (`--expire-every`): at start,
    then every so often."""
    db = f"sqlite:///{tmp_path / 'ledger' / 'ledger.db'}"
    (tmp_path / "ledger").mkdir()
    engine = ledger_engine(db)
    migrate(engine)
    books = Ledger(engine, lambda: datetime.now(UTC))
    books.initialise(parse_program(document.read_text(encoding="utf-8")))
    books.add_device(KIOSK.device_id, "kiosk")
    referrer, friend = members(2)
    friend = friend.model_copy(update={"referrer_id": referrer.id})
    month_ago = datetime.now(UTC) - timedelta(days=30)
    answer = books.upload(KIOSK, UploadRequest(members=[referrer, friend], entries=[
        sale(friend, 1, 8, amount_minor=800, occurred_at=month_ago,
             program_version="2026.2-referral")]))
    assert [r.status for r in answer.results] == ["accepted"]
    assert books.balance(referrer.id) == 0
    process = LedgerProcess(db, tmp_path / "ledger", program=document)
    process.start()
    try:
        deadline = time.monotonic() + 30
        while books.balance(referrer.id) != 100 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert books.balance(referrer.id) == 100
    finally:
        process.kill()
        engine.dispose()

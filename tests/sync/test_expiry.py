"""The ledger's expiry run (issue 14, points that expire): lot by lot in expiry order, never
a spent point, once however often it runs, on PostgreSQL and SQLite; and a kiosk agrees
with it after a pull."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.orders import derived_id
from kiosk.program import parse_program
from sync.protocol import EntryWire, UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from tests.helpers.cli import kiosk_json
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import program_text

EXPIRY = '\n[points]\nexpiry = { after = "months", months = 12 }\n'
NOW = datetime(2028, 1, 10, tzinfo=UTC)


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


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_points_expire_lot_by_lot_in_expiry_order_and_never_a_spent_one(books: Ledger):
    member = members(1)[0]
    first = sale(member, 1, 100, occurred_at=at("2026-01-05T04:00"))  # lot 1: 100
    second = sale(member, 2, 50, occurred_at=at("2026-06-01T04:00"))  # lot 2: 50
    coffee = EntryWire(id=uuid.uuid4(), member_id=member.id, kind="redeem", points=-60,
                       channel="till-1", occurred_at=at("2026-08-01T04:00"),
                       program_version="2026.2", reward_id="coffee", device_seq=3)
    answer = books.upload(KIOSK, UploadRequest(members=[member],
                                               entries=[first, second, coffee]))
    assert [r.status for r in answer.results] == ["accepted"] * 3

    # Lot 1 expires 2027-01-06 (Taipei): the coffee took 60 of it, 40 are left to expire.
    report = books.expire(at("2027-03-01T00:00"))
    assert (report.entries, report.points) == (1, 40)
    assert books.balance(member.id) == 150 - 60 - 40
    assert books.expire(at("2027-03-02T00:00")).entries == 0  # nothing more is due
    assert books.expire(at("2027-03-01T00:00")).entries == 0  # a rerun makes nothing new

    later = books.expire()  # 2028-01-10: lot 2's 50 are due too
    assert (later.entries, later.points) == (1, 50)
    assert books.balance(member.id) == 0
    history = books.pull(0, 100)
    expiries = [e for e in history.entries if e.kind == "expire"]
    assert [(e.points, e.channel, e.note) for e in expiries] == [
        (-40, DERIVED_CHANNEL, f"expire:{first.id}"), (-50, DERIVED_CHANNEL,
                                                       f"expire:{second.id}")]
    assert expiries[0].id == derived_id(member.id, f"expire:{first.id}")
    assert books.check() == []


def test_a_program_without_expiry_expires_nothing(ledger: Ledger):
    assert ledger.current_program().points.expiry is None  # the default program's
    assert ledger.expire(NOW).members == 0


def test_the_expiry_command_says_what_it_did_and_refuses_a_time_without_an_offset(
        tmp_path: Path):
    document = tmp_path / "program.toml"
    document.write_text(program_text(EXPIRY), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    done = kiosk_json(tmp_path, "ledger", "expire", "--db", db, "--program", str(document),
                      "--at", "2027-03-01T00:00:00+08:00")
    assert done == {"members": 0, "entries": 0, "points": 0}
    refused = kiosk_json(tmp_path, "ledger", "expire", "--db", db, "--at", "2027-03-01",
                         expect=1)
    assert "needs its UTC offset" in json.dumps(refused)

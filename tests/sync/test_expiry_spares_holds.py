"""The expiry run never takes points a live hold promised (issue 14: expiry never takes a
spent point; review 28a): a counter holds a member's points a minute before their lot
expires, the run at midnight leaves that member alone, and the confirmed redemption takes
the points the hold promised. A hold voided instead gives the points back to the lot, and
the next run expires them, the same entry as if there had been no hold."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.engine.orders import derived_id
from kiosk.program import parse_program
from sync.protocol import EntryWire, UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.expiry_bulk import LONGEST_HOLD
from sync.server.holds import MAX_HOLD, Holds
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import program_text

EXPIRY = '\n[points]\nexpiry = { after = "months", months = 12 }\n'
EARNED = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)
# Earned 2026-01-05 (Taipei): last usable day 2027-01-05, expires 2027-01-06 00:00 +08:00.
LOT_EXPIRES = datetime(2027, 1, 5, 16, 0, tzinfo=UTC)


class Clock:
    now = EARNED

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["postgres", "sqlite"])
def books(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Ledger, Clock]]:
    url = (request.getfixturevalue("pg_url") if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'ledger.db'}")
    engine = ledger_engine(url)
    migrate(engine)
    clock = Clock()
    ledger = Ledger(engine, clock)
    ledger.initialise(parse_program(program_text(EXPIRY)))
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger, clock
    engine.dispose()


def held_at_the_lots_last_minute(ledger: Ledger, clock: Clock) -> tuple[uuid.UUID, EntryWire]:
    """A lot of 100, and a hold on all of it at 23:59 of its last day; then the nightly run
    at midnight, with the hold still live. The lot's id and the held redemption."""
    member = members(1)[0]
    earn = sale(member, 1, 100, occurred_at=EARNED)
    assert [r.status for r in ledger.upload(KIOSK, UploadRequest(
        members=[member], entries=[earn])).results] == ["accepted"]
    clock.now = LOT_EXPIRES - timedelta(minutes=1)
    spend = EntryWire(id=uuid.uuid4(), member_id=member.id, kind="redeem", points=-100,
                      channel="till-1", occurred_at=clock.now, program_version="2026.2",
                      reward_id="nt100-off")
    Holds(ledger).reserve(KIOSK, spend, 120)  # 100 of 100 available: yes
    clock.now = LOT_EXPIRES + timedelta(seconds=5)
    assert ledger.expire(clock.now).entries == 0, "the run took the points the hold promised"
    return earn.id, spend


def test_an_expiry_run_does_not_take_points_a_live_hold_promised(
        books: tuple[Ledger, Clock]) -> None:
    ledger, clock = books
    _, spend = held_at_the_lots_last_minute(ledger, clock)
    clock.now = LOT_EXPIRES + timedelta(seconds=30)  # the counter confirms its hold
    assert Holds(ledger).confirm(KIOSK, spend.id).status == "accepted"
    assert ledger.balance(spend.member_id) == 0  # spent, not overdrawn
    assert ledger.expire(clock.now + timedelta(days=1)).entries == 0  # nothing left to expire
    assert ledger.balance(spend.member_id) == 0
    assert ledger.check() == []


def test_points_of_a_voided_hold_expire_at_the_next_run(
        books: tuple[Ledger, Clock]) -> None:
    ledger, clock = books
    lot, spend = held_at_the_lots_last_minute(ledger, clock)
    clock.now = LOT_EXPIRES + timedelta(seconds=30)
    assert Holds(ledger).void(KIOSK, spend.id).state == "voided"
    clock.now = LOT_EXPIRES + timedelta(days=1)
    report = ledger.expire(clock.now)
    assert (report.entries, report.points) == (1, 100)
    assert ledger.balance(spend.member_id) == 0
    [expiry] = [e for e in ledger.pull(0, 100).entries if e.kind == "expire"]
    assert (expiry.id, expiry.occurred_at) == (
        derived_id(spend.member_id, f"expire:{lot}"), LOT_EXPIRES)
    assert ledger.check() == []


def test_holds_made_after_a_lot_expired_do_not_keep_it_from_expiring(
        books: tuple[Ledger, Clock]) -> None:
    """A hold made after the lot expired can only promise other points: a 60-point hold
    made before each nightly run and voided after it doesn't keep the lot's 100 (review
    28c)."""
    ledger, clock = books
    member = members(1)[0]
    old = sale(member, 1, 100, occurred_at=EARNED)  # expires LOT_EXPIRES
    fresh = sale(member, 2, 60, occurred_at=LOT_EXPIRES - timedelta(days=30))
    clock.now = LOT_EXPIRES - timedelta(days=29)
    assert [r.status for r in ledger.upload(KIOSK, UploadRequest(
        members=[member], entries=[old, fresh])).results] == ["accepted"] * 2
    for night in range(1, 4):  # nightly runs, each with a 60-point hold live
        run = LOT_EXPIRES + timedelta(days=night)
        clock.now = run - timedelta(minutes=2)
        hold = EntryWire(id=uuid.uuid4(), member_id=member.id, kind="redeem", points=-60,
                         channel=KIOSK.device_id, occurred_at=clock.now,
                         program_version="2026.2", reward_id="coffee")
        Holds(ledger).reserve(KIOSK, hold, 600)
        clock.now = run
        ledger.expire(run)
        clock.now = run + timedelta(minutes=1)
        Holds(ledger).void(KIOSK, hold.id)
        assert ledger.balance(member.id) == 60, f"night {night}: the expired 100 kept"
    assert ledger.check() == []


def test_expiry_knows_how_long_a_hold_lasts() -> None:
    assert LONGEST_HOLD == MAX_HOLD

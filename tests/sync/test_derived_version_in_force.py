"""A birthday bonus naming an announced program version that is not in force yet is
refused. Before, the ledger checked it against that version's rules alone, so a stolen
kiosk token granted next month's 5000-point birthday bonus today instead of 100 points,
and the honest 100-point copy then counted as a duplicate: the owner saw 50 times the
birthday points in the books (found at review 27)."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.awards import DERIVED_CHANNEL, order_entries, record_for
from kiosk.engine.bonuses import local_midnight, window_start
from kiosk.engine.orders import MemberState, Order, OrderLine, derived_id
from kiosk.program import parse_program
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from tests.helpers.ledger_process import sqlite_copy
from tests.helpers.ledger_wire import KIOSK
from tests.helpers.program import program_text
from tests.sync.test_spends_need_a_yes import Clock

ZONE = ZoneInfo("Asia/Taipei")


def test_a_birthday_bonus_under_an_announced_version_not_in_force_is_refused(
        ledger: Ledger) -> None:
    """The store announces next month's program (birthday bonus raised from 100 to 5000
    points, effective in 30 days). Today, a stolen kiosk token (or a kiosk with the wrong
    version) grants a member this year's birthday bonus naming the announced version: the
    ledger checks the bonus against that version's rules alone (derived_verdict applies
    no 'in force at its date' check, unlike orders and every other entry), so 5000 points
    land instead of 100; and as a once-only award under a derived id, the honest 100-point
    copy later is a duplicate. The owner sees 50x the birthday points in the books."""
    now_v = parse_program(program_text("[bonuses.birthday]\npoints = 100\n", "2026.2-bd"))
    ledger.publish_program(now_v)
    when = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    later = parse_program(program_text("[bonuses.birthday]\npoints = 5000\n", "2026.3-bd")
                          .replace('version = "2026.3-bd"',
                                   f'version = "2026.3-bd"\neffective_from = {when}'))
    ledger.publish_program(later)
    assert ledger.current_program().version == "2026.2-bd"
    today = datetime.now(ZONE).date()
    member = MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                        enrolled_at=datetime(2020, 1, 1, tzinfo=UTC), channel=KIOSK.device_id,
                        birthday=date(1990, today.month, 1))
    assert later.bonuses.birthday is not None
    note = f"birthday:{today.year}"
    bonus = EntryWire(id=derived_id(member.id, note), member_id=member.id, kind="bonus",
                      points=5000, channel=DERIVED_CHANNEL,
                      occurred_at=local_midnight(window_start(later.bonuses.birthday,
                                                              member.birthday, today.year), ZONE),
                      program_version=later.version, note=note, device_seq=1)
    answer = ledger.upload(KIOSK, UploadRequest(members=[member], entries=[bonus]))
    [result] = answer.results
    assert (result.status, ledger.balance(member.id)) == ("rejected", 0), (
        f"{result.status}: balance {ledger.balance(member.id)} from a version not in force")


def test_a_birthday_bonus_under_a_version_replaced_before_its_date_is_refused(
        tmp_path: Path) -> None:
    """Last year's program gave 5000 points on a birthday; this spring's gives 100. A
    token grants this year's birthday bonus naming last year's version: it was replaced
    months before the birthday, so no sale since could have granted under it (second
    review 27). The honest copy under this year's version is taken."""
    clock = Clock()
    today = datetime.now(ZONE).date()
    clock.now = datetime.now(UTC) - timedelta(days=400)
    engine = ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    ledger = Ledger(engine, clock)
    ledger.initialise(parse_program(program_text("[bonuses.birthday]\npoints = 5000\n",
                                                 "2025.1-bd")))
    ledger.add_device(KIOSK.device_id, "kiosk")
    clock.now = datetime.now(UTC) - timedelta(days=200)
    ledger.publish_program(parse_program(program_text("[bonuses.birthday]\npoints = 100\n",
                                                      "2026.1-bd")))
    clock.now = datetime.now(UTC)
    member = MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                        enrolled_at=datetime(2020, 1, 1, tzinfo=UTC), channel=KIOSK.device_id,
                        birthday=date(1990, today.month, 1))
    note = f"birthday:{today.year}"

    def bonus(version: str, points: int, seq: int) -> EntryWire:
        program = ledger.programs.program(version)
        assert program is not None and program.bonuses.birthday is not None
        return EntryWire(id=derived_id(member.id, note), member_id=member.id, kind="bonus",
                         points=points, channel=DERIVED_CHANNEL,
                         occurred_at=local_midnight(window_start(
                             program.bonuses.birthday, member.birthday, today.year), ZONE),
                         program_version=version, note=note, device_seq=seq)

    old = ledger.upload(KIOSK, UploadRequest(members=[member], entries=[
        bonus("2025.1-bd", 5000, 1)]))
    assert [(r.status, r.code) for r in old.results] == [("rejected", "version_not_in_force")]
    assert "replaced" in (old.results[0].reason or "")
    honest = ledger.upload(KIOSK, UploadRequest(entries=[bonus("2026.1-bd", 100, 2)]))
    assert [r.status for r in honest.results] == ["accepted"]
    assert ledger.balance(member.id) == 100
    ledger.engine.dispose()


OLD_FIRST = parse_program(program_text("\n[bonuses.first_purchase]\npoints = 500\n",
                                       "2025.1-old"))
NEW_FIRST = parse_program(program_text("\n[bonuses.first_purchase]\npoints = 30\n",
                                       "2026.2-new"))


@pytest.fixture(params=["postgres", "sqlite"])
def replaced_books(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    """A ledger whose generous first-purchase version (500 points) was replaced in June
    2025 by today's (30)."""
    url = (request.getfixturevalue("pg_migrated_url") if request.param == "postgres"
           else sqlite_copy(request.getfixturevalue("sqlite_ledger_schema"),
                            tmp_path / "ledger.db"))
    engine = ledger_engine(url)
    migrate(engine)
    clock = [datetime(2025, 1, 1, tzinfo=UTC)]
    ledger = Ledger(engine, lambda: clock[0])
    ledger.initialise(OLD_FIRST)
    clock[0] = datetime(2025, 6, 1, tzinfo=UTC)
    ledger.publish_program(NEW_FIRST)
    clock[0] = datetime.now(UTC)
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger
    engine.dispose()


def test_a_first_purchase_bonus_dated_before_enrolment_names_no_version_replaced_before_it(
        replaced_books: Ledger) -> None:
    """A first-purchase bonus may be dated before enrolment (the purchase, when a clock
    ran ahead at enrolment: test_first_purchase_clock_ahead.py); dated years back, it named
    a version replaced before the member enrolled and 500 points landed where the program
    gives 30 (second review 28). Its version must have been in force since enrolment."""
    enrolled = datetime.now(UTC) - timedelta(days=3)
    member = MemberWire(id=uuid.uuid4(), name="A", phone="0912000777",
                        channel=KIOSK.device_id, enrolled_at=enrolled)
    order = Order(KIOSK.device_id, "R-1", datetime.now(UTC) - timedelta(minutes=1),
                  (OrderLine("TEA", 1, 500),), member.id)
    record = record_for(NEW_FIRST, order, MemberState("bronze", enrolled))
    earn = next(EntryWire.of(e, device_seq=1)
                for e in order_entries(record, new_id=uuid.uuid4, staff=None)
                if e.note is None)
    forged = EntryWire(id=derived_id(member.id, "first_purchase"), member_id=member.id,
                       kind="bonus", points=500, channel=DERIVED_CHANNEL,
                       occurred_at=datetime(2025, 3, 1, tzinfo=UTC),
                       program_version=OLD_FIRST.version, note="first_purchase", device_seq=2)
    answer = replaced_books.upload(KIOSK, UploadRequest(
        members=[member], entries=[earn, forged], orders=[OrderWire.of(record)]))
    assert [r.status for r in answer.results] == ["accepted", "rejected"]
    assert replaced_books.balance(member.id) == 5

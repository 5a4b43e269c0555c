"""Once-only bonuses under derived ids (DESIGN, engine point 4) that any device may upload
on the ``program`` channel: the ledger checks them against the member's facts only
(order_audit.derived_verdict -> kiosk.awards.derived_problem)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.awards import DERIVED_CHANNEL, order_entries, record_for
from kiosk.engine.bonuses import local_midnight, window_start
from kiosk.engine.orders import MemberState, Order, OrderLine, derived_id
from kiosk.program import Program, parse_program
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK
from tests.helpers.program import program_text

ZONE = ZoneInfo("Asia/Taipei")
VERSION = "2026.2-review-derived"
EXTRA = '''
[bonuses.birthday]
points = 100

[bonuses.first_purchase]
points = 30
'''


@pytest.fixture
def books(ledger: Ledger) -> tuple[Ledger, Program]:
    program = parse_program(program_text(EXTRA, VERSION))
    ledger.publish_program(program)
    return ledger, program


def person(birthday: date | None, enrolled_at: datetime) -> MemberWire:
    return MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                      enrolled_at=enrolled_at, channel=KIOSK.device_id, birthday=birthday)


def derived(member: MemberWire, note: str, points: int, at: datetime, seq: int
            ) -> EntryWire:
    return EntryWire(id=derived_id(member.id, note), member_id=member.id, kind="bonus",
                     points=points, channel=DERIVED_CHANNEL, occurred_at=at,
                     program_version=VERSION, note=note, device_seq=seq)


def birthday_entry(program: Program, member: MemberWire, year: int, seq: int,
                   note: str | None = None) -> EntryWire:
    assert program.bonuses.birthday is not None and member.birthday is not None
    at = local_midnight(window_start(program.bonuses.birthday, member.birthday, year), ZONE)
    return derived(member, note or f"birthday:{year}", program.bonuses.birthday.points, at,
                   seq)


def test_no_birthday_bonus_for_years_whose_window_closed_before_enrolment(books) -> None:
    """A member enrolled yesterday, born in March: no counter could have granted a
    birthday bonus for March 2000..2026 (their first birthday window as a member is
    March 2027). The ledger takes all 27: 2,700 points."""
    ledger, program = books
    member = person(date(1990, 3, 15), datetime.now(UTC) - timedelta(days=1))
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    past = [birthday_entry(program, member, year, seq)
            for seq, year in enumerate(range(2000, 2027), start=1)]
    answer = ledger.upload(KIOSK, UploadRequest(entries=past))
    accepted = [e.note for e, r in zip(past, answer.results, strict=True)
                if r.status == "accepted"]
    assert accepted == [], f"birthday bonuses accepted: {accepted}"
    assert ledger.balance(member.id) == 0


@pytest.mark.parametrize("twin", ["birthday:0{year}", "birthday:{wide}"])
def test_one_birthday_bonus_a_year_whatever_the_note_spells(books, twin: str) -> None:
    """The year is parsed with int() after isdigit(): "02026" or full-width digits name
    the same year under another note, so another derived id: a second bonus."""
    ledger, program = books
    today = datetime.now(ZONE).date()
    member = person(date(1990, today.month, 1), datetime.now(UTC) - timedelta(days=400))
    honest = birthday_entry(program, member, today.year, 1)
    wide = str(today.year).translate(
        str.maketrans("0123456789", "０１２３４５６７８９"))  # noqa: RUF001 (full-width)
    other = birthday_entry(program, member, today.year, 2,
                           note=twin.format(year=today.year, wide=wide))
    answer = ledger.upload(KIOSK, UploadRequest(members=[member], entries=[honest, other]))
    assert answer.results[0].status == "accepted"
    assert ledger.balance(member.id) == 100, (
        f"{other.note!r} accepted as a second {today.year} birthday bonus: "
        f"{answer.results[1]}")


@pytest.mark.parametrize("note", ["birthday:\u00b2", "birthday:99999"])
def test_a_malformed_birthday_year_is_refused_not_a_crash(books, note: str) -> None:
    ledger, _ = books
    member = person(date(1990, 3, 15), datetime.now(UTC) - timedelta(days=400))
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    entry = derived(member, note, 100, datetime(2026, 3, 1, tzinfo=UTC), 1)
    [result] = ledger.upload(KIOSK, UploadRequest(entries=[entry])).results
    assert result.status == "rejected"


def test_one_first_purchase_bonus_per_member(books) -> None:
    """"first_purchase:" partitions into ("first_purchase", ""), so it passes as the
    first-purchase bonus under another derived id: 60 points for one first purchase."""
    ledger, _ = books
    enrolled = datetime.now(UTC) - timedelta(days=3)
    member = person(None, enrolled)
    entries = [derived(member, "first_purchase", 30, enrolled, 1),
               derived(member, "first_purchase:", 30, enrolled, 2)]
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=entries))
    assert ledger.balance(member.id) <= 30


def test_no_first_purchase_bonus_without_a_purchase(books) -> None:
    """The ledger grants the first-purchase bonus to a member who never bought anything
    on any channel: the derived check reads the enrolment date and nothing else."""
    ledger, _ = books
    enrolled = datetime.now(UTC) - timedelta(days=3)
    member = person(None, enrolled)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    [result] = ledger.upload(KIOSK, UploadRequest(entries=[
        derived(member, "first_purchase", 30, enrolled, 1)])).results
    assert result.status == "rejected", "a first-purchase bonus with no purchase anywhere"


def test_a_first_purchase_bonus_uploaded_with_its_order_is_accepted(books, monkeypatch
                                                                   ) -> None:
    """The honest counter's upload: the member, the order, its earn and the bonus in one
    request (the order is what shows the purchase), taken on the fast path: the order in
    the upload counts as the stored ones do (on PostgreSQL's fast path it was refused, and
    the upload went again one entry at a time)."""
    ledger, program = books

    def one_by_one(*args: object, **kwargs: object) -> None:
        raise AssertionError("the upload went the careful way, one entry at a time")
    if ledger.engine.dialect.name == "postgresql":  # SQLite has the careful way only
        monkeypatch.setattr(ledger.ingest, "append", one_by_one)
    member = person(None, datetime.now(UTC) - timedelta(days=3))
    order = Order(KIOSK.device_id, "R-first", datetime.now(UTC) - timedelta(minutes=1),
                  (OrderLine("TEA", 1, 500),), member.id)
    record = record_for(program, order, MemberState("bronze", member.enrolled_at))
    entries = [EntryWire.of(e, device_seq=seq) for seq, e in enumerate(
        order_entries(record, new_id=uuid.uuid4, staff=None), start=1)]
    assert [e.note for e in entries] == [None, "first_purchase"]
    answer = ledger.upload(KIOSK, UploadRequest(members=[member], entries=entries,
                                                orders=[OrderWire.of(record)]))
    assert [r.status for r in answer.results] == ["accepted", "accepted"]
    assert ledger.balance(member.id) == 5 + 30


def test_a_first_purchase_bonus_dated_after_enrolment_is_refused(books) -> None:
    """Dated at enrolment, or at the purchase when that came first (a clock that ran ahead
    at enrolment: tests/sync/test_first_purchase_clock_ahead.py), never later: a later
    date would keep its points from expiring when the program says."""
    ledger, program = books
    member = person(None, datetime.now(UTC) - timedelta(days=3))
    order = Order(KIOSK.device_id, "R-late", datetime.now(UTC) - timedelta(minutes=1),
                  (OrderLine("TEA", 1, 500),), member.id)
    record = record_for(program, order, MemberState("bronze", member.enrolled_at))
    earn, bonus = [EntryWire.of(e, device_seq=seq) for seq, e in enumerate(
        order_entries(record, new_id=uuid.uuid4, staff=None), start=1)]
    late = bonus.model_copy(update={"occurred_at": member.enrolled_at + timedelta(days=1)})
    answer = ledger.upload(KIOSK, UploadRequest(members=[member], entries=[earn, late],
                                                orders=[OrderWire.of(record)]))
    assert [r.status for r in answer.results] == ["accepted", "rejected"]
    assert ledger.balance(member.id) == 5

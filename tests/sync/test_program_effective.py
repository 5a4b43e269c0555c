"""Program versions coexist by time (DESIGN, the program engine, 8), on both databases: a
version announced for tomorrow is current from tomorrow; an order is judged by the version
in force at its date, an offline kiosk's order under the version just replaced counts
within the new one's grace, and one under a version replaced long before it is refused
with the reason (a stolen token's way to mint under an older, more generous version)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from kiosk.awards import order_entries, record_for
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.program import Program, ProgramError, load_program, parse_program
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from sync.server import models as m
from sync.server.counter import OnlineCounter
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK, SHOP
from tests.helpers.program import PLAIN_PROGRAM, program_text
from tests.helpers.program_ledger import BOTH_DATABASES

START = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # noon in Taipei
TOMORROW = "2026-12-02T00:00:00+08:00"  # midnight in Taipei
SWITCH = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


class Clock:
    """The ledger's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=BOTH_DATABASES)
def books(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Ledger, Clock]]:
    """A ledger on the plain program (2026.2, published at START) and a kiosk."""
    url = (request.getfixturevalue("pg_url") if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'ledger.db'}")
    engine = ledger_engine(url)
    migrate(engine)
    clock = Clock(START)
    ledger = Ledger(engine, clock)
    ledger.initialise(load_program(PLAIN_PROGRAM))
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger, clock
    engine.dispose()


def doubled(effective_from: str | None = TOMORROW, grace: int | None = None) -> Program:
    """2026.3: two points per NT$100 (2026.2 gives one), taking effect as told."""
    document = program_text("", "2026.3").replace("points = 1\n", "points = 2\n", 1)
    if effective_from is not None:
        document = document.replace('version = "2026.3"',
                                    f'version = "2026.3"\neffective_from = {effective_from}')
    if grace is not None:
        document = document.replace("[offline]\n", f"[offline]\nversion_grace_hours = {grace}\n")
    program = parse_program(document)
    assert program.earn.points == 2
    return program


def member_on(ledger: Ledger) -> MemberWire:
    member = MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                        enrolled_at=START - timedelta(days=30), channel=KIOSK.device_id)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    return member


_seq = iter(range(1, 10**6))


def sale(ledger: Ledger, program: Program, member: MemberWire, at: datetime
         ) -> list[tuple[str, str | None, str | None]]:
    """A kiosk's NT$1,000 order rung up under ``program`` at ``at``, uploaded: (status,
    code, reason) of each of its entries."""
    order = Order(KIOSK.device_id, f"R-{uuid.uuid4().hex[:10]}", at,
                  (OrderLine("TEA", 1, 1_000, "tea"),), member.id)
    record = record_for(program, order, MemberState("bronze", member.enrolled_at))
    entries = [EntryWire.of(e, device_seq=next(_seq))
               for e in order_entries(record, new_id=uuid.uuid4, staff=None)]
    answer = ledger.upload(KIOSK, UploadRequest(orders=[OrderWire.of(record)],
                                                entries=entries))
    return [(r.status, r.code, r.reason) for r in answer.results]


def test_a_version_published_for_tomorrow_is_current_from_tomorrow(books) -> None:
    ledger, clock = books
    published = ledger.publish_program(doubled())
    assert (published.effective_from, published.standing, published.new) == (
        SWITCH, "announced", True)
    state = ledger.state(announced=True)
    assert ledger.current_program().version == state.program_version == "2026.2"
    assert [(a.version, a.effective_from) for a in state.announced] == [("2026.3", SWITCH)]
    assert "announced" not in ledger.state().model_dump_json()  # older kiosks refuse it

    clock.now = SWITCH - timedelta(microseconds=1)
    assert ledger.current_program().version == "2026.2"
    clock.now = SWITCH
    assert ledger.current_program().version == "2026.3"
    assert ledger.state(announced=True).announced == []
    assert [(v.version, v.standing) for v in ledger.program_versions()] == [
        ("2026.2", "superseded"), ("2026.3", "current")]
    assert ledger.program("2026.2") is not None  # every version is still answered for


def test_a_version_without_a_time_takes_effect_when_published(books) -> None:
    ledger, clock = books
    clock.now = START + timedelta(hours=1)
    published = ledger.publish_program(doubled(effective_from=None))
    assert (published.effective_from, published.standing) == (clock.now, "current")
    assert ledger.current_program().version == "2026.3"


def test_a_version_that_would_take_effect_in_the_past_is_refused(books) -> None:
    ledger, clock = books
    clock.now = SWITCH + timedelta(hours=1)
    with pytest.raises(ProgramError, match=r"^program: effective_from: .* has passed"):
        ledger.publish_program(doubled())
    assert [v.version for v in ledger.program_versions()] == ["2026.2"]
    # Published before its time, the same document is kept as it was when given again.
    clock.now = START
    ledger.publish_program(doubled())
    clock.now = SWITCH + timedelta(hours=1)
    assert ledger.publish_program(doubled()).new is False


def test_an_order_dated_before_its_versions_time_is_refused(books) -> None:
    ledger, clock = books
    member = member_on(ledger)
    new = doubled()
    ledger.publish_program(new)
    clock.now = SWITCH - timedelta(hours=2)
    early = sale(ledger, new, member, clock.now - timedelta(minutes=1))
    assert {(status, code) for status, code, _ in early} == {
        ("rejected", "version_not_in_force")}
    assert "program 2026.3 takes effect at 2026-12-01T16:00:00+00:00" in str(early[0][2])
    assert ledger.balance(member.id) == 0
    honest = sale(ledger, ledger.current_program(), member, clock.now - timedelta(minutes=1))
    assert {status for status, _, _ in honest} == {"accepted"}
    assert ledger.balance(member.id) == 10


def test_an_offline_kiosks_order_under_the_replaced_version_counts_within_the_grace(
        books) -> None:
    """The kiosk was offline when 2026.3 was announced and rang up under 2026.2 for two
    days past its switch: within 2026.3's grace (a week by default), the orders count."""
    ledger, clock = books
    member = member_on(ledger)
    ledger.publish_program(doubled())
    clock.now = SWITCH + timedelta(days=2)
    old = ledger.program("2026.2")
    assert old is not None
    said = sale(ledger, old, member, clock.now - timedelta(minutes=5))
    assert {status for status, _, _ in said} == {"accepted"}
    assert ledger.balance(member.id) == 10


def test_an_order_under_a_version_replaced_long_before_is_refused(books) -> None:
    ledger, clock = books
    member = member_on(ledger)
    ledger.publish_program(doubled())
    clock.now = SWITCH + timedelta(days=8)
    old = ledger.program("2026.2")
    assert old is not None
    said = sale(ledger, old, member, clock.now - timedelta(minutes=5))
    assert {(status, code) for status, code, _ in said} == {
        ("rejected", "version_not_in_force")}
    assert ("program 2026.2 was replaced by 2026.3 at 2026-12-01T16:00:00+00:00, more than "
            "168 hours before the order") in str(said[0][2])
    assert ledger.balance(member.id) == 0


def test_the_new_versions_grace_decides_how_long_the_old_one_counts(books) -> None:
    """A version published to end a mistake at once (grace 0): an order under the one it
    replaced counts only if dated before the switch."""
    ledger, clock = books
    member = member_on(ledger)
    ledger.publish_program(doubled(grace=0))
    clock.now = SWITCH + timedelta(hours=1)
    old = ledger.program("2026.2")
    assert old is not None
    before = sale(ledger, old, member, SWITCH - timedelta(minutes=1))
    after = sale(ledger, old, member, SWITCH + timedelta(minutes=1))
    assert {status for status, _, _ in before} == {"accepted"}
    assert {(status, code) for status, code, _ in after} == {
        ("rejected", "version_not_in_force")}
    assert "more than 0 hours before" in str(after[0][2])


def test_shop_orders_use_the_version_in_force_at_their_time(books) -> None:
    ledger, clock = books
    member = member_on(ledger)
    ledger.publish_program(doubled())
    ledger.add_device(SHOP.device_id, "shop")
    counter = OnlineCounter(ledger)
    first = counter.order(SHOP, member.id, 1_000, "W-1")
    clock.now = SWITCH + timedelta(minutes=1)
    second = counter.order(SHOP, member.id, 1_000, "W-2")
    assert (first.points, second.points) == (10, 20)


def test_migration_0014_dates_every_earlier_version_by_its_publication(books) -> None:
    ledger, _ = books
    with ledger.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), m.Base.metadata)
    assert [d for d in diff if "programs" in repr(d)] == []
    config = Config()
    config.set_main_option("script_location", str(Path(m.__file__).with_name("migrations")))
    with ledger.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0013")
    with ledger.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with ledger.engine.connect() as conn:
        rows = conn.execute(text("SELECT effective_from, published_at FROM programs")).all()
    assert len(rows) == 1 and rows[0][0] == rows[0][1]
    assert ledger.current_program().version == "2026.2"


def test_a_new_ledgers_first_version_is_in_force_before_its_time_too(tmp_path: Path) -> None:
    """There is no other to use: current, not announced (a kiosk would keep it twice)."""
    engine = ledger_engine(f"sqlite:///{tmp_path / 'new.db'}")
    migrate(engine)
    try:
        ledger = Ledger(engine, Clock(START))
        ledger.initialise(doubled())
        assert ledger.current_program().version == "2026.3"
        assert ledger.state(announced=True).announced == []
        assert [v.standing for v in ledger.program_versions()] == ["current"]
    finally:
        engine.dispose()


def test_an_entry_without_an_order_is_held_to_the_version_in_force_too(books) -> None:
    """An adjustment, a redemption or an older kiosk's plain earn names a version too: one
    replaced long before its date is refused like an order's (a superseded version's
    bigger adjustment bound or cheaper rewards are no way around the rule); under the
    version in force the same entries stand."""
    ledger, clock = books
    member = member_on(ledger)
    ledger.publish_program(doubled())
    clock.now = SWITCH + timedelta(days=8)
    at = clock.now - timedelta(minutes=5)

    def orderless(version: str, earned: int) -> list[tuple[str, str | None]]:
        entries = [EntryWire(id=uuid.uuid4(), member_id=member.id, kind=kind, points=points,
                             channel=KIOSK.device_id, occurred_at=at, program_version=version,
                             order_ref=ref, amount_minor=amount, note=note,
                             device_seq=next(_seq))
                   for kind, points, ref, amount, note in (
                       ("earn", earned, f"P-{uuid.uuid4().hex[:10]}", 1_000, None),
                       ("adjust", 5, None, 0, "a stamp the till missed"))]
        answer = ledger.upload(KIOSK, UploadRequest(entries=entries))
        return [(r.status, r.code) for r in answer.results]

    assert orderless("2026.2", 10) == [("rejected", "version_not_in_force")] * 2
    assert ledger.balance(member.id) == 0
    assert orderless("2026.3", 20) == [("accepted", None)] * 2  # 2 points per NT$100
    assert ledger.balance(member.id) == 25

"""Orders in the ledger's upload path, called in-process on both databases: PostgreSQL's
one-statement path keeps orders too (no fallback to the careful path for an honest
upload), the audit's queries don't grow with the batch, and migration 0005 builds the
table the model describes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event

from kiosk.awards import order_entries, record_for
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.ids import new_id
from kiosk.program import Program, load_program, parse_program
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from sync.server import models as m
from sync.server.db import ledger_engine, migrate
from sync.server.ingest import Ingest
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK
from tests.helpers.program import DEFAULT_PROGRAM, DOUBLE_AND_BIRTHDAY, program_text

ZONE = ZoneInfo("Asia/Taipei")


@pytest.fixture
def books(ledger: Ledger) -> tuple[Ledger, Program]:
    program = parse_program(program_text(DOUBLE_AND_BIRTHDAY, "2026.9-orders"))
    ledger.publish_program(program)
    return ledger, program


def batch(program: Program, n: int, start: int = 1) -> UploadRequest:
    """``n`` members born this month, each with an order: base, promotion and birthday."""
    today = datetime.now(ZONE).date()
    people, orders, entries = [], [], []
    for i in range(n):
        person = MemberWire(id=new_id(), name=f"M{i}", phone=f"0912{i:06d}",
                            enrolled_at=datetime.now(UTC) - timedelta(days=9),
                            channel=KIOSK.device_id,
                            birthday=date(1990, today.month, min(today.day, 28)))
        order = Order(KIOSK.device_id, f"B-{new_id().hex[-12:]}",
                      datetime.now(UTC) - timedelta(minutes=1),
                      (OrderLine("TEA", 2, 250, "tea"),), person.id)
        record = record_for(program, order, MemberState("bronze", person.enrolled_at,
                                                        person.birthday))
        people.append(person)
        orders.append(OrderWire.of(record))
        entries += order_entries(record, new_id=new_id, staff=None)
    return UploadRequest(members=people, orders=orders, entries=[
        EntryWire.of(e, device_seq=start + i) for i, e in enumerate(entries)])


def test_postgres_keeps_an_honest_uploads_orders_on_its_fast_path(books, monkeypatch):
    ledger, program = books
    if ledger.engine.dialect.name == "postgresql":
        def careful(*args: Any, **kwargs: Any) -> None:
            raise AssertionError("an honest upload took the careful path")
        monkeypatch.setattr(Ingest, "append", careful)
    request = batch(program, 3)
    answer = ledger.upload(KIOSK, request)
    assert [r.status for r in answer.results] == ["accepted"] * 9
    assert answer.acked_through == 9
    for sent in request.orders:
        assert ledger.order(KIOSK, KIOSK.device_id, sent.order_ref) == sent
    assert [ledger.balance(p.id) for p in request.members] == [110] * 3
    assert ledger.check() == []


def test_the_audit_asks_the_same_few_queries_whatever_the_batch(tmp_path):
    """One query for the orders the entries name and one for the members' facts, not one
    per entry (counted on SQLite, where every statement goes through SQLAlchemy; on
    PostgreSQL the bulk statements go around its events, so there is nothing to count)."""
    engine = ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    sqlite_ledger = Ledger(engine, lambda: datetime.now(UTC))
    sqlite_ledger.initialise(load_program(DEFAULT_PROGRAM))
    sqlite_ledger.add_device(KIOSK.device_id, "kiosk")
    ledger, program = sqlite_ledger, parse_program(program_text(DOUBLE_AND_BIRTHDAY,
                                                              "2026.9-orders"))
    ledger.publish_program(program)
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    # The first upload reads and parses the program once; the next two are compared.
    requests = [batch(program, 1), batch(program, 2, start=4), batch(program, 40, start=10)]
    counts = []
    for request in requests:
        statements.clear()
        event.listen(ledger.engine, "before_cursor_execute", count)
        try:
            answer = ledger.upload(KIOSK, request)
        finally:
            event.remove(ledger.engine, "before_cursor_execute", count)
        assert {r.status for r in answer.results} == {"accepted"}
        counts.append(len(statements))
    assert counts[1] == counts[2]


def test_migration_0005_builds_the_orders_table_the_model_describes(books):
    ledger, _ = books
    with ledger.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), m.Base.metadata)
    assert [d for d in diff if "orders" in repr(d)] == []

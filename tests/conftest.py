"""Shared fixtures: a real kiosk (real SQLite store, real keys) in a temporary folder, with a
clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.bootstrap import initialise_standalone
from kiosk.program import Program, load_program
from kiosk.services import Enrolment, EnrolmentResult, Kiosk, enrol
from sync.server.db import ledger_engine, migrate
from tests.helpers.clock import FakeClock
from tests.helpers.program import PLAIN_PROGRAM


@pytest.fixture
def program() -> Program:
    return load_program(PLAIN_PROGRAM)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def kiosk(tmp_path: Path, program: Program, clock: FakeClock) -> Iterator[Kiosk]:
    k = initialise_standalone(tmp_path / "kiosk", store_name="Test store", program=program,
                              device_id="test-kiosk", clock=clock)
    yield k
    k.store.close()


@pytest.fixture
def member(kiosk: Kiosk) -> EnrolmentResult:
    return enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True))


@pytest.fixture(scope="session")
def sqlite_ledger_schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite ledger database migrated to head, once per test process; a test's
    ledger starts on a copy of it (tests.helpers.ledger_process.sqlite_copy) rather than
    running the migrations again. Tests of the migrations themselves, and of a ledger's
    first start on a new file, start on a path of their own."""
    path = tmp_path_factory.mktemp("ledger-schema") / "ledger.db"
    engine = ledger_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path

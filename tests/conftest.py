"""Shared fixtures: a real kiosk (real SQLite store, real keys) in a temporary folder, with a
clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.app.bootstrap import initialise_standalone
from kiosk.program import Program, load_program
from kiosk.services import Enrolment, EnrolmentResult, Kiosk, enrol

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROGRAM = ROOT / "assets" / "program.toml"


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 20, 3, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def program() -> Program:
    return load_program(DEFAULT_PROGRAM)


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

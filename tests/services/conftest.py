"""Every service test runs twice: on the real SQLite store and on the in-memory fake of
the store's port (tests/helpers/memory_store.py), with the same assertions. A test about
SQLite itself (its schema, triggers met with raw SQL, migrations, a full disk) is marked
``sqlite_only`` and runs on SQLite alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.bootstrap import initialise_standalone, standalone_kiosk
from kiosk.program import Program
from kiosk.services import Kiosk
from tests.helpers.clock import FakeClock
from tests.helpers.memory_store import MemoryStore

STORES = ("sqlite", "memory")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about SQLite itself; no fake store run")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_kind" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("store_kind", STORES[:1] if only else STORES)


@pytest.fixture
def kiosk(store_kind: str, tmp_path: Path, program: Program,
          clock: FakeClock) -> Iterator[Kiosk]:
    if store_kind == "memory":
        k = standalone_kiosk(MemoryStore(), store_name="Test store", program=program,
                             device_id="test-kiosk", clock=clock)
    else:
        k = initialise_standalone(tmp_path / "kiosk", store_name="Test store",
                                  program=program, device_id="test-kiosk", clock=clock)
    yield k
    k.store.close()

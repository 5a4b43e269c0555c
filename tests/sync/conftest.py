"""Real ledger processes on loopback, over real PostgreSQL (a fresh database per test) or
a SQLite file, and the ledger's operations called in-process on both databases (the helpers
behind them are in tests/helpers/ledger_process.py and tests/helpers/ledger_wire.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.program import load_program
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from tests.helpers.ledger_process import LedgerProcess, postgres_database, sqlite_copy, start_ledger
from tests.helpers.ledger_wire import KIOSK, SHOP
from tests.helpers.program import PLAIN_PROGRAM


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each schemathesis operation's test (tests/sync/test_schema_fuzz.py) gets a node id of
    its own, ``test_...[POST /v1/upload]``: under pytest 9.2 schemathesis 4.32 gives all 27
    the function's bare id, and pytest-xdist, which hands tests out by id, then ran the
    first operation alone (GET /v1/health) and reported it 27 times. A pytest that builds
    the id with the operation already in it is left as it is."""
    for item in items:
        label = getattr(item, "operation_label", None)
        node_id = getattr(item, "_id", None)
        if label and node_id is not None and getattr(node_id, "params", "") is None:
            item._id = dataclasses.replace(node_id, params=label)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; a test that needs it fails (never skips)
    without it."""
    with postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """An empty PostgreSQL database migrated to head, once per test process (each xdist
    worker has its own): the template of ``pg_migrated_url``. Nothing connects to it
    after the migration, as CREATE DATABASE ... TEMPLATE requires."""
    with postgres_database() as url:
        engine = ledger_engine(url)
        migrate(engine)
        engine.dispose()
        yield url.rsplit("/", 1)[1]


@pytest.fixture
def pg_migrated_url(pg_schema: str) -> Iterator[str]:
    """A fresh PostgreSQL database of the test's own, created as a copy of ``pg_schema``:
    what ``migrate`` makes of an empty one, without running the migrations again for
    every test (a ledger's start and ``migrate`` find it at head and leave it). Tests of
    the migrations themselves, and of a ledger's first start on an empty database, take
    ``pg_url`` or ``postgres_database()``."""
    with postgres_database(template=pg_schema) as url:
        yield url


@pytest.fixture
def pg_ledger(pg_migrated_url: str, tmp_path: Path) -> Iterator[LedgerProcess]:
    ledger = start_ledger(pg_migrated_url, tmp_path / "ledger")
    yield ledger
    ledger.kill()


@pytest.fixture
def sqlite_ledger(sqlite_ledger_schema: Path, tmp_path: Path) -> Iterator[LedgerProcess]:
    ledger = start_ledger(sqlite_copy(sqlite_ledger_schema, tmp_path / "ledger" / "ledger.db"),
                          tmp_path / "ledger")
    yield ledger
    ledger.kill()


# -- the ledger in-process, on both databases ------------------------------------------------

def in_process_ledger(url: str, program: Path = PLAIN_PROGRAM) -> Ledger:
    """A migrated ledger at ``url`` serving ``program``, with a kiosk and a shop."""
    engine = ledger_engine(url)
    migrate(engine)
    ledger = Ledger(engine, lambda: datetime.now(UTC))
    ledger.initialise(load_program(program))
    ledger.add_device(KIOSK.device_id, "kiosk")
    ledger.add_device(SHOP.device_id, "shop")
    return ledger


def in_process_ledger_on(request: pytest.FixtureRequest, tmp_path: Path,
                         program: Path = PLAIN_PROGRAM) -> Iterator[Ledger]:
    """A fixture's body: :func:`in_process_ledger` on the database its parameter names
    ("postgres" or "sqlite"), serving ``program``, disposed of after."""
    url = (request.getfixturevalue("pg_migrated_url") if request.param == "postgres"
           else sqlite_copy(request.getfixturevalue("sqlite_ledger_schema"),
                            tmp_path / "ledger.db"))
    ledger = in_process_ledger(url, program)
    yield ledger
    ledger.engine.dispose()


def program_file(tmp_path: Path, text: str) -> Path:
    """The program document ``text``, written to the test's folder."""
    document = tmp_path / "program.toml"
    document.write_text(text, encoding="utf-8")
    return document


@pytest.fixture(params=["postgres", "sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    """The ledger's operations called directly (no HTTP), with a kiosk and a shop."""
    yield from in_process_ledger_on(request, tmp_path)


@pytest.fixture
def pg_inproc(pg_migrated_url: str) -> Iterator[Ledger]:
    """The ledger in-process on PostgreSQL only (row locks that SQLite doesn't take)."""
    ledger = in_process_ledger(pg_migrated_url)
    yield ledger
    ledger.engine.dispose()

"""A ledger process started on a program of the test's own (its document written to the
test's folder), on PostgreSQL or SQLite as the fixture's parameter says."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.program import parse_program
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk, paired, sqlite_copy

BOTH_DATABASES = [pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"]
"""The parameters of a fixture that runs its test on each database."""


def ledger_on_program(request: pytest.FixtureRequest, tmp_path: Path, text: str
                      ) -> Iterator[LedgerProcess]:
    """A fixture's body: the ledger serving ``text`` (checked valid first), killed after."""
    db = (request.getfixturevalue("pg_migrated_url") if request.param == "postgres"
          else sqlite_copy(request.getfixturevalue("sqlite_ledger_schema"),
                           tmp_path / "ledger" / "ledger.db"))
    (tmp_path / "ledger").mkdir(exist_ok=True)
    document = tmp_path / "program.toml"
    document.write_text(text, encoding="utf-8")
    parse_program(text)  # the test's own program is valid
    process = LedgerProcess(db, tmp_path / "ledger", program=document)
    process.start()
    yield process
    process.kill()


def shared_ledger_on_program(request: pytest.FixtureRequest,
                             tmp_path_factory: pytest.TempPathFactory, text: str
                             ) -> Iterator[LedgerProcess]:
    """A module-scoped fixture's body: one ledger serving ``text`` for all of a module's
    tests on the database the parameter names (a process start is ~1.2 s of CPU), killed
    after the module. Its tests share it as stores share a ledger: each pairs kiosks under
    device names of its own (:func:`own_name`) and enrols members of its own, so none
    sees another's devices, orders or members by name; a test run alone gets a ledger of
    its own the same way. Tests about the process itself (kill, restart, its command
    line) start their own."""
    from tests.helpers.ledger_process import postgres_database

    folder = tmp_path_factory.mktemp("shared-ledger")
    document = folder / "program.toml"
    document.write_text(text, encoding="utf-8")
    parse_program(text)  # the test's own program is valid
    if request.param == "postgres":
        with postgres_database(template=request.getfixturevalue("pg_schema")) as db:
            yield from _served(db, folder, document)
    else:
        yield from _served(sqlite_copy(request.getfixturevalue("sqlite_ledger_schema"),
                                       folder / "ledger" / "ledger.db"), folder, document)


def _served(db: str, folder: Path, document: Path) -> Iterator[LedgerProcess]:
    (folder / "ledger").mkdir(exist_ok=True)
    process = LedgerProcess(db, folder / "ledger", program=document)
    process.start()
    try:
        yield process
        assert process.check() == [], "the shared ledger is inconsistent after the module"
    finally:
        process.kill()


def own_name(name: str) -> str:
    """``name`` made a device name no other test on a shared ledger uses (``till-a`` ->
    ``till-a-3f9c1e``)."""
    return f"{name}-{uuid.uuid4().hex[:6]}"


def own_phone() -> str:
    """A mobile number (09 and eight digits) no other test's member on a shared ledger
    has, for the tests that look members up by phone."""
    return "09" + f"{uuid.uuid4().int % 10**8:08d}"


def own_till(ledger: LedgerProcess, folder: Path, name: str) -> PairedKiosk:
    """A kiosk paired with ``ledger`` under ``name`` made a name of its own (:func:`own_name`),
    its folder in ``folder``."""
    return paired(ledger, folder, own_name(name))

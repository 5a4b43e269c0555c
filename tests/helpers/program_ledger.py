"""A ledger process started on a program of the test's own (its document written to the
test's folder), on PostgreSQL or SQLite as the fixture's parameter says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.program import parse_program
from tests.helpers.ledger_process import LedgerProcess, sqlite_copy

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

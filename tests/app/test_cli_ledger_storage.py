"""The ``kiosk ledger`` commands on a database they can't use say so in one line and exit
3, as the kiosk's own commands do (README: exit codes): a SQLite file that can't be
opened or is no database, a PostgreSQL server nobody runs or a database it doesn't have.
The line names the database, never its password; so does a database that went bad under
the command, on either database. A ``--db`` that is no database the ledger runs on is a
usage error (exit 2), said before anything is opened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.helpers.cli import kiosk, kiosk_json
from tests.helpers.damaged_database import damage
from tests.helpers.ledger_process import PG_ADMIN, postgres_database
from tests.helpers.program_ledger import BOTH_DATABASES

REPORT = ["ledger", "report", "--from", "2026-01-01", "--to", "2026-02-01"]


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    [line] = stderr.strip().splitlines()
    return line


@pytest.mark.parametrize(("db", "named"), [
    ("sqlite:////nonexistent/folder/ledger.db", "/nonexistent/folder/ledger.db"),
    ("postgresql+psycopg://postgres:s3cret@127.0.0.1:1/test",  # nobody listens there
     "postgresql+psycopg://postgres:***@127.0.0.1:1/test"),
], ids=["sqlite-cannot-open", "postgres-unreachable"])
@pytest.mark.parametrize("command", [REPORT, ["ledger", "check"]], ids=["report", "check"])
def test_a_ledger_command_on_a_database_it_cannot_open_is_exit_3(
        tmp_path: Path, db: str, named: str, command: list[str]) -> None:
    line = one_line(kiosk(tmp_path / "ledger", *command, "--db", db, expect=3).stderr)
    assert line.startswith(f"error: the ledger's database {named} can't be used: "), line
    assert "s3cret" not in line


@pytest.mark.postgres
def test_a_database_the_postgresql_server_does_not_have_is_exit_3(tmp_path: Path) -> None:
    db = make_url(PG_ADMIN).set(drivername="postgresql+psycopg", database="cp_no_such_db")
    error = kiosk_json(tmp_path / "ledger", *REPORT, "--db", db.render_as_string(False),
                       expect=3)["error"]
    assert error["code"] == "storage"
    assert "cp_no_such_db" in error["message"] and "does not exist" in error["message"]


def test_a_ledger_command_on_a_sqlite_file_that_is_no_database_is_exit_3(
        tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    db.write_bytes(b"\x00not a database" * 512)
    line = one_line(kiosk(tmp_path / "ledger", *REPORT, "--db", f"sqlite:///{db}",
                          expect=3).stderr)
    assert line.startswith(f"error: the ledger's database {db} is damaged"), line


@pytest.fixture(params=BOTH_DATABASES)
def ledger_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A ledger's database, made by a command as a store owner's first one would be."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger' / 'ledger.db'}"
        return
    with postgres_database() as url:
        yield url


def test_a_database_that_went_bad_under_a_command_is_exit_3(tmp_path: Path, ledger_db: str
                                                             ) -> None:
    kiosk(tmp_path / "ledger", "ledger", "check", "--db", ledger_db)
    damage(ledger_db, "entries", "read")
    error = kiosk_json(tmp_path / "ledger", *REPORT, "--db", ledger_db, expect=3)["error"]
    assert error["code"] == "storage"
    assert error["message"].startswith("the ledger's database "), error
    assert "\n" not in error["message"]


@pytest.mark.parametrize("db", ["bogus://user:s3cret@host/db", "not a url",
                                "mysql+pymysql://user:s3cret@host/db"])
def test_a_db_that_is_no_database_the_ledger_runs_on_is_a_usage_error(
        tmp_path: Path, db: str) -> None:
    line = one_line(kiosk(tmp_path / "ledger", *REPORT, "--db", db, expect=2).stderr)
    assert "--db: not a database the ledger runs on" in line and "s3cret" not in line
    assert not (tmp_path / "ledger").exists()  # nothing was opened or made


def test_the_ledgers_check_finds_a_damaged_sqlite_table_it_would_not_otherwise_read(
        tmp_path: Path) -> None:
    """``ledger check`` counts and sums through the indexes, so a damaged table page went
    unread and it said "Ledger OK."; SQLite's own check of every page is part of it now,
    and a damaged page is said as any damaged database is (exit 3, one line)."""
    db = f"sqlite:///{tmp_path / 'ledger' / 'ledger.db'}"
    kiosk(tmp_path / "ledger", "ledger", "check", "--db", db)
    damage(db, "entries", "read")
    answer = kiosk(tmp_path / "ledger", "ledger", "check", "--db", db, expect=3)
    assert "Ledger OK" not in answer.stdout
    assert one_line(answer.stderr).startswith(f"error: the ledger's database {db[10:]} is "
                                              "damaged"), answer.stderr

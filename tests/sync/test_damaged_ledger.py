"""A damaged ledger database is the database failing, answered 503 with Retry-After like
one that is down, never a 500 (README: the ledger's API): on SQLite a table's pages
overwritten with garbage ("database disk image is malformed"), on PostgreSQL what it says
of a page it can't read (SQLSTATE XX001, data_corrupted, raised here by a trigger or a
view). Once where every request starts, reading the caller's token (the middleware), and
once where a route writes, the shop's order."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests
from sqlalchemy.engine import make_url

from kiosk.services import Enrolment, enrol
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program_ledger import BOTH_DATABASES

CORRUPT = """CREATE FUNCTION damaged() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN
    RAISE EXCEPTION 'invalid page in block 7 of relation base/16384/16401'
        USING ERRCODE = 'data_corrupted';
END $$"""


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest) -> Iterator[LedgerProcess]:
    yield request.getfixturevalue("pg_ledger" if request.param == "postgres"
                                  else "sqlite_ledger")


def damage(ledger: LedgerProcess, table: str) -> None:
    """``table`` can no longer be read (``devices``) or written (``entries``)."""
    url = make_url(ledger.db)
    if url.get_backend_name() == "sqlite":
        assert url.database
        with sqlite3.connect(url.database) as conn:  # everything into the main file
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = conn.execute("PRAGMA page_size").fetchone()[0]
            [root] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                  (table,)).fetchone()
        with Path(url.database).open("r+b") as f:  # a bad sector under the table's root
            f.seek((root - 1) * size)
            f.write(b"\xde\xad\xbe\xef" * (size // 4))
        return
    with psycopg.connect(url.set(drivername="postgresql").render_as_string(False),
                         autocommit=True) as conn:
        conn.execute(CORRUPT)
        if table == "devices":
            conn.execute("ALTER TABLE devices RENAME TO devices_kept")
            conn.execute("CREATE VIEW devices AS SELECT * FROM devices_kept WHERE damaged()")
        else:
            conn.execute("CREATE FUNCTION damaged_row() RETURNS trigger LANGUAGE plpgsql AS "
                         "$$ BEGIN PERFORM damaged(); RETURN NEW; END $$")
            conn.execute(f"CREATE TRIGGER damaged BEFORE INSERT ON {table} "
                         "FOR EACH ROW EXECUTE FUNCTION damaged_row()")


@pytest.mark.parametrize("table", ["devices", "entries"], ids=["reading-the-token",
                                                               "writing-the-order"])
def test_a_damaged_ledger_database_is_a_503_to_retry_not_a_500(
        ledger: LedgerProcess, tmp_path: Path, table: str) -> None:
    a = paired(ledger, tmp_path, "till-a")
    member = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member
    a.agent().sync_once()
    a.kiosk.store.close()
    shop = {"Authorization": f"Bearer {ledger.add_device('web', 'shop')}"}
    order = {"member_id": str(member.id), "order_ref": "W-1", "amount_minor": 1000}
    damage(ledger, table)
    answer = requests.post(f"{ledger.url}/v1/shop/orders", headers=shop, json=order,
                           timeout=10)
    assert answer.status_code == 503, (answer.status_code, answer.text)
    assert answer.headers["Retry-After"] == "2"
    assert answer.json()["code"] == "unavailable"

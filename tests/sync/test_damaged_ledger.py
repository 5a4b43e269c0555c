"""A damaged ledger database is the database failing, answered 503 with Retry-After like
one that is down, never a 500 (README: the ledger's API): on SQLite a table's pages
overwritten with garbage ("database disk image is malformed"), on PostgreSQL what it says
of a page it can't read (SQLSTATE XX001, data_corrupted; tests/helpers/damaged_database.py).
Once where every request starts, reading the caller's token (the middleware), and once
where a route writes, the shop's order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
import requests

from kiosk.services import Enrolment, enrol
from tests.helpers.damaged_database import damage
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program_ledger import BOTH_DATABASES


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest) -> Iterator[LedgerProcess]:
    yield request.getfixturevalue("pg_ledger" if request.param == "postgres"
                                  else "sqlite_ledger")


@pytest.mark.parametrize(("table", "on"), [("devices", "read"), ("entries", "write")],
                         ids=["reading-the-token", "writing-the-order"])
def test_a_damaged_ledger_database_is_a_503_to_retry_not_a_500(
        ledger: LedgerProcess, tmp_path: Path, table: str, on: Literal["read", "write"]
        ) -> None:
    a = paired(ledger, tmp_path, "till-a")
    member = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member
    a.agent().sync_once()
    a.kiosk.store.close()
    shop = {"Authorization": f"Bearer {ledger.add_device('web', 'shop')}"}
    order = {"member_id": str(member.id), "order_ref": "W-1", "amount_minor": 1000}
    damage(ledger.db, table, on)
    answer = requests.post(f"{ledger.url}/v1/shop/orders", headers=shop, json=order,
                           timeout=10)
    assert answer.status_code == 503, (answer.status_code, answer.text)
    assert answer.headers["Retry-After"] == "2"
    assert answer.json()["code"] == "unavailable"

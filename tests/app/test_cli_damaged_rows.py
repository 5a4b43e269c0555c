"""A row of the kiosk's store that went bad (a flipped sector, a restore from a damaged
backup, a hand edit): the rule is "a storage error is a storage error, reads included"
(exit 3, code "storage", one line). A damaged page under a table was that already
(tests/store/test_damaged_store.py); a damaged value in a readable row (a garbage order
record, an entry's time that is no number) made `refund`, `balance`, `sale` and `verify`
print a ValueError / TypeError traceback, exit 1 as if the cashier's input were wrong, and
`verify` answered ok on a store whose order record no longer reads (found at review 27)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import KIOSK, copy_of, kiosk, kiosk_json
from tests.helpers.program import PLAIN_PROGRAM


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("cli") / "k1"
    kiosk(folder, "init", "--device-id", "till-1", "--program", str(PLAIN_PROGRAM))
    card = kiosk_json(folder, "member", "enroll", "--name", "王小明", "--phone",
                      "0987-654-321", "--consent")["card_payload"]
    kiosk(folder, "checkout", "--card", card, "--basket",
          '[{"code": "TEA", "unit_price": "100", "quantity": 3}]', "--order-ref", "A-1")
    return folder, card


def damage(db: Path, sql: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(sql)


NEW_ENTRY = ("INSERT INTO entries (id, member_id, kind, points, amount_minor, channel, "
             "program_version, occurred_at) SELECT randomblob(16), id, 'earn', 5, 0, "
             "'till-1', '2026.2', 'yesterday' FROM members")

CASES = {
    "order record, refund": ("UPDATE orders SET record = '{bad'", ["refund", "--order-ref", "A-1"]),
    "entry time, balance": (NEW_ENTRY, ["balance", "--card", "{card}"]),
    "entry time, verify": (NEW_ENTRY, ["verify"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_value_in_the_store_is_a_storage_error(template, tmp_path, case):
    """An order's stored record (or an entry's time) is damaged: `kiosk refund` (or
    `balance`, or `verify`, the command meant to find such things) prints a ValueError /
    TypeError traceback, exit 1 as if it were a refusal of the cashier's input, instead of
    saying the kiosk's database is damaged (exit 3)."""
    folder, card = template
    data = copy_of(folder, tmp_path / "k1")
    sql, args = CASES[case]
    damage(data / "kiosk.db", sql)
    proc = subprocess.run([KIOSK, "--data-dir", str(data),
                           *[a.format(card=card) for a in args], "--json"],
                          capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr[-300:]
    assert proc.returncode == 3 and json.loads(proc.stdout)["error"]["code"] == "storage"


def test_verify_finds_a_damaged_order_record(template, tmp_path):
    """`kiosk verify` answers ok=true on a store whose order record no longer reads (a
    refund of that order then fails): the check the owner runs says nothing is wrong."""
    folder, _ = template
    data = copy_of(folder, tmp_path / "k1")
    damage(data / "kiosk.db", "UPDATE orders SET record = '{bad'")
    proc = subprocess.run([KIOSK, "--data-dir", str(data), "verify", "--json"],
                          capture_output=True, text=True, timeout=60)
    assert json.loads(proc.stdout).get("ok") is not True, proc.stdout

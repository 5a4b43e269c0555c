"""What sync keeps in the kiosk's settings (the versions announced, the ledger's clock as
last read, the pull cursor) went bad (a flipped sector, a restore from a damaged backup, a
hand edit): "a storage error is a storage error, reads included". Every command printed a
ValueError traceback, exit 1 as if the cashier's input were wrong, and a sync round failed
as "unexpected error" (found at review 28a); now the kiosk says its database is damaged
(exit 3, code "storage"), naming the setting."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from kiosk.records import StorageError
from sync.agent import CURSOR
from tests.helpers.cli import KIOSK, copy_of, kiosk, kiosk_json
from tests.helpers.ledger_process import paired
from tests.helpers.program import PLAIN_PROGRAM


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("cli") / "k1"
    kiosk(folder, "init", "--device-id", "till-1", "--program", str(PLAIN_PROGRAM))
    card = kiosk_json(folder, "member", "enroll", "--name", "王小明", "--phone",
                      "0987-654-321", "--consent")["card_payload"]
    return folder, card


BOOT = Path("/proc/sys/kernel/random/boot_id").read_text().strip()

CASES = {
    "announced_programs": "{bad",
    "announced_programs, a time": '[["2027.1", "next spring"]]',
    "ledger_time": f"not a time|x|{BOOT}",
    "ledger_time, no zone": f"2026-06-01T10:00:00|1.5|{BOOT}",
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_sync_setting_is_a_storage_error(template, tmp_path, case):
    """`kiosk balance` on a kiosk whose setting is damaged says the database is damaged,
    naming the setting, instead of a ValueError traceback (exit 1)."""
    folder, card = template
    data = copy_of(folder, tmp_path / "k1")
    key = case.split(",")[0]
    with sqlite3.connect(data / "kiosk.db") as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                     (key, CASES[case]))
    proc = subprocess.run([KIOSK, "--data-dir", str(data), "balance", "--card", card,
                           "--json"], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr[-400:]
    assert proc.returncode == 3, (proc.stdout, proc.stderr[-400:])
    error = json.loads(proc.stdout)["error"]
    assert error["code"] == "storage" and key in error["message"]


def test_a_damaged_pull_cursor_is_a_storage_error(sqlite_ledger, tmp_path):
    """The round says the database is damaged (the loop's storage-error path: logged and
    retried, shown as is), not 'unexpected error: ValueError'."""
    till = paired(sqlite_ledger, tmp_path, "till-1")
    with till.kiosk.store.write() as tx:
        tx.settings.set(CURSOR, "twelve")
    agent = till.agent()
    with pytest.raises(StorageError, match=r"damaged \(setting pull_cursor: .*'twelve'"):
        agent.sync_once()

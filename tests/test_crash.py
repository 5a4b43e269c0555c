"""Kill -9 a process in the middle of ringing up sales, again and again: every sale it
acknowledged is in the store afterwards, none twice, and `kiosk verify` passes."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from kiosk.app.bootstrap import bootstrap
from kiosk.services import Enrolment, enrol
from tests.helpers.cli import KIOSK
from tests.helpers.program import PLAIN_PROGRAM

KILLS = 60
CHILD = [sys.executable, "-m", "tests.helpers.sale_loop"]
ROOT = Path(__file__).resolve().parent.parent


def run_and_kill(data: Path, member: str, run: int, retries: list[str], log: Path,
                 rng: random.Random) -> list[list[str]]:
    with log.open("w") as out:
        child = subprocess.Popen([*CHILD, str(data), member, f"r{run}", *retries],
                                 stdout=out, cwd=ROOT)
        # Wait for start-up (or, one time in five, kill during start-up), then let it
        # sell for a random while.
        deadline = time.monotonic() + 30
        if rng.random() < 0.8:
            while "READY" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.25))
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    return [line.split() for line in log.read_text().splitlines() if line]


@pytest.mark.slow
def test_sales_acknowledged_before_a_kill_survive_it_exactly_once(tmp_path: Path):
    data = tmp_path / "kiosk"
    subprocess.run([KIOSK, "--data-dir", str(data), "init", "--program", str(PLAIN_PROGRAM)],
                   check=True, capture_output=True)
    kiosk = bootstrap(data)
    member = enrol(kiosk, Enrolment("Crash", "0912000000", consent=True)).member.id
    kiosk.store.close()

    rng = random.Random(20261123)
    acked: dict[str, str] = {}  # order -> entry id the child reported
    retries: list[str] = []
    for run in range(KILLS):
        lines = run_and_kill(data, str(member), run, retries, tmp_path / "child.log", rng)
        tried = [parts[1] for parts in lines if parts[0] == "TRY"]
        for parts in lines:
            if parts[0] == "ACK":
                order, entry_id = parts[1], parts[2]
                # A retried order must come back as the entry first recorded, not a new one.
                assert acked.setdefault(order, entry_id) == entry_id
        retries = [order for order in tried if order not in acked]

    assert len(acked) > KILLS, "the child should have acknowledged many sales"
    kiosk = bootstrap(data)
    with kiosk.store.read() as tx:
        entries = tx.entries.of_member(member)
        cached = tx.entries.balance(member)
    kiosk.store.close()
    sales = [e for e in entries if e.order_ref]
    per_order = Counter(e.order_ref for e in sales)
    assert max(per_order.values()) == 1, "an order was recorded twice"
    recorded = {e.order_ref: str(e.id) for e in sales}
    missing = {o for o in acked if o not in recorded}
    assert not missing, f"acknowledged sales lost: {sorted(missing)[:5]}"
    assert all(recorded[o] == acked[o] for o in acked)
    assert cached == sum(e.points for e in entries)
    proc = subprocess.run([KIOSK, "--data-dir", str(data), "verify", "--json"],
                          capture_output=True, text=True, timeout=60)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["ok"], report
    assert report["pending_uploads"] == len(entries)

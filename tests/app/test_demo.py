"""The README's first command: `kiosk run --demo` sets itself up (an embedded ledger on
loopback, a paired kiosk, demo members with printed cards) and serves a counter."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from tests.codes import read_codes
from tests.helpers.cli import KIOSK


def counter(data: Path, script: str) -> str:
    proc = subprocess.run([KIOSK, "--data-dir", str(data), "run", "--demo", "--text"], input=script,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_demo_sets_up_members_with_printed_cards_and_serves_a_counter(tmp_path):
    data = tmp_path / "demo"
    first = counter(data, "quit\n")
    payloads = re.findall(r"demo card (\d{12}): (CP1\.\S+)", first)
    assert len(payloads) == 4
    card_no, payload = payloads[0]
    [code] = read_codes(data / "cards" / f"{card_no}.png")
    assert code.text == payload

    out = counter(data, f"{payload}\nsale 1234\nredeem coffee\nrefund DEMO-0-1\n"
                        "https://not.ours.example\nsale 12.5\nstatus\nquit\n")
    assert "陳美玲 (•••••••678)" in out and "183 points, Silver" in out
    assert "+18 points at Silver. Balance 201." in out
    assert "Redeemed Free americano for 60 points (online). Balance 141." in out
    assert "Refunded order DEMO-0-1: -13 points. Balance 128." in out
    assert "! this code is not a Counterpoint member card" in out
    assert "! amount 12.5 has more than 0 decimal places" in out
    assert "Ledger online" in out or "Ledger connecting" in out
    ledger = json.loads(subprocess.run(
        [KIOSK, "--data-dir", str(data / "ledger"), "ledger", "check", "--json"],
        capture_output=True, text=True, timeout=60).stdout)
    assert ledger == {"ok": True, "problems": []}
    # Running the demo again keeps the same data rather than seeding twice.
    assert re.findall(r"demo card (\d{12})", counter(data, "")) == [c for c, _ in payloads]

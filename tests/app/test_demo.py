"""The README's first command: `kiosk run --demo` sets itself up (an embedded ledger on
loopback, a paired kiosk, demo members with printed cards) and serves a counter, under the
program the kiosk ships (assets/program.toml), the one test here of the demo's data with
it (the app's tests run the demo on the plain fixture)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from kiosk.program import load_program
from tests.codes import read_codes
from tests.helpers.cli import KIOSK
from tests.helpers.program import SHIPPED_PROGRAM


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
                        "Grace Ho\n1234\n"  # the approving manager (the README's demo staff)
                        "https://not.ours.example\nsale 12.5\nstatus\nquit\n")
    # The demo runs the shipped program, whose promotions depend on the day (double
    # points on Tuesdays), and its history is dated back from today: the numbers are
    # checked against each other and against the program's floor, not as constants.
    assert f"program {load_program(SHIPPED_PROGRAM).version}." in first
    [balance] = re.findall(r"陳美玲 \(•••••••678\) card \d+: (\d+) points, Silver", out)
    [(earned, after)] = re.findall(r"\+(\d+) points at Silver\. Balance (\d+)\.", out)
    assert int(earned) >= 18 and int(after) == int(balance) + int(earned)  # 1.5 per NT$100
    # Months-old points are spendable, though today's are pending (the return window).
    assert (f"Redeemed Free americano for 60 points (online). Balance {int(after) - 60}."
            in out)
    [(refunded, left)] = re.findall(r"Refunded order DEMO-0-1: -(\d+) points\. "
                                    r"Balance (\d+)\.", out)
    assert int(refunded) >= 13 and int(left) == int(after) - 60 - int(refunded)
    assert "! this code is not a Counterpoint member card" in out
    assert "! amount 12.5 has more than 0 decimal places" in out
    assert "Ledger online" in out or "Ledger connecting" in out
    ledger = json.loads(subprocess.run(
        [KIOSK, "--data-dir", str(data / "ledger"), "ledger", "check", "--json"],
        capture_output=True, text=True, timeout=60).stdout)
    assert ledger == {"ok": True, "problems": []}
    # Running the demo again keeps the same data rather than seeding twice.
    assert re.findall(r"demo card (\d{12})", counter(data, "")) == [c for c, _ in payloads]

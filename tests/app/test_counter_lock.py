"""One running counter per data folder: two tills on one folder each numbered their orders
from 1, and the second's real sales were answered "already rung up" with no points. A
second `kiosk run` is refused; CLI commands beside the running one still work; a counter
killed with SIGKILL leaves no stale lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from pathlib import Path

from tests.helpers.cli import KIOSK, kiosk, kiosk_json
from tests.helpers.program import PLAIN_PROGRAM

READY = "Scan a card"  # the text counter's help line: printed once it is open for scans


class TextCounter:
    """`kiosk run --text` as a real process, its output read on a thread until it is ready."""

    def __init__(self, data: Path) -> None:
        self.proc = subprocess.Popen(
            [KIOSK, "--data-dir", str(data), "run", "--text"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        if not self.ready.wait(60):
            self.proc.kill()
            raise AssertionError(f"the counter did not start: {self.lines}")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if line.startswith(READY):
                self.ready.set()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(30) == -signal.SIGKILL


def second_counter(data: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KIOSK, "--data-dir", str(data), "run", "--text", *extra],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=60)


def test_a_second_counter_on_a_folder_is_refused_and_a_killed_one_leaves_no_lock(tmp_path):
    data = tmp_path / "k1"
    kiosk(data, "init", "--store-name", "One till", "--program", str(PLAIN_PROGRAM))
    card = kiosk_json(data, "member", "enroll", "--name", "Ann", "--phone", "0912000888",
                      "--consent")["card_payload"]
    first = TextCounter(data)
    try:
        refused = second_counter(data)
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert refused.stdout == "" and refused.stderr.count("\n") == 1
        assert refused.stderr.startswith("error: another counter is running")
        assert str(data) in refused.stderr and f"pid {first.proc.pid}" in refused.stderr
        as_json = second_counter(data, "--json")
        assert as_json.returncode == 1
        assert json.loads(as_json.stdout)["error"]["code"] == "counter_running"

        # Commands beside the running counter are fine.
        sale = kiosk_json(data, "sale", "--card", card, "--amount", "1000",
                          "--order-ref", "A-1")
        assert (sale["points"], sale["balance"]) == (10, 60)
        assert kiosk_json(data, "balance", "--card", card)["balance"] == 60
        assert first.proc.poll() is None
    finally:
        first.kill()

    # The OS let go of the lock with the process: a new counter starts at once.
    again = TextCounter(data)
    assert again.proc.stdin is not None
    again.proc.stdin.write("quit\n")
    again.proc.stdin.close()
    assert again.proc.wait(30) == 0

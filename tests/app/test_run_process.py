"""`kiosk run` as a real process: where Qt's platform plugin can't load (Qt would abort
the process) it says why in one line and runs the text counter, and Ctrl+C stops the app
and the text counter in order: exit 0, no traceback."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from tests.helpers.cli import KIOSK
from ui.qpa_probe import EXTRA_LIBRARY_ENV

STOP_WITHIN_S = 20
NO_X_SERVER = ":87"


def run_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE",
                        EXTRA_LIBRARY_ENV)}
    return {**env, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1", **extra}


class Lines:
    """A child's output read on a thread, so a test waits for a line without blocking."""

    def __init__(self, stream: IO[str]) -> None:
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.seen):
            line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            assert line is not None, f"ended without {text!r}: {''.join(self.seen)}"
            self.seen.append(line)

    def rest(self) -> str:
        self._thread.join(timeout=10)
        while (line := self._lines.get_nowait() if not self._lines.empty() else None):
            self.seen.append(line)
        return "".join(self.seen)


def stop_with_ctrl_c(proc: subprocess.Popen[str], output: Lines, ready: str,
                     errors: Lines) -> float:
    """Send SIGINT once ``ready`` shows; how long the process took to end. One that doesn't
    end is aborted, and its threads' stacks (faulthandler) fail the test."""
    try:
        output.wait_for(ready)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=STOP_WITHIN_S)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)
            proc.wait(timeout=10)
            pytest.fail(f"still running {STOP_WITHIN_S} s after Ctrl+C:\n{errors.rest()}")
        return time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("case", ["missing library", "no X server"])
def test_where_qt_cannot_start_the_text_counter_runs_instead(tmp_path: Path, case: str) -> None:
    assert not Path(f"/tmp/.X11-unix/X{NO_X_SERVER[1:]}").exists()
    env = run_env(QT_QPA_PLATFORM="xcb", DISPLAY=NO_X_SERVER)
    if case == "missing library":  # what a fresh desktop without libxcb-cursor0 meets
        env[EXTRA_LIBRARY_ENV] = "libcounterpoint-missing.so.0"
    proc = subprocess.run([KIOSK, "--data-dir", str(tmp_path / "demo"), "run", "--demo"],
                          input="quit\n", capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    [line] = [x for x in proc.stderr.splitlines() if "running the text counter" in x]
    if case == "missing library":
        assert "libcounterpoint-missing.so.0" in line
    else:  # this machine may lack the X11 plugin's libraries too: either is the reason
        assert f"no X server answers on DISPLAY={NO_X_SERVER}" in line or "missing" in line
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in line
    assert "Scan a card" in proc.stdout  # the text counter's prompt


@pytest.mark.gui
def test_ctrl_c_stops_the_app_in_order(tmp_path: Path) -> None:
    proc = subprocess.Popen([KIOSK, "--data-dir", str(tmp_path / "demo"), "run", "--demo"],
                            env=run_env(QT_QPA_PLATFORM="offscreen"), text=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stderr is not None
    errors = Lines(proc.stderr)
    took = stop_with_ctrl_c(proc, errors, "Ctrl+C stops it", errors)
    assert proc.returncode == 0, errors.rest()
    assert "Traceback" not in errors.rest()
    assert took < STOP_WITHIN_S


def test_ctrl_c_stops_the_text_counter_in_order(tmp_path: Path) -> None:
    proc = subprocess.Popen([KIOSK, "--data-dir", str(tmp_path / "demo"), "run", "--demo",
                             "--text"], env=run_env(), text=True, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    output, errors = Lines(proc.stdout), Lines(proc.stderr)
    took = stop_with_ctrl_c(proc, output, "Scan a card", errors)
    assert proc.returncode == 0, errors.rest()
    assert "Traceback" not in errors.rest()
    assert "Stopped." in output.rest()
    assert took < STOP_WITHIN_S

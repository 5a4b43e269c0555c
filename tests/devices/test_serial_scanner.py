"""The serial scanner through real pseudo-terminals: scans, split writes, garbage, and a
scanner unplugged and plugged back in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.serial_scanner import SerialScanner, SerialSettings

WAIT = 10_000


class Pty:
    """A pseudo-terminal whose slave is reached through a stable symlink, as a udev rule
    gives a real scanner (/dev/serial/by-id/...): replugging makes a new device behind it."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master = -1
        self.plug()

    def plug(self) -> None:
        self.master, slave = os.openpty()
        path = os.ttyname(slave)
        os.close(slave)
        self.link.unlink(missing_ok=True)
        self.link.symlink_to(path)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        os.close(self.master)
        self.master = -1


@pytest.fixture
def pty(tmp_path: Path) -> Iterator[Pty]:
    p = Pty(tmp_path / "scanner")
    yield p
    if p.master >= 0:
        p.unplug()


@pytest.fixture
def scanner(qtbot, pty: Pty) -> Iterator[SerialScanner]:
    s = SerialScanner(SerialSettings(port=str(pty.link), baudrate=115200, suffix="CR"))
    seen: list = []
    states: list = []
    s.scanned.connect(seen.append)
    s.state_changed.connect(states.append)
    s.seen, s.states = seen, states  # type: ignore[attr-defined]
    s.start()
    qtbot.waitUntil(lambda: bool(states), timeout=WAIT)
    yield s
    s.shutdown()


def test_scans_arrive_as_events_even_when_written_in_pieces(qtbot, scanner, pty):
    assert scanner.states[-1] == f"connected {pty.link}"
    pty.write(b"]Q1CP1.MEMBER.")
    pty.write(b"1000-0001\r47100")
    pty.write(b"88410012\r")
    qtbot.waitUntil(lambda: len(scanner.seen) == 2, timeout=WAIT)
    assert [e.text for e in scanner.seen] == ["CP1.MEMBER.1000-0001", "4710088410012"]
    assert scanner.seen[0].source == f"serial:{pty.link}"


def test_garbage_is_dropped_and_the_scanner_keeps_reading(qtbot, scanner, pty):
    pty.write(b"\xff\xfe\x00\r" + b"\x1b[2J\r" + b"Q" * 5000 + b"\r")
    pty.write(b"CP1.AFTER\r")
    qtbot.waitUntil(lambda: len(scanner.seen) >= 1, timeout=WAIT)
    assert [e.text for e in scanner.seen] == ["CP1.AFTER"]


def test_an_unplugged_scanner_is_reported_and_picked_up_again_when_replugged(qtbot, scanner,
                                                                             pty):
    pty.unplug()
    qtbot.waitUntil(lambda: scanner.state.startswith("disconnected"), timeout=WAIT)
    pty.plug()
    qtbot.waitUntil(lambda: scanner.state == f"connected {pty.link}", timeout=WAIT)
    pty.write(b"CP1.BACK\r")
    qtbot.waitUntil(lambda: [e.text for e in scanner.seen] == ["CP1.BACK"], timeout=WAIT)


def test_a_missing_port_is_reported_not_fatal(qtbot, tmp_path):
    s = SerialScanner(SerialSettings(port=str(tmp_path / "nothing-here")))
    s.start()
    qtbot.waitUntil(lambda: s.state.startswith("disconnected:"), timeout=WAIT)
    s.shutdown()
    assert "nothing-here" in s.state

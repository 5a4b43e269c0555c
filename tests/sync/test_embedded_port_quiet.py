"""Two demo ledgers racing for a port: the one that loses takes another, and says nothing.
It used to find out in the server thread, where uvicorn's failed bind ends in
``SystemExit: 3``, which pytest and the app's log report as a thread that crashed while
the counter came up fine on another port. The port is bound in ``start`` now, by the
caller, before any server thread runs."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

import sync.embedded as embedded
from kiosk.program import load_program
from sync.embedded import EmbeddedLedger
from tests.helpers.program import PLAIN_PROGRAM

pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")


@pytest.fixture
def crashes(monkeypatch: pytest.MonkeyPatch) -> list[threading.ExceptHookArgs]:
    """Every exception a thread dies of while the test runs."""
    seen: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", seen.append)
    return seen


@pytest.fixture
def taken() -> Iterator[socket.socket]:
    """A port on loopback another ledger listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other


def started_elsewhere(tmp_path: Path, port: int) -> None:
    ledger = EmbeddedLedger(tmp_path / "ledger", load_program(PLAIN_PROGRAM), port=port)
    ledger.start()
    try:
        assert ledger.port != port
        assert requests.get(f"{ledger.url}/v1/health", timeout=5).status_code == 200
    finally:
        ledger.stop()


def test_a_port_already_taken_is_given_up_for_another_quietly(tmp_path, crashes, taken, capfd):
    started_elsewhere(tmp_path, taken.getsockname()[1])
    assert crashes == []
    assert "address already in use" not in capfd.readouterr().err


def test_a_port_taken_just_after_it_looked_free_is_given_up_for_another_quietly(
        tmp_path, crashes, monkeypatch, capfd):
    """The race itself: free when looked at, another ledger listening on it by the bind."""
    look, port = embedded._port_free, embedded.free_port()
    with socket.socket() as racer:
        def free_then_taken(p: int) -> bool:
            free = look(p)
            racer.bind(("127.0.0.1", p))
            racer.listen()
            return free

        monkeypatch.setattr(embedded, "_port_free", free_then_taken)
        started_elsewhere(tmp_path, port)
    assert crashes == []
    assert "address already in use" not in capfd.readouterr().err  # uvicorn's error log

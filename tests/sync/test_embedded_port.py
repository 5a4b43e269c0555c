"""Two demo counters starting at once: the demo ledger's port was free when one looked
and taken before it bound (xdist's two workers showed it: "address already in use" and
no counter). The embedded ledger now takes another port when its bind fails."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import requests

import sync.embedded as embedded
from kiosk.program import load_program
from sync.embedded import EmbeddedLedger
from tests.helpers.program import PLAIN_PROGRAM


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_port_taken_between_the_look_and_the_bind_is_given_up_for_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setattr(embedded, "_port_free", lambda _: True)  # "free" when asked
        ledger = EmbeddedLedger(tmp_path / "ledger", load_program(PLAIN_PROGRAM), port=port)
        ledger.start()
        try:
            assert ledger.port != port
            assert requests.get(f"{ledger.url}/v1/health", timeout=5).status_code == 200
        finally:
            ledger.stop()

"""The demo's embedded ledger: the real ledger service on loopback, in-process, over a
SQLite file in the kiosk's data folder, so `kiosk run --demo` needs nothing else."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from kiosk.program import Program
from sync.server.app import create_app
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger

DEMO_PORT = 8470


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A port on loopback nobody listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class EmbeddedLedger:
    folder: Path
    program: Program
    port: int = DEMO_PORT
    ledger: Ledger | None = None
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Serve on the demo port (another free one if it is taken) and wait until up."""
        self.folder.mkdir(parents=True, exist_ok=True)
        engine = ledger_engine(f"sqlite:///{self.folder / 'ledger.db'}")
        migrate(engine)
        self.ledger = Ledger(engine, lambda: datetime.now(UTC))
        self.ledger.initialise(self.program)
        app = create_app(self.ledger)
        for attempt in range(3):
            # Free when asked is no promise (another process may take it before uvicorn
            # binds: two demo counters starting at once); a port lost so is tried again.
            if attempt or not _port_free(self.port):
                self.port = free_port()
            if self._serve(app):
                return
        raise RuntimeError("the embedded ledger did not start")

    def _serve(self, app: FastAPI) -> bool:
        """Serve ``app`` on ``self.port``; whether it came up (False: the port was taken)."""
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="embedded-ledger",
                                        daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive():
                return False
            if time.monotonic() > deadline:
                raise RuntimeError("the embedded ledger did not start")
            time.sleep(0.02)
        return True

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        if self.ledger is not None:
            self.ledger.engine.dispose()

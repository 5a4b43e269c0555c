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


def _listening(port: int) -> socket.socket | None:
    """A socket listening on ``port`` on loopback, or None when the port is taken (bound
    and listening as uvicorn would have it, reusing a closing port)."""
    try:
        return socket.create_server(("127.0.0.1", port))
    except OSError:
        return None


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
        # Free when looked at is no promise (another process may take it before the bind:
        # two demo counters starting at once). The port is bound here, before any server
        # thread runs, so one lost so is given up for one the OS picks, quietly; bound
        # in that thread, uvicorn ended in a SystemExit that read like a crash.
        sock = _listening(self.port) if _port_free(self.port) else None
        if sock is None:
            sock = socket.create_server(("127.0.0.1", 0))
        self.port = int(sock.getsockname()[1])
        self._serve(app, sock)

    def _serve(self, app: FastAPI, sock: socket.socket) -> None:
        """Serve ``app`` on ``sock``, already listening, and wait until it is up."""
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False)
        server = self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=lambda: server.run(sockets=[sock]),
                                        name="embedded-ledger", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if not self._thread.is_alive():
                sock.close()  # uvicorn closes it on its way out only once it started
                raise RuntimeError("the embedded ledger did not start")
            if time.monotonic() > deadline:
                raise RuntimeError("the embedded ledger did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        if self.ledger is not None:
            self.ledger.engine.dispose()

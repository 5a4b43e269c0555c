"""Real ledger processes (`kiosk ledger serve` on loopback) and kiosks paired with them
through the real HTTP API, for the sync tests and every other test that needs a ledger."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

from kiosk.services import Kiosk
from sync.agent import SyncAgent
from sync.client import LedgerClient
from sync.embedded import free_port
from sync.pairing import pair_kiosk
from tests.helpers import zygote
from tests.helpers.program import PLAIN_PROGRAM

PG_ADMIN = os.environ.get("COUNTERPOINT_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def postgres_database(template: str | None = None) -> Iterator[str]:
    """A fresh PostgreSQL database, as a SQLAlchemy URL, dropped afterwards whatever
    happens; a test that needs it fails (never skips) without the server. With
    ``template`` (a database's name), the new database starts as a copy of that one."""
    name = f"cp_test_{secrets.token_hex(6)}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_copy(schema: Path, path: Path) -> str:
    """A SQLite ledger database at ``path`` (a new file), as a copy of ``schema`` (the
    ``sqlite_ledger_schema`` fixture: what ``migrate`` makes of a new file), as a URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(schema, path)
    return f"sqlite:///{path}"


@dataclass
class LedgerProcess:
    """`kiosk ledger serve` as its own process, killable and restartable."""

    db: str
    data_dir: Path
    port: int = field(default_factory=free_port)
    proc: zygote.ZygoteProcess | subprocess.Popen[bytes] | None = None
    program: Path | None = PLAIN_PROGRAM
    """`--program`: the document to publish at start (None: the shipped default)."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (self.data_dir / "ledger.log").open("ab")
        with log:
            self.proc = zygote.popen(
                ["--data-dir", str(self.data_dir), "ledger", "serve", "--db", self.db,
                 "--port", str(self.port),
                 *(["--program", str(self.program)] if self.program else [])],
                stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (self.data_dir / "ledger.log").read_text()
            try:
                if requests.get(self.url + "/v1/health", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        raise AssertionError("ledger did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def cli(self, *args: str) -> dict[str, object]:
        proc = zygote.run(["--data-dir", str(self.data_dir), "ledger", *args, "--db", self.db,
                           "--json"], timeout=60)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return dict(json.loads(proc.stdout))

    def add_device(self, name: str, kind: str = "kiosk") -> str:
        """Register a device straight in the ledger's database (the CLI's own path is
        tested on its own; this keeps each test from paying for a process start)."""
        from datetime import UTC, datetime

        from sync.server.db import ledger_engine
        from sync.server.ledger import Ledger

        engine = ledger_engine(self.db)
        try:
            return Ledger(engine, lambda: datetime.now(UTC)).add_device(name, kind)[1]
        finally:
            engine.dispose()

    def check(self) -> list[str]:
        """The problems `kiosk ledger check` would name, found by the same Ledger.check on
        the same database, in-process (the command itself is run by tests/app/test_demo.py,
        tests/sync/test_reports.py and tests/sync/test_program_versions.py; this keeps the
        many tests that check after converging from paying for a process start each)."""
        from datetime import UTC, datetime

        from sync.server.db import ledger_engine
        from sync.server.ledger import Ledger

        engine = ledger_engine(self.db)
        try:
            return list(Ledger(engine, lambda: datetime.now(UTC)).check())
        finally:
            engine.dispose()


def start_ledger(db: str, folder: Path) -> LedgerProcess:
    folder.mkdir(parents=True, exist_ok=True)
    ledger = LedgerProcess(db, folder)
    ledger.start()
    return ledger


@dataclass
class PairedKiosk:
    kiosk: Kiosk
    token: str
    url: str
    data_dir: Path

    def agent(self, url: str | None = None, timeout: tuple[float, float] = (2.0, 10.0)
              ) -> SyncAgent:
        return SyncAgent(self.kiosk, LedgerClient(url or self.url, self.token,
                                                  timeout=timeout))


def paired(ledger: LedgerProcess, folder: Path, name: str) -> PairedKiosk:
    token = ledger.add_device(name)
    kiosk = pair_kiosk(folder / name, ledger_url=ledger.url, token=token,
                       store_name=f"Store {name}")
    return PairedKiosk(kiosk, token, ledger.url, folder / name)

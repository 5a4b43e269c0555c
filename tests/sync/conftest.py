"""Real ledger processes on loopback, over real PostgreSQL (a fresh database per test) or
a SQLite file, and kiosks paired with them through the real HTTP API."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from kiosk.program import load_program
from kiosk.services import Kiosk
from sync.agent import SyncAgent
from sync.client import LedgerClient
from sync.pairing import pair_kiosk
from sync.protocol import EntryWire, MemberWire
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Caller, Ledger
from tests.conftest import DEFAULT_PROGRAM
from tests.helpers.cli import KIOSK as KIOSK_COMMAND

PG_ADMIN = os.environ.get("COUNTERPOINT_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database; a test that needs it fails (never skips) without it."""
    name = f"cp_test_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class LedgerProcess:
    """`kiosk ledger serve` as its own process, killable and restartable."""

    db: str
    data_dir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    program: Path | None = None  # `--program`: a document to publish at start

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (self.data_dir / "ledger.log").open("ab")
        self.proc = subprocess.Popen(
            [KIOSK_COMMAND, "--data-dir", str(self.data_dir), "ledger", "serve", "--db", self.db,
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
        proc = subprocess.run([KIOSK_COMMAND, "--data-dir", str(self.data_dir), "ledger", *args,
                               "--db", self.db, "--json"], capture_output=True, text=True,
                              timeout=60)
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
        return list(self.cli("check")["problems"])  # type: ignore[arg-type]


def start_ledger(db: str, folder: Path) -> LedgerProcess:
    folder.mkdir(parents=True, exist_ok=True)
    ledger = LedgerProcess(db, folder)
    ledger.start()
    return ledger


@pytest.fixture
def pg_ledger(pg_url: str, tmp_path: Path) -> Iterator[LedgerProcess]:
    ledger = start_ledger(pg_url, tmp_path / "ledger")
    yield ledger
    ledger.kill()


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Iterator[LedgerProcess]:
    ledger = start_ledger(f"sqlite:///{tmp_path / 'ledger' / 'ledger.db'}", tmp_path / "ledger")
    yield ledger
    ledger.kill()


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


# -- the ledger in-process, on both databases ------------------------------------------------

KIOSK = Caller("till-1", "kiosk")
SHOP = Caller("web", "shop")


@pytest.fixture(params=["postgres", "sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    """The ledger's operations called directly (no HTTP), with a kiosk and a shop."""
    url = (request.getfixturevalue("pg_url") if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'ledger.db'}")
    engine = ledger_engine(url)
    migrate(engine)
    ledger = Ledger(engine, lambda: datetime.now(UTC))
    ledger.initialise(load_program(DEFAULT_PROGRAM))
    ledger.add_device(KIOSK.device_id, "kiosk")
    ledger.add_device(SHOP.device_id, "shop")
    yield ledger
    engine.dispose()


def members(n: int) -> list[MemberWire]:
    return [MemberWire(id=uuid.uuid4(), name=f"M{i}", phone=f"0912{i:06d}",
                       enrolled_at=datetime.now(UTC), channel="till-1") for i in range(n)]


def sale(member: MemberWire, seq: int | None, points: int = 5, **changes: Any) -> EntryWire:
    """An earn entry of till-1 as the rules give it: ``points`` for ``points`` x NT$100."""
    fields = dict(id=uuid.uuid4(), member_id=member.id, kind="earn", points=points,
                  amount_minor=points * 100, channel="till-1", program_version="2026.2",
                  occurred_at=datetime.now(UTC), order_ref=f"O-{uuid.uuid4().hex[:8]}",
                  device_seq=seq)
    fields.update(changes)
    return EntryWire.model_validate(fields)

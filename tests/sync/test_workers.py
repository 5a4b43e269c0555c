"""A kiosk's two keep-alive connections, opened together, go to two of the ledger's worker
processes, not both to one (which then served both uploads on one core while the other
idled): ``sync/server/workers.py``."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

import sync.server.workers as workers
from sync.embedded import free_port
from sync.server.workers import SpreadingLoop
from tests.helpers.cli import KIOSK


class _Worker:
    """One of the workers, as a thread running its own loop on the shared socket."""

    def __init__(self, listener: socket.socket) -> None:
        self.loop = SpreadingLoop()
        self.connections: list[asyncio.Transport] = []
        sock = socket.socket(fileno=os.dup(listener.fileno()))
        self.server = self.loop.run_until_complete(
            self.loop.create_server(self._protocol, sock=sock))
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def _protocol(self) -> asyncio.Protocol:
        worker = self

        class Held(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                worker.connections.append(transport)  # type: ignore[arg-type]
        return Held()

    def stop(self) -> None:
        async def close() -> None:
            self.server.close()
            for t in self.connections:
                t.close()
        asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@contextmanager
def _workers(n: int) -> Iterator[tuple[int, list[_Worker]]]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(100)
        started = [_Worker(listener) for _ in range(n)]
        try:
            yield listener.getsockname()[1], started
        finally:
            for w in started:
                w.stop()


def _wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_two_connections_opened_together_go_to_two_workers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "WAIT_PER_CONNECTION", 0.5)  # room for a loaded machine
    monkeypatch.setattr(workers, "MOST_WAIT", 0.5)
    for _ in range(3):
        with _workers(2) as (port, pair):
            clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
            _wait_for(lambda: sum(len(w.connections) for w in pair) == 2)
            assert [len(w.connections) for w in pair] == [1, 1]
            for c in clients:
                c.close()


def test_a_busy_worker_still_accepts_when_no_other_does() -> None:
    with _workers(1) as (port, (only,)):
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        _wait_for(lambda: len(only.connections) == 3)
        assert len(only.connections) == 3
        for c in clients:
            c.close()


def _served(port: int, states: tuple[str, ...] = ("01",)) -> set[str]:
    """The socket inodes of the server's side of connections to ``port`` in ``states``
    (01: established; 08: closed by the client, not yet by the server)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] in states:
            inodes.add(fields[9])
    return inodes


def _connection_owners(pids: list[int], port: int) -> list[int]:
    """Which of ``pids`` holds each established connection to ``port`` (Linux /proc)."""
    inodes = _served(port)
    owners = []
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                owners.append(pid)
    return owners


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_the_ledger_workers_share_a_kiosks_connections(pg_migrated_url: str,
                                                       tmp_path: Path) -> None:
    port = free_port()
    with (tmp_path / "ledger.log").open("ab") as log:
        proc = subprocess.Popen(
            [KIOSK, "--data-dir", str(tmp_path), "ledger", "serve", "--db", pg_migrated_url,
             "--port", str(port), "--workers", "2"], stdout=log, stderr=log)
    try:
        def pair() -> set[int]:
            """Two connections opened together, each asked for the health check and held
            open, as a kiosk's keep-alive pair: the worker processes that hold them."""
            # The workers have let the last pair go: a worker that still holds one waits
            # before it accepts, and then takes every connection waiting.
            _wait_for(lambda: not _served(port, ("01", "08")))
            clients = [socket.create_connection(("127.0.0.1", port), timeout=5)
                       for _ in range(2)]
            try:
                for c in clients:
                    c.sendall(b"GET /v1/health HTTP/1.1\r\nHost: ledger\r\n\r\n")
                assert all(c.recv(4096).startswith(b"HTTP/1.1 200") for c in clients)
                return set(_connection_owners(_children(proc.pid), port))
            finally:
                for c in clients:
                    c.close()

        deadline, split = time.monotonic() + 60, False
        while not split and time.monotonic() < deadline:  # until both workers serve
            with suppress(OSError):
                split = len(pair()) == 2
            time.sleep(0.5)
        assert split, (tmp_path / "ledger.log").read_text()
        # Most pairs split (before the spreading loop, 8 pairs in 10 landed on one worker).
        # Not every one: on a loaded machine the idle worker may not be scheduled within
        # the busy one's wait (the tests above hold the rule itself, with room for load).
        splits = [len(pair()) for _ in range(5)]
        assert splits.count(2) >= 3, splits
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

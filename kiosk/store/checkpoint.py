"""WAL checkpoints between customers, so a sale rarely waits for one.

With SQLite's default automatic checkpoints, the commit that pushes the WAL past 1,000
pages also copies them into the database file and fsyncs it before it returns. A sale
dirties about nine pages (the entry, its indexes, the balance row, the outbox, the
sequence), so one sale in about a hundred paid for a checkpoint: measured, exactly every
~100th sale was 3-10x slower, which was the whole gap between the sale's p99 and a raw
insert's (BENCHMARKS.md).

At a counter, sales are seconds apart. So this thread checkpoints once the store has been
quiet for ``idle`` seconds after a write, and the writer raises SQLite's own automatic
checkpoint to ``AUTOCHECKPOINT_PAGES`` as the backstop for sustained bursts (a big pull,
an import, a benchmark's tight loop). A checkpoint on another thread while sales are being
written would compete with their fsyncs (measured: worse p50 and p99), hence "when idle".
PASSIVE never blocks the writer or readers. Durability is unchanged: a commit is durable
once its WAL frames are fsynced (``synchronous=FULL``), checkpointed or not, and a WAL left
by a crash is replayed when the store is next opened.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

AUTOCHECKPOINT_PAGES = 4000
"""The writer's own checkpoint threshold (16 MB of WAL at 4 kB pages; SQLite's default is
1,000): only reached by a burst with no quiet moment in it."""


class Checkpointer:
    def __init__(self, path: Path, *, idle: float = 0.2) -> None:
        self.path, self.idle = path, idle
        self._last_write = 0.0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.checkpoints = 0

    def written(self) -> None:
        """A write transaction committed: checkpoint once things are quiet. Called on
        every sale, so it takes no lock unless the thread must be started: a float
        assignment is atomic, and the thread re-reads the time before it acts."""
        self._last_write = time.monotonic()
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._stop.is_set():
                    self._thread = threading.Thread(target=self._run, name="wal-checkpoint",
                                                    daemon=True)
                    self._thread.start()
        if not self._wake.is_set():
            self._wake.set()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=1000")
            while not self._stop.is_set():
                self._wake.wait()
                self._wake.clear()
                if self._quiet():
                    self._checkpoint(conn)
        finally:
            conn.close()

    def _quiet(self) -> bool:
        """Wait until no write came for ``idle`` seconds; False if told to stop first."""
        while not self._stop.is_set():
            with self._lock:
                quiet_for = time.monotonic() - self._last_write
            if quiet_for >= self.idle:
                self._wake.clear()  # writes seen while waiting are covered by this round
                return True
            self._stop.wait(self.idle - quiet_for)
        return False

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error as exc:  # the next quiet moment tries again; the WAL keeps it
            log.warning("WAL checkpoint failed: %s", exc)

    def stop(self) -> None:
        """End the thread (the last connection's close checkpoints whatever is left)."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=10)

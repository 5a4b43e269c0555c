"""The sync agent's loop on its own QThread, its status delivered to the UI by a signal."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QThread, Signal, Slot

from sync.status import SyncStatus


class Syncing(Protocol):
    """What the worker runs: :class:`sync.agent.SyncAgent`, passed in by the app."""

    on_status: Callable[[SyncStatus], None] | None

    @property
    def status(self) -> SyncStatus: ...

    def run_forever(self, stop: threading.Event, interval: float = ...,
                    max_backoff: float = ...) -> None: ...

    def wake(self) -> None: ...


class SyncWorker(QObject):
    """Owns no widgets; lives on ``thread``. ``status_changed`` carries a ``SyncStatus``."""

    status_changed = Signal(object)

    def __init__(self, agent: Syncing, interval: float = 5.0) -> None:
        super().__init__()
        self.agent, self.interval = agent, interval
        self._stop = threading.Event()
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("sync-agent")
        self.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self._run)
        agent.on_status = self.status_changed.emit

    def start(self) -> None:
        self.worker_thread.start()

    @Slot()
    def _run(self) -> None:
        self.agent.run_forever(self._stop, self.interval)

    def sync_soon(self) -> None:
        """New entries at the counter: send them (and recount) without waiting for the
        next round. Never touches the store itself: this is called on the UI thread."""
        self.agent.wake()

    @property
    def status(self) -> SyncStatus:
        return self.agent.status

    def shutdown(self) -> None:
        self._stop.set()
        self.agent.wake()
        self.worker_thread.quit()
        self.worker_thread.wait()
        self.agent.on_status = None

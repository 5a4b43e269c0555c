"""Run service calls off the UI thread and hand their results back on it.

The UI thread never waits on the database or the network: a screen asks ``Tasks.run`` to
call a service on the shared QThreadPool, and its callbacks run later on the UI thread,
queued through a signal of this object (which lives on the UI thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Job(QRunnable):
    def __init__(self, tasks: Tasks, fn: Callable[[], Any], done: Done, failed: Failed) -> None:
        super().__init__()
        self.tasks, self.fn, self.done, self.failed = tasks, fn, done, failed

    def run(self) -> None:
        try:
            result, error = self.fn(), None
        except Exception as exc:  # handed to the UI thread, which shows or logs it
            result, error = None, exc
        self.tasks._finished.emit(self, result, error)


class Tasks(QObject):
    """One-off jobs on a thread pool; ``busy_changed`` lets screens lock their buttons so a
    double tap can't start the same sale twice."""

    _finished = Signal(object, object, object)
    busy_changed = Signal(bool)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._pending: set[_Job] = set()
        self._finished.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, fn: Callable[[], Any], done: Done, failed: Failed) -> None:
        job = _Job(self, fn, done, failed)
        job.setAutoDelete(False)  # we keep it until its result is delivered
        self._pending.add(job)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self.pool.start(job)

    @Slot(object, object, object)
    def _deliver(self, job: _Job, result: Any, error: BaseException | None) -> None:
        self._pending.discard(job)
        try:
            if error is None:
                job.done(result)
            else:
                job.failed(error)
        finally:
            if not self._pending:
                self.busy_changed.emit(False)

    def wait_done(self, msecs: int = 30000) -> bool:
        """Block until running jobs finish (shutdown only: never on a live screen)."""
        return self.pool.waitForDone(msecs)

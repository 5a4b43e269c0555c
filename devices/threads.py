"""Putting a device worker on its own QThread and taking it down again.

Workers are plain QObjects; their signals reach the UI thread as queued calls, so a slow
port or a slow decode never holds up the screen. ``shutdown`` is quit() + wait(), always
both, so no thread outlives the app or a test.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThread


def start_worker(worker: QObject, name: str,
                 run: Callable[[], None] | None = None) -> QThread:
    """Move ``worker`` (which must have no parent) onto a new QThread named ``name`` and
    start it. ``run``, if given, is called on that thread as soon as it starts: a worker
    with a blocking loop; without it the worker serves queued slot calls."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    if run is not None:
        thread.started.connect(run)
    thread.start()
    return thread


def shutdown(thread: QThread, timeout_ms: int = 5000) -> bool:
    """Stop the thread's event loop and wait for it; False if it did not end in time (a
    worker still blocked in a driver call), which callers log."""
    thread.quit()
    return thread.wait(timeout_ms)

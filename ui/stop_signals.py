"""Ctrl+C (SIGINT) and SIGTERM stop the app in order (threads quit and waited for, store
closed) instead of doing nothing: Python runs a signal handler only when the interpreter
gets control, and Qt's event loop, in C++, doesn't give it any. A timer calls into Python
every 200 ms so the handler runs; the handler asks the event loop to quit, and
``run_app`` shuts the counter down as it does when the window closes."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from PySide6.QtCore import QCoreApplication, QTimer

WAKE_MS = 200
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def quit_on_stop_signals(app: QCoreApplication) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM quit ``app``'s event loop (even one not started
    yet: the quit is queued for it). The previous handlers come back on the way out."""
    wake = QTimer(interval=WAKE_MS)
    wake.timeout.connect(lambda: None)  # a call into Python: pending handlers run

    def stop(_signum: int, _frame: FrameType | None) -> None:
        QTimer.singleShot(0, app.quit)

    previous: dict[signal.Signals, Callable[[int, FrameType | None], object] | int | None] = {
        s: signal.signal(s, stop) for s in STOP_SIGNALS}
    wake.start()
    try:
        yield
    finally:
        wake.stop()
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)

"""Keyboard-wedge scanners: a scanner that "types" its code and presses Enter.

A scanner types tens of characters in a few milliseconds each; a person types one every
100 ms or so. ``WedgeClassifier`` (pure, timing in seconds) decides from the gaps between
keys; ``WedgeScanFilter`` (installed on the QApplication) holds each typed character
back for at most ``max_gap`` and either turns a burst ending in Enter into a
``ScanEvent`` (so a scan never lands in a text field) or hands the keys on, in order, to
the widget they were meant for (so typing is never taken for a scan, only delayed by a
few tens of milliseconds).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from devices.scan import ScanEvent, clean_scan

MAX_GAP = 0.035  # s between a scanner's keys (they send one every 1-15 ms)
MIN_LENGTH = 4  # a burst shorter than this ending in Enter is a person pressing keys


@dataclass
class WedgeClassifier:
    """State of one burst. ``key`` returns False when the burst can no longer be a scan
    (too slow): the caller replays what it held and starts again."""

    max_gap: float = MAX_GAP
    min_length: int = MIN_LENGTH
    held: list[str] = field(default_factory=list)
    last: float | None = None

    def key(self, text: str, now: float) -> bool:
        if self.last is not None and now - self.last > self.max_gap:
            return False
        self.held.append(text)
        self.last = now
        return True

    def enter(self, now: float) -> str | None:
        """The scan, if the held burst was one; else None (the caller replays)."""
        if (self.last is None or now - self.last > self.max_gap
                or len(self.held) < self.min_length):
            return None
        return "".join(self.held)

    def take(self) -> list[str]:
        held, self.held, self.last = self.held, [], None
        return held


@dataclass
class _Held:
    target: QObject
    key: int
    text: str
    modifiers: Qt.KeyboardModifier


class WedgeScanFilter(QObject):
    scanned = Signal(object)  # ScanEvent

    def __init__(self, max_gap: float = MAX_GAP, min_length: int = MIN_LENGTH,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.classifier = WedgeClassifier(max_gap, min_length)
        self._held: list[_Held] = []
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(max_gap * 1000) + 1)
        self._timer.timeout.connect(self.release)

    def install(self, app: QCoreApplication) -> None:
        app.installEventFilter(self)

    def uninstall(self, app: QCoreApplication) -> None:
        app.removeEventFilter(self)
        self.release()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (self._replaying or event.type() != QEvent.Type.KeyPress
                or not isinstance(watched, QWidget)):
            return False
        assert isinstance(event, QKeyEvent)
        now = self.clock()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text = self.classifier.enter(now) if self._held else None
            scan = clean_scan(text) if text is not None else None
            if scan is not None:
                self._held.clear()
                self.classifier.take()
                self._timer.stop()
                self.scanned.emit(ScanEvent(scan, "wedge"))
                return True
            self.release()
            return False
        typed = event.text()
        if (not typed or not typed.isprintable() or event.modifiers()
                & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)):
            self.release()  # editing keys, shortcuts: a person; hand on what was held
            return False
        if not self.classifier.key(typed, now):
            self.release()
            self.classifier.key(typed, now)
        self._held.append(_Held(watched, event.key(), typed, event.modifiers()))
        self._timer.start()
        return True

    def release(self) -> None:
        """Not a scan after all: give the held keys to their widgets, in order."""
        self._timer.stop()
        held, self._held = self._held, []
        self.classifier.take()
        self._replaying = True
        try:
            for h in held:
                target = QApplication.focusWidget() or h.target
                QCoreApplication.sendEvent(target, QKeyEvent(
                    QEvent.Type.KeyPress, h.key, h.modifiers, h.text))
                QCoreApplication.sendEvent(target, QKeyEvent(
                    QEvent.Type.KeyRelease, h.key, h.modifiers, h.text))
        finally:
            self._replaying = False

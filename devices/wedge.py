"""Keyboard-wedge scanners: a scanner that "types" its code and presses Enter.

A scanner types tens of characters in a few milliseconds each; a person types one every
100 ms or so. ``WedgeClassifier`` (pure, timing in seconds) decides from the gaps between
keys; ``WedgeScanFilter`` (installed on the QApplication) holds each typed character
back for at most ``max_gap`` and either turns a burst ending in Enter (or Tab) into a
``ScanEvent`` (so a scan never lands in a text field) or hands the keys on, in order, to
the widget they were meant for (so typing is never taken for a scan, only delayed by a
few tens of milliseconds).

Modifier keys (Shift, Ctrl, Alt, AltGr, Meta, CapsLock, NumLock) carry no text: a
scanner presses Shift around every capital exactly as a keyboard does, so their presses
pass through without touching the burst, and only the characters' own timing decides. A
burst may end in Enter or Tab (a scanner's configurable suffix); a prefix the scanner sends
first (an F-key, a control character, an AIM identifier such as ``]Q1``) comes before the
burst and doesn't disturb it.

Times come from the key events' own timestamps (set by the window system when the key
was pressed) when they have them, so a moment when the UI thread was busy and keys queued
up doesn't make a person's typing look like a burst; synthetic events without one are
timed on arrival.

Wiring::

    wedge = WedgeScanFilter(max_gap=0.035, min_length=4)
    wedge.scanned.connect(window.on_scan)
    wedge.install(app)        # QApplication-wide, sees every key first
    ...
    wedge.uninstall(app)      # hands on anything still held
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from devices.scan import ScanEvent, clean_scan
from devices.wedge_timing import MAX_GAP, MIN_LENGTH, WedgeClassifier

log = logging.getLogger(__name__)

__all__ = ["MAX_GAP", "MIN_LENGTH", "WedgeClassifier", "WedgeScanFilter"]


_MODIFIER_KEYS = frozenset({
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
    Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R,
    Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_Mode_switch,
})
"""Keys that only change what the next key types: no text, no part of a scan's timing."""

_TEXT_MODIFIERS = (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
                   | Qt.KeyboardModifier.GroupSwitchModifier)
"""Modifiers a typed character may carry: Shift for capitals, the keypad's digits, AltGr
(which X11 reports as the group switch, or not at all). Ctrl or Alt make it a shortcut."""

_TERMINATORS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


def _is_typed_text(event: QKeyEvent) -> bool:
    typed = event.text()
    return (bool(typed) and typed.isprintable() and not event.isAutoRepeat()
            and not event.modifiers() & ~_TEXT_MODIFIERS)


@dataclass
class _Held:
    target: QObject
    key: int
    text: str
    modifiers: Qt.KeyboardModifier
    timestamp: int


class WedgeScanFilter(QObject):
    """Application-wide key filter: scanner bursts become ``scanned`` ScanEvents and never
    reach a widget; a person's keys reach their widget, in order, at most ~36 ms late."""

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
        if event.key() in _MODIFIER_KEYS:  # Shift around a capital: neither a key nor a gap
            return False
        now = event.timestamp() / 1000 if event.timestamp() else self.clock()
        if event.key() in _TERMINATORS and not event.modifiers() & ~_TEXT_MODIFIERS:
            text = self.classifier.enter(now) if self._held else None
            if text is None:  # a person pressing Enter/Tab: hand on what they typed, then it
                self.release()
                return False
            self._held.clear()
            self.classifier.take()
            self._timer.stop()
            scan = clean_scan(text)
            if scan is None:  # a scanner's burst, but nothing we can use: never a field's
                log.warning("dropped an unusable %d-key wedge scan", len(text))
                return True
            self.scanned.emit(ScanEvent(scan, "wedge"))
            return True
        typed = event.text()
        if not _is_typed_text(event):
            self.release()  # editing keys, shortcuts, a held key: a person; hand on the rest
            return False
        if not self.classifier.key(typed, now):
            self.release()
            self.classifier.key(typed, now)
        self._held.append(_Held(watched, event.key(), typed, event.modifiers(),
                                event.timestamp()))
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
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    replay = QKeyEvent(kind, h.key, h.modifiers, h.text)
                    replay.setTimestamp(h.timestamp)
                    QCoreApplication.sendEvent(target, replay)
        finally:
            self._replaying = False

"""Hardware as tests drive it: a pseudo-terminal standing in for a serial scanner, and
a USB keyboard-wedge scanner's (or a person's) key events on a fake clock."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from devices.settings import DeviceSettings, PrinterSettings, WedgeSettings


class Pty:
    """A pseudo-terminal whose slave is reached through a stable symlink, as a udev rule
    gives a real scanner (/dev/serial/by-id/...): replugging makes a new device behind it."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master = -1
        self.plug()

    def plug(self) -> None:
        self.master, slave = os.openpty()
        path = os.ttyname(slave)
        os.close(slave)
        self.link.unlink(missing_ok=True)
        self.link.symlink_to(path)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        os.close(self.master)
        self.master = -1


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


SHIFTED = frozenset('~!@#$%^&*()_+{}|:"<>?')  # a US layout's shifted symbols


def _key(ch: str) -> Qt.Key:
    return {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab}.get(ch) or Qt.Key(ord(ch.upper()))


def hid_type(text: str, clock: FakeClock, gap: float, prefix: str = "",
             suffix: str = "\r", window: QWidget | None = None) -> None:
    """Type ``text`` into whatever has focus, one key event every ``gap`` seconds (on the
    fake clock the filter reads), as a USB HID keyboard does: for a capital, Shift press,
    the key's press and release (with the Shift modifier), Shift release. ``prefix`` is
    a scanner's configurable prefix key: "F12", or "STX" (Ctrl+B, with Ctrl's own press
    and release). ``suffix`` is Enter ("\\r"), Tab ("\\t") or "" (none: a person). Keys go
    where a keyboard's go: the focused widget, else ``window``."""

    def target() -> QWidget:
        widget = QApplication.focusWidget() or window
        assert widget is not None, "nothing has focus"
        return widget

    def event(kind: QEvent.Type, key: Qt.Key, mods: Qt.KeyboardModifier, txt: str) -> None:
        clock.now += gap
        QApplication.sendEvent(target(), QKeyEvent(kind, key, mods, txt))

    press, release = QEvent.Type.KeyPress, QEvent.Type.KeyRelease
    shift, ctrl = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
    none = Qt.KeyboardModifier.NoModifier
    if prefix == "F12":
        event(press, Qt.Key.Key_F12, none, "")
        event(release, Qt.Key.Key_F12, none, "")
    elif prefix == "STX":
        event(press, Qt.Key.Key_Control, ctrl, "")
        event(press, Qt.Key.Key_B, ctrl, "\x02")
        event(release, Qt.Key.Key_B, ctrl, "\x02")
        event(release, Qt.Key.Key_Control, none, "")
    else:
        assert not prefix, prefix
    for ch in text + suffix:
        if ch.isupper() or ch in SHIFTED:
            event(press, Qt.Key.Key_Shift, shift, "")
            event(press, _key(ch), shift, ch)
            event(release, _key(ch), shift, ch)
            event(release, Qt.Key.Key_Shift, none, "")
        else:
            event(press, _key(ch), none, ch)
            event(release, _key(ch), none, ch)


def file_printer(paper: Path) -> DeviceSettings:
    """Device settings with the receipt printer a file (its ESC/POS bytes read back by
    ``tests.devices.escpos_reader``) and no keyboard-wedge scanner."""
    return DeviceSettings(wedge=WedgeSettings(enabled=False),
                          printer=PrinterSettings(kind="file", target=str(paper)))

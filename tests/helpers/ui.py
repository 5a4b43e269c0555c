"""Driving the real counter app in tests: taps, key presses, waits for a screen or a
message, the demo's scans and the manager's unlock, shared by every UI test module."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.app.qt import DEMO_PIN, CounterApp
from kiosk.services import member_view
from tests.devices.escpos_reader import Printout, UnknownCommand, read

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / os.environ.get("SCREENSHOTS_DIR", "build/screenshots")
"""Where screenshots go: build/ on a test run, docs/ for `make screenshots`."""
WAIT = 15_000
# Every waitUntil predicate here returns a bool: pytest-qt takes a None as "passed".


def shoot(app: CounterApp, language: str, name: str) -> None:
    """The window as it is now, as ``SHOTS/<language>/<name>.png``."""
    QApplication.processEvents()
    folder = SHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    assert app.window.grab().save(str(folder / f"{name}.png"))


def whole_printout(qtbot, paper: Path) -> Printout:
    """The receipt printer's file (a file printer: ``tests.helpers.devices.file_printer``)
    once a whole receipt is in it, ended by its cut. The printer writes from a worker
    thread, so a file that merely exists, or isn't empty, may be read mid-write (a raster
    cut short: seen in CI)."""
    got: list[Printout] = []

    def whole() -> bool:
        try:
            out = read(paper.read_bytes()) if paper.exists() else None
        except UnknownCommand:  # a command cut short: still being written
            return False
        if out is None or not out.items or out.items[-1] != "cut":
            return False
        got.append(out)
        return True

    qtbot.waitUntil(whole, timeout=WAIT)
    return got[-1]


def tap(qtbot, widget: QPushButton) -> None:
    assert widget.isEnabled() and widget.isVisible(), f"{widget.text()!r} can't be tapped"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def on_screen(qtbot, app: CounterApp, name: str) -> None:
    qtbot.waitUntil(lambda: app.window.current == name, timeout=WAIT)


def message(qtbot, app: CounterApp, kind: str) -> str:
    qtbot.waitUntil(lambda: app.window.banner.isVisible() and app.window.banner.kind == kind,
                    timeout=WAIT)
    return app.window.banner.text()


def scan_member(qtbot, app: CounterApp, index: int = 0) -> None:
    app.window.simulate_actions[index].trigger()
    on_screen(qtbot, app, "member")


def stored_balance(app: CounterApp) -> int:
    assert app.window.member is not None
    return member_view(app.counter.kiosk, app.window.member.member.id).balance


def key_in(qtbot, keypad, digits: str) -> None:
    for d in digits:
        tap(qtbot, keypad.keys[d])


def manager_unlock(qtbot, app: CounterApp, pin: str = DEMO_PIN) -> None:
    w = app.window
    tap(qtbot, w.manager_button)
    on_screen(qtbot, app, "manager")
    qtbot.waitUntil(lambda: w.manager.staff_pin.chosen is not None, timeout=WAIT)  # the one
    key_in(qtbot, w.manager.pin_pad, pin)
    tap(qtbot, w.manager.unlock)


def demo_scan_list(app: CounterApp) -> list[tuple[str, str]]:
    from kiosk.app.qt import demo_scans

    return demo_scans(app.running)


def in_view(app: CounterApp, widget: QWidget) -> bool:
    """Whether ``widget`` shows whole in the window's scrolled panel (not below the fold)."""
    viewport = app.window.scroll_area.viewport()
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))

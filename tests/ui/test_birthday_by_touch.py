"""A birthday typed by touch (issue 12, point 8): a tap in the middle of the field, then
the on-screen keyboard's digits. With an input mask the tap put the cursor past the mask
and the digits were dropped."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from kiosk.app.qt import CounterApp
from tests.helpers.ui import WAIT, message, on_screen, tap


def key(app: CounterApp, text: str) -> QPushButton:
    return next(b for b in app.window.enrol.keyboard.findChildren(QPushButton)
                if b.text() == text)


def test_a_birthday_is_typed_by_touch_anywhere_in_the_field(qtbot, app: CounterApp):
    w = app.window
    tap(qtbot, w.idle.enrol)
    on_screen(qtbot, app, "enrol")
    qtbot.keyClicks(w.enrol.name, "Amy Lin")
    qtbot.keyClicks(w.enrol.phone, "0911222333")
    field = w.enrol.birthday
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton,
                     pos=QPoint(field.width() // 2, field.height() // 2))
    qtbot.waitUntil(field.hasFocus, timeout=WAIT)
    for digit in "19850412":
        tap(qtbot, key(app, digit))
    assert field.text() == "19850412"
    w.enrol.consent.setChecked(True)
    tap(qtbot, w.enrol.submit)
    on_screen(qtbot, app, "card")
    assert w.card.result.member.birthday == dt.date(1985, 4, 12)


def test_a_birthday_that_is_no_date_is_refused_in_words(qtbot, app: CounterApp):
    w = app.window
    tap(qtbot, w.idle.enrol)
    qtbot.keyClicks(w.enrol.name, "Amy Lin")
    qtbot.keyClicks(w.enrol.phone, "0911222333")
    qtbot.keyClicks(w.enrol.birthday, "1985-13-40")
    w.enrol.consent.setChecked(True)
    tap(qtbot, w.enrol.submit)
    assert "not a date" in message(qtbot, app, "error")
    assert w.current == "enrol"

"""Screens hold still (issue 12, point 4): the message strip keeps its place and height
whether a message is shown, changed or gone, so no key moves under a finger between two
taps (PIN entry after "Wrong PIN.", the sale keypad after a product error, the
enrolment form after a refusal); and the counter fits a 800x480 panel without overlaps."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.app.qt import CounterApp
from tests.helpers.ui import (
    SHOTS,
    WAIT,
    key_in,
    manager_unlock,
    message,
    on_screen,
    scan_member,
    tap,
)

LONG = ("This member joined at another store and this kiosk has not synced their account "
        "yet. Their points can be used once the kiosk is online. " * 3)


def spots(app: CounterApp, widgets: Iterable[QWidget]) -> list[QRect]:
    """Where each widget is on the window once the layout has settled."""
    QApplication.processEvents()
    w = app.window
    return [QRect(x.mapTo(w, QPoint(0, 0)), x.size()) for x in widgets]


def controls(screen: QWidget) -> list[QWidget]:
    return [b for b in screen.findChildren(QPushButton) if b.isVisible()]


def still_through_messages(qtbot, app: CounterApp, widgets: list[QWidget]) -> None:
    """Every kind of message, shown, changed and gone, moves none of ``widgets``."""
    w = app.window
    before = spots(app, widgets)
    w.show_info("Saved.")
    assert spots(app, widgets) == before, "an info message moved the controls"
    w.show_error_text(LONG)
    assert spots(app, widgets) == before, "a long error moved the controls"
    w.offer_receipt(lambda: None)  # type: ignore[arg-type,return-value]
    assert spots(app, widgets) == before, "the receipt button moved the controls"
    w.banner.clear_message()
    assert spots(app, widgets) == before, "a message going moved the controls"


@pytest.fixture
def at_1024(app: CounterApp) -> CounterApp:
    app.window.resize(1024, 768)
    QApplication.processEvents()
    return app


def test_the_pin_pad_does_not_move_when_a_wrong_pin_is_refused(qtbot, at_1024):
    app = at_1024
    w = app.window
    tap(qtbot, w.manager_button)
    on_screen(qtbot, app, "manager")
    qtbot.waitUntil(lambda: w.manager.staff_pin.chosen is not None, timeout=WAIT)
    keys = [*w.manager.pin_pad.keys.values(), w.manager.unlock]
    before = spots(app, keys)
    key_in(qtbot, w.manager.pin_pad, "9999")
    tap(qtbot, w.manager.unlock)
    assert message(qtbot, app, "error") == "Wrong PIN."
    qtbot.waitUntil(lambda: w.manager.pin_pad.keys["1"].isEnabled(), timeout=WAIT)
    assert spots(app, keys) == before
    still_through_messages(qtbot, app, keys)


def test_the_sale_keypad_does_not_move_when_a_message_comes_and_goes(qtbot, at_1024):
    app = at_1024
    w = app.window
    scan_member(qtbot, app, 0)
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "sale")
    keys = controls(w.sale)
    before = spots(app, keys)
    w.handle_scan("0000000000000")
    message(qtbot, app, "error")
    assert spots(app, keys) == before
    still_through_messages(qtbot, app, keys)


def test_the_enrolment_form_does_not_move_when_a_message_comes_and_goes(qtbot, at_1024):
    app = at_1024
    w = app.window
    tap(qtbot, w.idle.enrol)
    on_screen(qtbot, app, "enrol")
    widgets = [w.enrol.name, w.enrol.phone, w.enrol.birthday, *controls(w.enrol)]
    assert fits_unscrolled(app)
    still_through_messages(qtbot, app, widgets)


def fits_unscrolled(app: CounterApp) -> bool:
    """The screen on show fits the window whole: no scroll bar at 1024x768."""
    QApplication.processEvents()
    w = app.window
    return w.stack.size() == w.stack.parentWidget().size()


def test_the_member_screen_and_manager_tabs_do_not_move(qtbot, at_1024):
    app = at_1024
    w = app.window
    scan_member(qtbot, app, 0)
    assert fits_unscrolled(app)
    still_through_messages(qtbot, app, controls(w.member_screen))
    tap(qtbot, w.member_screen.sale)
    assert fits_unscrolled(app)
    w.show_screen("member")
    tap(qtbot, w.member_screen.redeem)
    assert fits_unscrolled(app)
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    for index in range(w.manager.tabs.count()):
        w.manager.tabs.setCurrentIndex(index)
        assert fits_unscrolled(app), w.manager.tabs.tabText(index)
        still_through_messages(qtbot, app, controls(w.manager))


def overlaps(app: CounterApp) -> list[str]:
    """Controls that overlap, are cut off or squeezed: the top bar's and the message
    strip's buttons within the window; each screen's within the screen (which scrolls on a
    panel too small for it, never squeezed below its minimum)."""
    w = app.window
    screen = w.stack.currentWidget()
    found = []
    if w.stack.height() < screen.minimumSizeHint().height() \
            or w.stack.width() < screen.minimumSizeHint().width():
        found.append(f"the screen is squeezed to {w.stack.size()}")
    for within in (w, screen):
        buttons = [b for b in within.findChildren(QPushButton) if b.isVisible()
                   and (within is screen or not screen.isAncestorOf(b))]
        shown = [(b, QRect(b.mapTo(within, QPoint(0, 0)), b.size())) for b in buttons]
        inside = QRect(QPoint(0, 0), within.size())
        found += [f"{b.text()!r} {r} outside" for b, r in shown if not inside.contains(r)]
        found += [f"{b.text()!r} {b.width()} < {b.sizeHint().width()}" for b, _ in shown
                  if b.text() and b.width() < b.sizeHint().width()]
        for i, (a, ra) in enumerate(shown):
            found += [f"{a.text()!r} {ra} overlaps {b.text()!r} {rb}"
                      for b, rb in shown[i + 1:] if ra.intersects(rb)]
    return found


@pytest.mark.parametrize("language", ["en", "zh-TW", "zh-CN"])
def test_the_counter_fits_a_small_800x480_panel(qtbot, app, language):
    w = app.window
    w.set_language(language)
    w.resize(800, 480)
    QApplication.processEvents()
    assert (w.width(), w.height()) == (800, 480)

    def check(name: str) -> None:
        QApplication.processEvents()
        problems = overlaps(app)
        assert problems == [], f"{name}: {problems}"
        w.grab().save(str(SHOTS / f"800x480-{language}-{name}.png"))

    SHOTS.mkdir(parents=True, exist_ok=True)
    check("idle")
    w.handle_scan("HELLO-WORLD")
    message(qtbot, app, "error")
    check("idle-error")
    scan_member(qtbot, app, 0)
    check("member")
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "sale")
    check("sale")
    w.show_screen("member")
    tap(qtbot, w.member_screen.redeem)
    on_screen(qtbot, app, "redeem")
    check("redeem")
    w.go_idle()
    tap(qtbot, w.idle.enrol)
    on_screen(qtbot, app, "enrol")
    check("enrol")
    w.go_idle()
    tap(qtbot, w.manager_button)
    qtbot.waitUntil(lambda: w.manager.staff_pin.chosen is not None, timeout=WAIT)
    key_in(qtbot, w.manager.pin_pad, "12")
    check("manager-pin")
    key_in(qtbot, w.manager.pin_pad, "34")
    tap(qtbot, w.manager.unlock)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    check("manager-refunds")
    w.manager.tabs.setCurrentWidget(w.manager.audit_tab)
    check("manager-trail")
    tap(qtbot, w.manager.close_button)
    tap(qtbot, w.staff_button)
    on_screen(qtbot, app, "staff")
    qtbot.waitUntil(lambda: len(w.staff_check.people) == 3, timeout=WAIT)
    check("sign-in")


def test_a_new_screen_starts_at_its_top_on_a_small_panel(qtbot, app):
    """At 800x480 a screen taller than the panel scrolls; the next one started where the
    last was left, with the sign-in names scrolled out of sight."""
    w = app.window
    w.resize(800, 480)
    scan_member(qtbot, app, 0)
    bar = w.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=WAIT)
    bar.setValue(bar.maximum())
    tap(qtbot, w.staff_button)
    on_screen(qtbot, app, "staff")
    assert bar.value() == 0


def test_the_manager_screen_fits_800_px_wide_and_a_long_pin_moves_no_key(qtbot, app):
    """Its 'My PIN' tab had the PIN's dots beside the keypad, sized for twelve: the screen
    needed 994 px and scrolled sideways on an 800x480 panel."""
    w = app.window
    w.resize(800, 480)
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    w.manager.tabs.setCurrentWidget(w.manager.new_pin_tab)
    QApplication.processEvents()
    assert w.manager.minimumSizeHint().width() <= 800 - 2 * 12
    keys = list(w.manager.new_pin_tab.pin.pad.keys.values())
    before = spots(app, keys)
    key_in(qtbot, w.manager.new_pin_tab.pin.pad, "123456789012")
    QApplication.processEvents()
    assert spots(app, keys) == before

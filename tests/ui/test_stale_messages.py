"""A problem shown for a step goes with that step (issue 12, point 5): "Wrong PIN."
stayed after the right PIN; a bad card's error followed the cashier into the manager's
corner (the committed manager-pin screenshot showed it)."""

from __future__ import annotations

from kiosk.app.qt import DEMO_PIN, CounterApp
from tests.helpers.ui import WAIT, key_in, manager_unlock, message, on_screen, tap


def test_wrong_pin_is_forgotten_once_the_right_one_opens_the_manager(qtbot, app: CounterApp):
    w = app.window
    manager_unlock(qtbot, app, "9999")
    assert message(qtbot, app, "error") == "Wrong PIN."
    qtbot.waitUntil(lambda: w.manager.pin_pad.keys["1"].isEnabled(), timeout=WAIT)
    key_in(qtbot, w.manager.pin_pad, DEMO_PIN)
    tap(qtbot, w.manager.unlock)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    assert not w.banner.isVisible()


def test_a_bad_cards_error_does_not_follow_the_cashier_to_another_screen(qtbot, app):
    w = app.window
    w.handle_scan("HELLO-WORLD")
    assert message(qtbot, app, "error") == "That is not a Counterpoint membership card."
    tap(qtbot, w.manager_button)
    on_screen(qtbot, app, "manager")
    assert not w.banner.isVisible()


def test_news_of_what_was_done_stays_across_the_screen_change(qtbot, app):
    w = app.window
    from tests.helpers.ui import scan_member

    scan_member(qtbot, app, 0)
    tap(qtbot, w.member_screen.sale)
    key_in(qtbot, w.sale.keypad, "500")
    tap(qtbot, w.sale.confirm)
    assert "points" in message(qtbot, app, "info")
    qtbot.waitUntil(lambda: w.current == "member", timeout=WAIT)
    assert w.banner.isVisible() and w.banner.kind == "info"

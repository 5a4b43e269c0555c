"""A PNG of every screen in every language, so anyone can look at the app without running
it; and, on each, no touch target under 48 px. A test run writes them to build/screenshots/
(git-ignored); `make screenshots` writes the committed ones in docs/screenshots/ (named in
the README) by pointing SCREENSHOTS_DIR there."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.app.qt import CounterApp
from tests.helpers.ui import SHOTS, WAIT, key_in, manager_unlock, on_screen, scan_member, tap
from ui.i18n import LANGUAGES
from ui.theme import TOUCH_MIN_PX


def visit(qtbot, app: CounterApp) -> list[tuple[str, Callable[[], None]]]:
    """Each screen with the steps that bring it up with realistic content."""
    w = app.window

    def idle() -> None:
        w.go_idle()

    def member() -> None:
        scan_member(qtbot, app, 0)

    def sale() -> None:
        tap(qtbot, w.member_screen.sale)
        products = [a for a in w.simulate_actions  # by the English title: text is translated
                    if str(a.data()).startswith("Product: ")]
        for action in (products[0], products[0], products[1]):  # two teas, a milk tea
            action.trigger()
        key_in(qtbot, w.sale.keypad, "1000")

    def approval() -> None:  # NT$100,000 and the basket: above the demo's limit
        key_in(qtbot, w.sale.keypad, "00")
        tap(qtbot, w.sale.confirm)
        on_screen(qtbot, app, "staff")
        qtbot.waitUntil(lambda: w.staff_check.staff_pin.chosen is not None, timeout=WAIT)
        key_in(qtbot, w.staff_check.staff_pin.pad, "12")

    def redeem() -> None:
        w.show_screen("member")
        tap(qtbot, w.member_screen.redeem)
        tap(qtbot, w.redeem.reward_buttons["coffee"])

    def enrol() -> None:
        w.go_idle()
        tap(qtbot, w.idle.enrol)
        qtbot.keyClicks(w.enrol.name, "Amy Lin")
        qtbot.keyClicks(w.enrol.phone, "0911222333")

    def card() -> None:
        w.enrol.consent.setChecked(True)
        tap(qtbot, w.enrol.submit)
        on_screen(qtbot, app, "card")

    def error() -> None:
        w.go_idle()
        w.handle_scan("HELLO-WORLD")
        qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=WAIT)

    def sign_in() -> None:
        w.go_idle()
        tap(qtbot, w.staff_button)
        on_screen(qtbot, app, "staff")
        buttons = w.staff_check.staff_pin.group.buttons
        qtbot.waitUntil(lambda: len(buttons()) == 3 and buttons()[2].isVisible(), timeout=WAIT)
        tap(qtbot, buttons()[2])
        key_in(qtbot, w.staff_check.staff_pin.pad, "22")

    def manager_pin() -> None:
        tap(qtbot, w.manager_button)
        qtbot.waitUntil(lambda: w.manager.staff_pin.chosen is not None, timeout=WAIT)
        key_in(qtbot, w.manager.pin_pad, "12")

    def manager() -> None:
        w.go_idle()
        manager_unlock(qtbot, app)
        qtbot.waitUntil(lambda: w.manager.unlocked and bool(w.manager.today_tab.figures.text()),
                        timeout=WAIT)
        w.manager.tabs.setCurrentIndex(2)

    def refunds() -> None:  # the demo's sales, the second one chosen
        tab = w.manager.refund_tab
        w.manager.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda: tab.orders_list.count() >= 2, timeout=WAIT)
        tab.orders_list.itemClicked.emit(tab.orders_list.item(1))
        qtbot.keyClicks(tab.refund_reason, "Returned")

    def refund_confirm() -> None:
        tap(qtbot, w.manager.refund_button)

    def sync_detail() -> None:
        w.manager.refund_tab.back()
        w.manager.tabs.setCurrentIndex(3)

    def new_pin() -> None:
        w.manager.tabs.setCurrentWidget(w.manager.new_pin_tab)
        key_in(qtbot, w.manager.new_pin_tab.pin.pad, "2468")

    def trail() -> None:
        w.manager.tabs.setCurrentWidget(w.manager.audit_tab)
        qtbot.waitUntil(lambda: w.manager.audit_tab.events.count() > 3, timeout=WAIT)

    def hardware() -> None:
        w.manager.tabs.setCurrentWidget(w.manager.hardware_tab)

    return [("idle", idle), ("member", member), ("sale", sale), ("sale-approval", approval),
            ("redeem", redeem), ("enrol", enrol), ("card", card), ("bad-card", error),
            ("sign-in", sign_in),
            ("manager-pin", manager_pin), ("manager-today", manager),
            ("manager-refunds", refunds), ("manager-refund-confirm", refund_confirm),
            ("device-and-sync", sync_detail), ("new-manager-pin", new_pin),
            ("staff-trail", trail), ("hardware", hardware)]


def small_buttons(app: CounterApp) -> list[str]:
    return [f"{b.text()!r} {b.width()}x{b.height()}"
            for b in app.window.findChildren(QPushButton)
            if b.isVisible() and (b.width() < TOUCH_MIN_PX or b.height() < TOUCH_MIN_PX)]


def clipped_buttons(app: CounterApp) -> list[str]:
    """Buttons narrower than their text needs: what a cashier would read as "imulate a
    scar" or "Manage"."""
    return [f"{b.text()!r} {b.width()} < {b.sizeHint().width()}"
            for b in app.window.findChildren(QPushButton)
            if b.isVisible() and b.text() and b.width() < b.sizeHint().width()]


@pytest.mark.parametrize(("language", "size"), [
    *((code, (1024, 768)) for code in LANGUAGES), ("en", (1920, 1080))])
def test_every_screen_is_captured_and_every_target_is_touch_sized(qtbot, app, language, size):
    w = app.window
    w.resize(*size)
    w.set_language(language)
    # the demo's seeded sales go up first: a reader of the docs should see a counter in
    # sync, not "Connecting… · 12 waiting" on the customer screens
    qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online is True
                    and w.sync_status.pending_uploads == 0, timeout=WAIT)
    folder = SHOTS / (language if size == (1024, 768) else f"{language}-{size[0]}x{size[1]}")
    folder.mkdir(parents=True, exist_ok=True)
    for name, show in visit(qtbot, app):
        show()
        QApplication.processEvents()  # let the layout settle before measuring
        assert small_buttons(app) == [], f"{name}: targets under {TOUCH_MIN_PX} px"
        assert clipped_buttons(app) == [], f"{name}: button text cut off"
        needed = w.centralWidget().minimumSizeHint()
        assert needed.height() <= size[1] and needed.width() <= size[0], \
            f"{name} needs {needed.width()}x{needed.height()}: widgets would overlap"
        path = folder / f"{name}.png"
        assert w.grab().save(str(path))
        image = QImage(str(path))
        assert (image.width(), image.height()) == size
        colours = {image.pixel(x, y) for x in range(0, size[0], 16)
                   for y in range(0, size[1], 16)}
        assert len(colours) > 4, f"{name} looks blank"

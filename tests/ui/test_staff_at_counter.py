"""Staff at the counter through the widgets (issue 12, points 2 and 16): a cashier signs in
before the first sale and is named on it, another takes over with two taps and a PIN, a sale
above the program's limit waits for a manager's name and PIN, and the manager screen opens
with a manager's own PIN and shows the trail."""

from __future__ import annotations

import pytest

from kiosk.app.qt import DEMO_PIN, CounterApp
from kiosk.ledger import EntryKind
from kiosk.services import member_view
from kiosk.services.staff import audit_trail
from kiosk.staff import AuditAction
from tests.helpers.ui import WAIT, key_in, message, on_screen, scan_member, tap


def names(screen) -> list[str]:
    return [b.text() for b in screen.staff_pin.group.buttons()]


def sign_in_as(qtbot, app: CounterApp, name: str, pin: str) -> None:
    screen = app.window.staff_check
    def shown():
        return next((b for b in screen.staff_pin.group.buttons()
                     if b.text() == name and b.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None, timeout=WAIT)
    tap(qtbot, shown())
    key_in(qtbot, screen.staff_pin.pad, pin)
    tap(qtbot, screen.staff_pin.submit)


def said(qtbot, app: CounterApp, words: str) -> None:
    qtbot.waitUntil(lambda: words in app.window.banner.text(), timeout=WAIT)


def last_entries(app: CounterApp, kind: EntryKind):
    view = member_view(app.counter.kiosk, app.window.member.member.id)
    return [e for e in view.recent if e.kind is kind]


@pytest.mark.parametrize("cashier", [False])
def test_a_cashier_signs_in_before_the_first_sale_and_is_named_on_it(qtbot, app):
    w = app.window
    assert w.staff_button.text() == "Sign in"
    scan_member(qtbot, app, 1)
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "staff")
    qtbot.waitUntil(lambda: len(names(w.staff_check)) == 3, timeout=WAIT)
    assert names(w.staff_check) == ["Grace Ho", "Mei Lin", "陳建國"]  # managers first
    assert not w.staff_check.staff_pin.submit.isEnabled()  # nobody chosen for them
    sign_in_as(qtbot, app, "Mei Lin", "9999")
    assert message(qtbot, app, "error") == "Wrong PIN."
    assert w.current == "staff"
    sign_in_as(qtbot, app, "Mei Lin", "1111")
    on_screen(qtbot, app, "sale")  # and on with what the cashier wanted
    assert w.staff_button.text() == "Cashier: Mei Lin"
    key_in(qtbot, w.sale.keypad, "800")
    tap(qtbot, w.sale.confirm)
    said(qtbot, app, "+8 points")
    on_screen(qtbot, app, "member")
    [sale] = last_entries(app, EntryKind.EARN)[:1]
    assert sale.staff == "Mei Lin"


def test_another_cashier_takes_over_from_the_bottom_bar(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 1)
    assert w.staff_button.text() == "Cashier: Mei Lin"
    tap(qtbot, w.staff_button)
    on_screen(qtbot, app, "staff")
    sign_in_as(qtbot, app, "陳建國", "2222")
    on_screen(qtbot, app, "member")  # back where the counter was
    assert w.staff_button.text() == "Cashier: 陳建國"
    assert "陳建國" in message(qtbot, app, "info")
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "sale")  # no second sign-in
    key_in(qtbot, w.sale.keypad, "500")
    tap(qtbot, w.sale.confirm)
    qtbot.waitUntil(lambda: last_entries(app, EntryKind.EARN)[0].staff == "陳建國",
                    timeout=WAIT)
    [signed] = [e for e in audit_trail(app.counter.kiosk)
                if e.action is AuditAction.SIGNED_IN][:1]
    assert signed.staff == "陳建國"


def test_a_sale_above_the_limit_waits_for_a_manager_by_name(qtbot, app):
    w, kiosk = app.window, app.counter.kiosk
    scan_member(qtbot, app, 1)
    before = member_view(kiosk, w.member.member.id).balance
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "sale")
    key_in(qtbot, w.sale.keypad, "150000")  # the demo's limit is NT$100,000
    earns = w.sale.preview_points()
    tap(qtbot, w.sale.confirm)
    on_screen(qtbot, app, "staff")
    qtbot.waitUntil(lambda: names(w.staff_check) == ["Grace Ho"], timeout=WAIT)  # managers
    assert "NT$150,000" in w.staff_check.staff_pin.prompt.text()
    assert "NT$100,000" in w.staff_check.staff_pin.prompt.text()
    assert w.staff_check.staff_pin.chosen is not None  # the only manager
    key_in(qtbot, w.staff_check.staff_pin.pad, "1111")  # Mei's PIN is not a manager's
    tap(qtbot, w.staff_check.staff_pin.submit)
    assert message(qtbot, app, "error") == "Wrong PIN."
    tap(qtbot, w.staff_check.cancel)
    on_screen(qtbot, app, "sale")
    assert w.sale.total.text() == "Total NT$150,000"  # the basket waited
    assert member_view(kiosk, w.member.member.id).balance == before  # nothing recorded

    tap(qtbot, w.sale.confirm)
    on_screen(qtbot, app, "staff")
    qtbot.waitUntil(lambda: w.staff_check.staff_pin.chosen is not None, timeout=WAIT)
    key_in(qtbot, w.staff_check.staff_pin.pad, DEMO_PIN)
    tap(qtbot, w.staff_check.staff_pin.submit)
    said(qtbot, app, f"+{earns} points")
    on_screen(qtbot, app, "member")
    assert member_view(kiosk, w.member.member.id).balance == before + earns
    [approved] = [e for e in audit_trail(kiosk) if e.action is AuditAction.SALE_APPROVED]
    assert (approved.staff, approved.approved_by) == ("Mei Lin", "Grace Ho")


def test_the_manager_screen_opens_for_managers_only_and_shows_the_trail(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 1)
    tap(qtbot, w.manager_button)
    on_screen(qtbot, app, "manager")
    qtbot.waitUntil(lambda: names(w.manager) == ["Grace Ho"], timeout=WAIT)  # no cashiers
    key_in(qtbot, w.manager.pin_pad, DEMO_PIN)
    tap(qtbot, w.manager.unlock)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    w.manager.tabs.setCurrentWidget(w.manager.adjust_tab)
    qtbot.keyClicks(w.manager.adjust_tab.points, "+25")
    qtbot.keyClicks(w.manager.adjust_tab.reason, "goodwill")
    tap(qtbot, w.manager.adjust_tab.record)
    assert "+25 points" in message(qtbot, app, "info")
    [adjusted] = last_entries(app, EntryKind.ADJUST)[:1]
    assert adjusted.note == "goodwill (approved by Grace Ho)"
    assert adjusted.staff == "Mei Lin"  # the cashier at the counter made it

    tap(qtbot, w.manager.close_button)
    on_screen(qtbot, app, "member")
    tap(qtbot, w.manager_button)
    qtbot.waitUntil(lambda: w.manager.staff_pin.chosen is not None, timeout=WAIT)
    key_in(qtbot, w.manager.pin_pad, DEMO_PIN)
    tap(qtbot, w.manager.unlock)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    w.manager.tabs.setCurrentWidget(w.manager.audit_tab)
    trail = w.manager.audit_tab.events
    qtbot.waitUntil(lambda: trail.count() >= 7, timeout=WAIT)
    lines = [trail.item(i).text() for i in range(trail.count())]
    assert "Grace Ho: opened the manager screen" in lines[0]
    assert "Mei Lin: points adjusted · +25 · goodwill (approved by Grace Ho)" in lines[1]


def test_the_cashier_button_on_the_staff_screen_keeps_the_way_back(qtbot, app):
    """Tapped during an approval, it took the way back with it: Cancel and a sign-in both
    came back to the staff screen, and the counter was stuck there."""
    w = app.window
    scan_member(qtbot, app, 1)
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "sale")
    key_in(qtbot, w.sale.keypad, "150000")
    tap(qtbot, w.sale.confirm)
    on_screen(qtbot, app, "staff")
    tap(qtbot, w.staff_button)  # another cashier takes over instead
    sign_in_as(qtbot, app, "陳建國", "2222")
    on_screen(qtbot, app, "sale")
    assert w.sale.total.text() == "Total NT$150,000"
    tap(qtbot, w.sale.confirm)
    on_screen(qtbot, app, "staff")
    tap(qtbot, w.staff_button)
    tap(qtbot, w.staff_check.cancel)
    on_screen(qtbot, app, "sale")


def test_a_card_scanned_while_someone_types_their_pin_is_refused(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 1)
    shown = w.member.member.id
    tap(qtbot, w.staff_button)
    on_screen(qtbot, app, "staff")
    w.simulate_actions[0].trigger()  # another member's card
    assert message(qtbot, app, "error").startswith("Finish or cancel this step")
    assert w.current == "staff" and w.member.member.id == shown


def test_someone_removed_is_signed_out_between_customers(qtbot, app):
    from kiosk.services.staff import remove_staff

    w = app.window
    scan_member(qtbot, app, 1)
    remove_staff(app.counter.kiosk, "Mei Lin")  # `kiosk staff remove`, while signed in
    tap(qtbot, w.member_screen.finish)
    on_screen(qtbot, app, "idle")
    qtbot.waitUntil(lambda: w.staff_button.text() == "Sign in", timeout=WAIT)
    scan_member(qtbot, app, 1)
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "staff")
    assert "Mei Lin" not in names(w.staff_check)
    assert w.staff_button.text() == "Sign in"

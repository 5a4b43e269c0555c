"""The basket at the counter: a mis-scanned product comes out again, the keyed amount can
be cleared, and the screen says the keyed amount is added to the scanned items."""

from __future__ import annotations

from PySide6.QtCore import Qt

from devices.catalogue import load_catalogue
from kiosk.app.qt import CounterApp
from tests.helpers.ui import key_in, on_screen, scan_member, tap


def pick(qtbot, app: CounterApp, row: int) -> None:
    """Tap a basket line, as a finger does."""
    items = app.window.sale.basket_list
    rect = items.visualItemRect(items.item(row))
    qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def lines(app: CounterApp) -> list[str]:
    items = app.window.sale.basket_list
    return [items.item(i).text().split("   ")[0] for i in range(items.count())]


def test_a_mis_scanned_item_is_removed_and_the_keyed_amount_cleared(qtbot, app):
    w = app.window
    tea, milk_tea = load_catalogue().products[:2]
    scan_member(qtbot, app, 0)
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "sale")
    assert w.sale.title.text() == f"New sale for {w.member.member.name}"
    assert "added to the scanned items" in w.sale.amount_label.text()
    for code in (tea.ean13, milk_tea.sku, tea.ean13):
        w.handle_scan(code, "serial")
    assert lines(app) == [f"2 × {tea.name['en']}", f"1 × {milk_tea.name['en']}"]  # noqa: RUF001
    assert not w.sale.remove_item.isEnabled()  # nothing picked yet

    pick(qtbot, app, 0)
    tap(qtbot, w.sale.remove_item)
    assert lines(app) == [f"1 × {tea.name['en']}", f"1 × {milk_tea.name['en']}"]  # noqa: RUF001
    pick(qtbot, app, 1)
    tap(qtbot, w.sale.remove_item)
    assert lines(app) == [f"1 × {tea.name['en']}"]  # noqa: RUF001

    key_in(qtbot, w.sale.keypad, "300")
    assert w.sale.total.text() == f"Total {app.counter.money(tea.price + 300)}"
    tap(qtbot, w.sale.clear_amount)
    assert w.sale.keyed_minor() == 0 and not w.sale.clear_amount.isEnabled()
    assert w.sale.total.text() == f"Total {app.counter.money(tea.price)}"
    tap(qtbot, w.sale.confirm)
    qtbot.waitUntil(lambda: w.current != "sale", timeout=15_000)


def test_the_last_item_out_leaves_nothing_to_confirm(qtbot, app):
    w = app.window
    tea = load_catalogue().products[0]
    scan_member(qtbot, app, 0)
    tap(qtbot, w.member_screen.sale)
    w.handle_scan(tea.ean13, "serial")
    assert w.sale.confirm.isEnabled()
    pick(qtbot, app, 0)
    tap(qtbot, w.sale.remove_item)
    assert lines(app) == [] and not w.sale.confirm.isEnabled()

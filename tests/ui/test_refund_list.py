"""Refund at the counter (issue 12 point 11): the manager picks the order from a list of
this kiosk's recent sales instead of copying a number off a six-second banner, and the red
button only asks: nothing goes back until "Yes, refund"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

from kiosk.app.qt import CounterApp
from kiosk.ledger import EntryKind
from kiosk.services import Sale, ring_up_sale
from tests.helpers.ui import WAIT, manager_unlock, message, scan_member, stored_balance, tap


def rows(tab) -> list[str]:
    return [tab.orders_list.item(i).text() for i in range(tab.orders_list.count())]


def row_of(tab, ref: str) -> int:
    return next(i for i, text in enumerate(rows(tab)) if ref in text)


def tap_row(qtbot, orders: QListWidget, row: int) -> None:
    item = orders.item(row)
    orders.scrollToItem(item)
    qtbot.mouseClick(orders.viewport(), Qt.MouseButton.LeftButton,
                     pos=orders.visualItemRect(item).center())


def open_refunds(qtbot, app: CounterApp, *refs: str) -> None:
    w = app.window
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    assert w.manager.tabs.currentWidget() is w.manager.refund_tab
    qtbot.waitUntil(lambda: all(any(ref in r for r in rows(w.manager.refund_tab))
                                for ref in refs), timeout=WAIT)


def test_a_refund_is_picked_from_the_list_and_confirmed_before_it_acts(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 1)
    member = w.member.member
    kiosk = app.counter.kiosk
    first = ring_up_sale(kiosk, Sale(member.id, 1250, "LIST-1"))
    second = ring_up_sale(kiosk, Sale(member.id, 9800, "LIST-2"))
    before = stored_balance(app)
    open_refunds(qtbot, app, "LIST-1", "LIST-2")
    tab = w.manager.refund_tab
    listed = rows(tab)
    assert row_of(tab, "LIST-2") < row_of(tab, "LIST-1")  # newest first
    assert app.counter.money(1250) in listed[row_of(tab, "LIST-1")]
    assert "NT$9,800" in listed[row_of(tab, "LIST-2")]
    assert f"+{second.points:,} points" in listed[row_of(tab, "LIST-2")]
    assert tab.list_title.text().startswith(f"Recent orders of {member.name}")
    assert not w.manager.refund_button.isEnabled()  # nothing chosen yet

    tap_row(qtbot, tab.orders_list, row_of(tab, "LIST-1"))
    assert w.manager.order_ref.text() == "LIST-1"
    qtbot.keyClicks(w.manager.refund_reason, "returned")
    tap(qtbot, w.manager.refund_button)
    qtbot.waitUntil(lambda: tab.confirm_button.isVisible(), timeout=WAIT)
    assert tab.question.text() == (f"Refund order LIST-1 of {app.counter.money(1250)} "
                                   f"for {member.name}?")
    assert f"Takes {first.points} points back" in tab.details.text()
    assert "Reason: returned" in tab.details.text()
    assert not w.manager.refund_button.isVisible()
    assert stored_balance(app) == before  # asked, not done

    tap(qtbot, tab.back_button)
    qtbot.waitUntil(lambda: w.manager.refund_button.isVisible(), timeout=WAIT)
    assert stored_balance(app) == before
    assert w.manager.order_ref.text() == "LIST-1"  # still chosen, reason still there

    tap(qtbot, w.manager.refund_button)
    qtbot.waitUntil(lambda: tab.confirm_button.isVisible(), timeout=WAIT)
    tap(qtbot, tab.confirm_button)
    assert f"Order LIST-1 refunded: -{first.points} points" in message(qtbot, app, "info")
    assert stored_balance(app) == before - first.points
    qtbot.waitUntil(lambda: "Refunded" in rows(tab)[row_of(tab, "LIST-1")], timeout=WAIT)
    assert "Refunded" not in rows(tab)[row_of(tab, "LIST-2")]
    assert w.manager.order_ref.text() == "" and not w.manager.refund_button.isEnabled()

    tap_row(qtbot, tab.orders_list, row_of(tab, "LIST-1"))  # refunded: can't be chosen
    assert w.manager.order_ref.text() == ""
    assert not w.manager.refund_button.isEnabled()
    assert not tab.orders_list.item(row_of(tab, "LIST-1")).isSelected()

    with kiosk.store.read() as tx:
        entries = tx.entries.of_order(kiosk.channel, "LIST-1")
    [back] = [e for e, *_ in entries if e.kind is EntryKind.REVERSE]
    assert back.note == "returned (approved by Grace Ho)"  # the demo's manager


def test_without_a_member_the_kiosks_orders_are_listed_with_whose_they_are(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 1)
    member = w.member.member
    ring_up_sale(app.counter.kiosk, Sale(member.id, 4200, "KIOSK-1"))
    tap(qtbot, w.member_screen.finish)
    qtbot.waitUntil(lambda: w.member is None, timeout=WAIT)
    open_refunds(qtbot, app, "KIOSK-1")
    tab = w.manager.refund_tab
    assert member.name in rows(tab)[row_of(tab, "KIOSK-1")]
    assert tab.list_title.text().startswith("Recent orders at this kiosk")


def test_a_typed_order_number_is_confirmed_with_its_amount_too(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 1)
    sale = ring_up_sale(app.counter.kiosk, Sale(w.member.member.id, 3000, "TYPED-1"))
    open_refunds(qtbot, app, "TYPED-1")
    before = stored_balance(app)
    tab = w.manager.refund_tab
    for i in range(tab.orders_list.count()):  # as for a receipt no longer listed
        tab.orders_list.item(i).setHidden(True)
    qtbot.keyClicks(w.manager.order_ref, "TYPED-1")
    assert tab.orders_list.item(row_of(tab, "TYPED-1")).isSelected()
    tap(qtbot, w.manager.refund_button)
    qtbot.waitUntil(lambda: tab.confirm_button.isVisible(), timeout=WAIT)
    assert app.counter.money(3000) in tab.question.text()
    tap(qtbot, tab.confirm_button)
    assert "Order TYPED-1 refunded" in message(qtbot, app, "info")
    assert stored_balance(app) == before - sale.points

    qtbot.keyClicks(w.manager.order_ref, "TYPED-1")  # again: refused before any question
    tap(qtbot, w.manager.refund_button)
    assert "already" in message(qtbot, app, "error")
    assert not tab.confirm_button.isVisible()


def test_the_list_is_fresh_each_time_the_manager_screen_opens(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 1)
    open_refunds(qtbot, app)
    tab = w.manager.refund_tab
    qtbot.waitUntil(lambda: tab.no_orders.isVisible() or tab.orders_list.count() > 0,
                    timeout=WAIT)
    assert not any("LATER-1" in r for r in rows(tab))
    tap(qtbot, w.manager.close_button)
    ring_up_sale(app.counter.kiosk, Sale(w.member.member.id, 700, "LATER-1"))
    open_refunds(qtbot, app, "LATER-1")

"""Refund by line at the counter (issue 15, point 3): after picking an order the manager
sees its lines with what is left of each, picks how many come back with large minus and
plus buttons (the plus stops at what is left), and the question says the lines, the money
to hand back and the points before "Yes, refund" does exactly that. In three languages,
each captured as a PNG."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.app.qt import CounterApp
from kiosk.engine.order_codes import order_payload
from kiosk.engine.refunds import RefundLine
from kiosk.services import Sale, SaleLine, order_to_refund, refund_lines, ring_up_sale
from tests.helpers.ui import WAIT, message, scan_member, shoot, stored_balance, tap
from tests.ui.test_refund_list import open_refunds, row_of, rows, tap_row
from ui.i18n import LANGUAGES
from ui.screens.refund_tab import RefundTab

pytestmark = pytest.mark.gui

TEA = SaleLine("LEAF-ALISHAN-150", 1, 2000, "leaf_tea")  # line 0, a catalogue product
CUPS = SaleLine("CUP", 4, 250, "kitchen")  # line 1: NT$1,000 earns 10 points
TEA_NAME = {"en": "Alishan high-mountain tea, 150 g", "zh-TW": "阿里山高山茶 150 克",
            "zh-CN": "阿里山高山茶 150 克"}
PART = {"en": "Refund part of order CUPS-1", "zh-TW": "部分退款訂單 CUPS-1",
        "zh-CN": "部分退款订单 CUPS-1"}
TAKES = {"en": "Takes 5 points back", "zh-TW": "從會員扣回 5 點", "zh-CN": "从会员扣回 5 积分"}
PARTLY = {"en": "Partly refunded", "zh-TW": "部分已退款", "zh-CN": "部分已退款"}
BANNER = {"en": "Part of order CUPS-1 refunded: -5 points",
          "zh-TW": "訂單 CUPS-1 部分退款：-5 點",  # noqa: RUF001
          "zh-CN": "订单 CUPS-1 部分退款：-5 积分"}  # noqa: RUF001
LEFT = {"en": "2 of 4 left", "zh-TW": "剩 2 件", "zh-CN": "剩 2 件"}


def sold(qtbot, app: CounterApp, ref: str) -> int:
    """The member at the counter bought tea and four cups; their balance after it."""
    if app.window.member is None:
        scan_member(qtbot, app, 1)
    assert app.window.member is not None
    ring_up_sale(app.counter.kiosk, Sale.of_basket(app.window.member.member.id,
                                                   (TEA, CUPS), ref))
    return stored_balance(app)


def to_lines(qtbot, app: CounterApp, ref: str) -> RefundTab:
    """The manager opens the refund tab, taps the order and asks: its lines show."""
    open_refunds(qtbot, app, ref)
    tab = app.window.manager.refund_tab
    tap_row(qtbot, tab.orders_list, row_of(tab, ref))
    tap(qtbot, tab.refund_button)
    qtbot.waitUntil(lambda: tab.all_button.isVisible(), timeout=WAIT)
    return tab


def to_question(qtbot, tab: RefundTab) -> None:
    tap(qtbot, tab.lines_button)
    qtbot.waitUntil(lambda: tab.confirm_button.isVisible(), timeout=WAIT)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_two_of_four_cups_come_back_with_their_money_and_points(qtbot, app, language):
    w = app.window
    w.resize(1024, 768)
    w.set_language(language)
    after_sale = sold(qtbot, app, "CUPS-1")
    tab = to_lines(qtbot, app, "CUPS-1")
    assert tab.picker.names[0].text() == TEA_NAME[language]  # the catalogue's name
    assert tab.picker.names[1].text() == "CUP"  # not in the catalogue: its code
    assert not tab.lines_button.isEnabled()  # nothing picked yet
    minus, plus = tab.picker.buttons(1)
    assert not minus.isEnabled()
    tap(qtbot, plus)
    tap(qtbot, plus)
    assert app.counter.money(500) in tab.money.text()
    shoot(app, language, "manager-refund-lines")

    to_question(qtbot, tab)
    said = tab.details.text()
    assert PART[language] in tab.question.text()
    assert "2 × CUP" in said  # noqa: RUF001
    assert TEA_NAME[language] not in said  # only what comes back
    assert app.counter.money(500) in said
    assert TAKES[language] in said
    assert stored_balance(app) == after_sale  # asked, not done
    shoot(app, language, "manager-refund-question")

    with qtbot.waitSignal(tab.refunded, timeout=WAIT) as done:
        tap(qtbot, tab.confirm_button)
    result = done.args[0]
    assert (result.money_back_minor, result.points, result.whole) == (500, -5, False)
    banner = message(qtbot, app, "info")
    assert BANNER[language] in banner and app.counter.money(500) in banner
    assert stored_balance(app) == after_sale - 5  # what the two cups earned
    qtbot.waitUntil(lambda: PARTLY[language] in rows(tab)[row_of(tab, "CUPS-1")],
                    timeout=WAIT)
    shoot(app, language, "manager-refund-partly")
    [tea, cups] = order_to_refund(app.counter.kiosk, "CUPS-1").lines
    assert (tea.left, cups.left) == (1, 2)
    tap_row(qtbot, tab.orders_list, row_of(tab, "CUPS-1"))  # not refunded whole: chosen again
    tap(qtbot, tab.refund_button)
    qtbot.waitUntil(lambda: tab.all_button.isVisible(), timeout=WAIT)
    assert LEFT[language] in tab.picker.details[1].text()


def test_the_plus_stops_at_what_is_left_and_all_of_it_refunds_the_rest(qtbot, app):
    scan_member(qtbot, app, 1)
    before = stored_balance(app)
    sold(qtbot, app, "CUPS-2")
    refund_lines(app.counter.kiosk, "CUPS-2", [RefundLine(1, 2)],  # two cups, earlier
                 approved_by="Grace Ho")  # the demo's manager
    tab = to_lines(qtbot, app, "CUPS-2")
    assert "Partly refunded" in rows(tab)[row_of(tab, "CUPS-2")]
    assert "2 of 4 left" in tab.picker.details[1].text()
    minus, plus = tab.picker.buttons(1)
    taps = 0
    while plus.isEnabled():
        tap(qtbot, plus)
        taps += 1
    assert taps == 2 and tab.picker.picked() == {1: 2}  # never more than is left

    tap(qtbot, minus)
    tap(qtbot, tab.all_button)
    assert tab.picker.picked() == {0: 1, 1: 2}
    to_question(qtbot, tab)
    assert tab.question.text().startswith("Refund the rest of order CUPS-2")
    assert "1 × Alishan" in tab.details.text()  # noqa: RUF001
    tap(qtbot, tab.back_button)  # back to the lines, still picked
    qtbot.waitUntil(lambda: tab.all_button.isVisible(), timeout=WAIT)
    assert tab.picker.picked() == {0: 1, 1: 2}
    to_question(qtbot, tab)
    tap(qtbot, tab.confirm_button)
    message(qtbot, app, "info")
    assert stored_balance(app) == before  # as before the order, to the point
    qtbot.waitUntil(lambda: "Refunded" in rows(tab)[row_of(tab, "CUPS-2")], timeout=WAIT)


def test_a_whole_order_still_comes_back_whole(qtbot, app):
    scan_member(qtbot, app, 1)
    before = stored_balance(app)
    member = app.window.member.member
    sold(qtbot, app, "CUPS-3")
    tab = to_lines(qtbot, app, "CUPS-3")
    tap(qtbot, tab.all_button)
    assert app.counter.money(3000) in tab.money.text()
    to_question(qtbot, tab)
    assert tab.question.text() == (f"Refund order CUPS-3 of {app.counter.money(3000)} "
                                   f"for {member.name}?")
    assert "Takes 30 points back" in tab.details.text()
    tap(qtbot, tab.confirm_button)
    assert "Order CUPS-3 refunded: -30 points" in message(qtbot, app, "info")
    assert stored_balance(app) == before
    qtbot.waitUntil(lambda: "Refunded" in rows(tab)[row_of(tab, "CUPS-3")], timeout=WAIT)


def test_the_receipts_order_code_scanned_into_the_field_picks_the_order(qtbot, app):
    """A keyboard-wedge scanner types the receipt's CPO1 code into the order field a key
    at a time, then Enter: the order's number takes its place, chosen as a tap on the list
    would; another kiosk's receipt is refused, naming where to refund it."""
    sold(qtbot, app, "CUPS-3")
    open_refunds(qtbot, app, "CUPS-3")
    tab = app.window.manager.refund_tab
    tab.order_ref.setFocus()
    qtbot.keyClicks(tab.order_ref, order_payload(app.counter.kiosk.channel, "CUPS-3"))
    assert not tab.refund_button.isEnabled()  # half a code is no order number
    qtbot.keyClick(tab.order_ref, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.order_ref.text() == "CUPS-3", timeout=WAIT)
    assert tab.refund_button.isEnabled()
    tab.order_ref.clear()
    qtbot.keyClicks(tab.order_ref, order_payload("till-elsewhere", "CUPS-3"))
    qtbot.keyClick(tab.order_ref, Qt.Key.Key_Return)
    assert "till-elsewhere" in message(qtbot, app, "error")
    assert tab.order_ref.text() == "" and not tab.refund_button.isEnabled()


def test_a_serial_scanners_order_code_opens_its_order_on_the_manager_screen(qtbot, app):
    """The same code through a scanner the session hears (serial, camera): on the manager
    screen the Refund tab picks the order; anywhere else it says where to scan it."""
    sold(qtbot, app, "CUPS-4")
    code = order_payload(app.counter.kiosk.channel, "CUPS-4")
    app.window.session.scan(code)
    assert "manager screen" in message(qtbot, app, "error")
    assert app.window.current == "member"  # not taken for a member card
    open_refunds(qtbot, app, "CUPS-4")
    tab = app.window.manager.refund_tab
    app.window.manager.tabs.setCurrentIndex(1)  # another tab: the scan comes back to Refund
    app.window.session.scan(code)
    qtbot.waitUntil(lambda: tab.order_ref.text() == "CUPS-4", timeout=WAIT)
    assert app.window.manager.tabs.currentWidget() is tab
    assert tab.refund_button.isEnabled()

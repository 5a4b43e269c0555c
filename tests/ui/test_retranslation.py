"""Everything retranslates (issue 12, point 5): a message on the banner, news of what was
done as well as a problem, says itself again in the language the cashier switches to; none
stays English ("No product has the code…", "Finish or cancel this step…", the points for an
order, a refund, an adjustment, "Ledger address saved…")."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QCoreApplication

from devices.receipt import sample_receipt
from kiosk.app.qt import CounterApp
from tests.helpers.ui import WAIT, key_in, message, on_screen, scan_member, tap

SWITCHES = ["zh-TW", "zh-CN", "en"]


def said_again(qtbot, app: CounterApp, kind: str, english: str,
               translated: Callable[[], str]) -> None:
    """The banner shows ``english`` now, and ``translated()`` in each language switched to
    (a Chinese translation differs from the English)."""
    w = app.window
    assert message(qtbot, app, kind) == english
    for language in SWITCHES:
        w.set_language(language)
        assert w.banner.isVisible() and w.banner.kind == kind
        assert w.banner.text() == translated(), language
        if language != "en":
            assert w.banner.text() != english, f"still English in {language}"


def window_tr(text: str) -> str:
    return QCoreApplication.translate("CounterWindow", text)


def on_sale(qtbot, app: CounterApp) -> None:
    scan_member(qtbot, app, 0)
    tap(qtbot, app.window.member_screen.sale)
    on_screen(qtbot, app, "sale")


def test_an_unknown_product_code_is_said_again(qtbot, app):
    on_sale(qtbot, app)
    app.window.handle_scan("0000000000017")
    said_again(qtbot, app, "error", "No product has the code 0000000000017.",
               lambda: window_tr("No product has the code {code}.").format(
                   code="0000000000017"))


def test_finish_this_step_first_is_said_again(qtbot, app):
    on_sale(qtbot, app)
    app.window.simulate_actions[1].trigger()
    text = "Finish or cancel this step before scanning another card."
    said_again(qtbot, app, "error", text, lambda: window_tr(text))


def test_the_points_for_an_order_are_said_again(qtbot, app):
    on_sale(qtbot, app)
    w = app.window
    key_in(qtbot, w.sale.keypad, "1250")
    order = w.sale.order_ref
    tap(qtbot, w.sale.confirm)
    balance = w.member.balance + 18
    english = f"+18 points for order {order}. New balance: {balance}"
    said_again(qtbot, app, "info", english, lambda: window_tr(
        "+{points} points for order {order}. New balance: {balance}").format(
            points=18, order=order, balance=balance))


@pytest.mark.parametrize(("emit", "english", "source", "fields"), [
    (lambda m: m.refunded.emit(SimpleNamespace(order_ref="A-1", points=-18, balance=165,
                                               whole=True, money_back_minor=0)),
     "Order A-1 refunded: -18 points. Balance: 165",
     "Order {order} refunded: {points} points. Balance: {balance}",
     {"order": "A-1", "points": -18, "balance": 165}),
    (lambda m: m.adjusted.emit(SimpleNamespace(entry=SimpleNamespace(points=5),
                                               balance=188)),
     "Adjustment recorded: +5 points. Balance: 188",
     "Adjustment recorded: {points:+d} points. Balance: {balance}",
     {"points": 5, "balance": 188}),
    (lambda m: m.ledger_moved.emit("https://ledger.example.com:8470"),
     "Ledger address saved: https://ledger.example.com:8470",
     "Ledger address saved: {address}", {"address": "https://ledger.example.com:8470"}),
    (lambda m: m.pin_changed.emit(),
     "PIN changed. Use the new PIN from now on.",
     "PIN changed. Use the new PIN from now on.", {}),
], ids=["refund", "adjustment", "ledger", "pin"])
def test_news_from_the_manager_screen_is_said_again(qtbot, app, emit, english, source,
                                                     fields):
    emit(app.window.manager)
    said_again(qtbot, app, "info", english, lambda: window_tr(source).format(**fields))


def test_a_printed_receipt_is_said_again(qtbot, app):
    app.counter.print_receipt = lambda _receipt: None
    app.window.print_page(sample_receipt())
    said_again(qtbot, app, "info", "Receipt printed.", lambda: window_tr("Receipt printed."))


def test_the_sync_detail_is_said_again(qtbot, app):
    w = app.window
    qtbot.waitUntil(lambda: w.sync_status is not None, timeout=WAIT)
    tap(qtbot, w.sync_badge)
    english = message(qtbot, app, "info")
    w.set_language("zh-TW")
    assert w.banner.text() != english

"""After a transfer the 'Print receipt' button still offers the previous step's receipt
(here the donation's): a tap prints a donation receipt with the balance before the
transfer, for a step the member didn't just take."""

from __future__ import annotations

import pytest

from devices.receipt import layout
from tests.helpers.ui import WAIT, message, on_screen, tap
from tests.ui.test_transfer import members, scan_receiver

pytestmark = pytest.mark.gui


def test_print_receipt_after_a_transfer_is_not_the_donations(qtbot, transfer_app):
    app, w = transfer_app, transfer_app.window
    giver, receiver = members(app)  # giver 140 points
    # a donation first: its receipt is offered
    w.handle_scan(giver.card.payload)
    on_screen(qtbot, app, "member")
    tap(qtbot, w.member_screen.donate)
    on_screen(qtbot, app, "donate")
    tap(qtbot, w.donate.cause_buttons["school-meals"])
    tap(qtbot, w.donate.plus)  # 20
    with qtbot.waitSignal(w.donate.completed, timeout=WAIT):
        tap(qtbot, w.donate.confirm)
    on_screen(qtbot, app, "member")
    qtbot.waitUntil(lambda: w.member is not None and w.member.balance == 120, timeout=WAIT)
    assert w.receipt_button.isVisible()
    # then a transfer of 10 points
    tap(qtbot, w.member_screen.give)
    on_screen(qtbot, app, "transfer")
    scan_receiver(qtbot, app, receiver)
    with qtbot.waitSignal(w.transfer.completed, timeout=WAIT):
        tap(qtbot, w.transfer.confirm)
    assert "Balance: 110" in message(qtbot, app, "info")
    on_screen(qtbot, app, "member")
    qtbot.waitUntil(lambda: w.member is not None and w.member.balance == 110, timeout=WAIT)
    # What 'Print receipt' would print now must not be the donation's, balance 120.
    if w.receipt_button.isVisible() and w.session.receipt is not None:
        rows = [(r.left.strip(), r.right) for r in layout(w.session.receipt())]
        assert ("Points balance", "120") not in rows, rows

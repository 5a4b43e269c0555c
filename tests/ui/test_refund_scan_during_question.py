"""The refund question for order A is on screen and the manager scans receipt B's order
code: the field behind the question silently becomes B, the page still asks about A, and
'Yes, refund' refunds A; B's scan is then lost (the field is cleared). A scan of another
receipt should take the tab off A's question (to B, or back to the list)."""

from __future__ import annotations

import pytest

from kiosk.engine.order_codes import order_payload
from kiosk.services import order_to_refund
from tests.helpers.ui import WAIT
from tests.ui.test_refund_lines import sold, to_lines, to_question

pytestmark = pytest.mark.gui


def test_a_scan_of_another_receipt_takes_the_question_away(qtbot, app):
    sold(qtbot, app, "CUPS-A")
    sold(qtbot, app, "CUPS-B")
    tab = to_lines(qtbot, app, "CUPS-A")
    _, plus = tab.picker.buttons(1)
    plus.click()
    to_question(qtbot, tab)
    assert "CUPS-A" in tab.question.text()
    app.window.session.scan(order_payload(app.counter.kiosk.channel, "CUPS-B"))
    qtbot.waitUntil(lambda: tab.order_ref.text() == "CUPS-B", timeout=WAIT)
    # The manager just scanned B: the page must not still offer "Yes, refund" for A.
    still_asks_a = tab.confirm_button.isVisible() and "CUPS-A" in tab.question.text()
    if still_asks_a:
        tab.confirm_button.click()
        qtbot.waitUntil(lambda: tab.isEnabled() and not tab.confirm_button.isVisible(),
                        timeout=WAIT)
        a = order_to_refund(app.counter.kiosk, "CUPS-A")
        assert a is not None
        refunded_a = any(line.refunded for line in a.lines)
        pytest.fail(f"after scanning CUPS-B the question still asked about CUPS-A; "
                    f"'Yes, refund' refunded CUPS-A={refunded_a}; the field now holds "
                    f"{tab.order_ref.text()!r} (B's scan lost)")

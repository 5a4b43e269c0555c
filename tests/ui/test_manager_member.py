"""The manager's adjust tab shows the member's balance as it is, not as it was when the
card was scanned: after a sale that reached the store meanwhile, and after an adjustment
made right there (it showed 104 points for a member who had 83, then 133)."""

from __future__ import annotations

from kiosk.app.qt import CounterApp
from kiosk.services import Sale, ring_up_sale
from tests.helpers.ui import WAIT, manager_unlock, message, scan_member, tap


def shown(app: CounterApp) -> str:
    return app.window.manager.adjust_tab.member_line.text()


def test_the_adjust_tab_shows_the_balance_as_it_is_now(qtbot, app: CounterApp):
    w = app.window
    scan_member(qtbot, app, 2)
    member, before = w.member.member, w.member.balance
    # Points that reach the store after the scan (another till, a sync): 40 more.
    ring_up_sale(app.counter.kiosk, Sale(member.id, 4000, "ELSEWHERE"))
    with app.counter.kiosk.store.read() as tx:
        current = tx.entries.balance(member.id)
    assert current > before

    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    w.manager.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: shown(app) == f"Member: {member.name}, {current} points",
                    timeout=WAIT)
    qtbot.keyClicks(w.manager.adjust_tab.points, "+25")
    qtbot.keyClicks(w.manager.adjust_tab.reason, "goodwill")
    tap(qtbot, w.manager.adjust_tab.record)
    assert "+25 points" in message(qtbot, app, "info")
    qtbot.waitUntil(lambda: shown(app) == f"Member: {member.name}, {current + 25} points",
                    timeout=WAIT)

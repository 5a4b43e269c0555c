"""What the counter says of entries held back from the ledger and of a clock that is off:
on the sync badge, and in the detail, in the counter's language."""

from __future__ import annotations

from datetime import timedelta

from kiosk.app.qt import CounterApp
from tests.helpers.ledger import DeviceClock, poisoned_member
from tests.helpers.ui import WAIT, message, tap


def test_an_entry_held_back_is_counted_on_the_badge_and_explained_in_the_detail(qtbot,
                                                                               app: CounterApp):
    w = app.window
    qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online is True,
                    timeout=WAIT)
    poisoned_member(app.running.kiosk)
    app.sync_worker.sync_soon()
    qtbot.waitUntil(lambda: w.sync_status.held_back == 1, timeout=WAIT)
    assert w.sync_status.pending_uploads == 0  # nothing waits behind it
    assert w.sync_badge.text() == "Online · 1 held back"
    assert w.sync_badge.property("state") == "warning"
    tap(qtbot, w.sync_badge)
    detail = message(qtbot, app, "info")
    assert "Held back from the ledger, kept on this kiosk:" in detail
    assert "the member's record can't be sent" in detail
    w.set_language("zh-TW")
    assert "1 筆暫留" in w.sync_badge.text()
    w.set_language("en")


def test_a_clock_that_is_off_is_shown_on_the_badge_and_explained(qtbot, app: CounterApp):
    w = app.window
    qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online is True,
                    timeout=WAIT)
    assert "Clock off" not in w.sync_badge.text()
    app.running.kiosk.clock.device = DeviceClock(off=timedelta(hours=3))  # set 3 h ahead
    app.sync_worker.sync_soon()
    qtbot.waitUntil(lambda: w.sync_status.clock_off, timeout=WAIT)
    assert w.sync_badge.text() == "Online · Clock off"
    assert w.sync_badge.property("state") == "warning"
    tap(qtbot, w.sync_badge)
    assert "clock is 180 minutes ahead of the ledger's" in message(qtbot, app, "info")
    w.set_language("zh-CN")
    assert "时钟不准" in w.sync_badge.text()
    w.set_language("en")


def test_the_last_sync_is_told_in_the_stores_time_zone_not_the_machines(qtbot, app, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/Los_Angeles")  # a machine set to another zone
    time.tzset()
    try:
        w = app.window
        qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online is True,
                        timeout=WAIT)
        tap(qtbot, w.sync_badge)
        store_time = w.sync_status.last_success.astimezone(app.counter.kiosk.program.zone)
        assert f"Last successful sync: {store_time:%Y-%m-%d %H:%M:%S}" in message(
            qtbot, app, "info")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_ledger_state_this_kiosk_cant_read_asks_for_an_update(qtbot, app: CounterApp):
    """A program in force (or a certificate) from a newer ledger that this kiosk can't
    read: the kiosk keeps what it had and syncs on (tests/sync/test_unreadable_program.py),
    and the counter says so, or nobody would know to update it."""
    from datetime import UTC, datetime

    from sync.status import SyncStatus
    from ui.sync_badge import SyncBadge, describe_sync

    problem = "program 2027.1 can't be read here (keeping 2026.2): a_new_section"
    status = SyncStatus(online=True, last_success=datetime.now(UTC),
                        ledger_state_problems=(problem,))
    badge = SyncBadge()
    qtbot.addWidget(badge)
    badge.show_status(status)
    assert (badge.text(), badge.property("state")) == ("Online · Update needed", "warning")
    detail = describe_sync(status, detail=True)
    assert "please update this kiosk:" in detail and problem in detail
    for language, update in (("zh-TW", "需要更新"), ("zh-CN", "需要更新")):
        app.window.set_language(language)
        assert update in describe_sync(status)
        assert "總帳" in describe_sync(status, detail=True) if language == "zh-TW" else \
            "总账" in describe_sync(status, detail=True)
    app.window.set_language("en")

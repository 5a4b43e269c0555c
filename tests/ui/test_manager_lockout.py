"""At the counter, the fifth wrong manager PIN in a row locks the manager screen and says
for how long, in the counter's language."""

from __future__ import annotations

from kiosk.app.qt import CounterApp
from tests.helpers.ui import WAIT, key_in, manager_unlock, message, tap


def test_the_fifth_wrong_pin_locks_the_manager_screen(qtbot, app: CounterApp):
    w = app.window
    manager_unlock(qtbot, app, "9999")
    assert message(qtbot, app, "error") == "Wrong PIN."
    for _ in range(3):
        qtbot.waitUntil(lambda: w.manager.pin_pad.keys["9"].isEnabled(), timeout=WAIT)
        key_in(qtbot, w.manager.pin_pad, "9999")
        tap(qtbot, w.manager.unlock)
        assert message(qtbot, app, "error") == "Wrong PIN."
    w.set_language("zh-TW")
    qtbot.waitUntil(lambda: w.manager.pin_pad.keys["9"].isEnabled(), timeout=WAIT)
    key_in(qtbot, w.manager.pin_pad, "9999")
    tap(qtbot, w.manager.unlock)
    locked = "密碼錯誤次數過多，請於 30 秒後再試。"  # noqa: RUF001
    qtbot.waitUntil(lambda: w.banner.text() == locked,
                    timeout=WAIT)
    assert not w.manager.unlocked
    w.set_language("en")

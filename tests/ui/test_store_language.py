"""The counter starts in the store's language (`kiosk language zh-TW`) and comes back to
it when left alone after a customer switched it (it always started in English)."""

from __future__ import annotations

import shutil
from pathlib import Path

from kiosk.app.qt import CounterApp, demo_scans
from kiosk.app.runtime import counter_session
from kiosk.services.manager import set_store_language, store_language
from tests.helpers.program import PLAIN_PROGRAM
from tests.helpers.ui import scan_member


def test_the_counter_starts_in_the_stores_language_and_returns_to_it(qtbot, qapp,
                                                                    demo_template: Path,
                                                                    tmp_path: Path):
    folder = tmp_path / "kiosk"
    shutil.copytree(demo_template, folder)
    with counter_session(folder, demo=True, program_path=PLAIN_PROGRAM,
                         background_sync=False) as running:
        set_store_language(running.kiosk, "zh-TW")
        assert store_language(running.kiosk) == "zh-TW"
        counter_app = CounterApp(running, qapp, idle_ms=300,
                                 simulated_scans=demo_scans(running))
        qtbot.addWidget(counter_app.window)
        counter_app.start()
        try:
            w = counter_app.window
            assert w.idle.prompt.text() == "請掃描您的會員卡"
            w.set_language("en")  # a customer's choice, for their visit
            scan_member(qtbot, counter_app, 0)
            assert w.member_screen.sale.text() == "Ring up a sale"
            qtbot.waitUntil(lambda: w.current == "idle"
                            and w.idle.prompt.text() == "請掃描您的會員卡", timeout=15_000)
        finally:
            counter_app.shutdown()
            counter_app.languages.switch("en")
            qapp.setStyleSheet("")

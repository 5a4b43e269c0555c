"""The member screen says until when the tier holds and what keeps it, under a program
whose tiers are kept (``tier_policy`` with ``retain``), in three languages (issue 14,
point 9); under today's rule it says nothing of the kind."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.app.qt import CounterApp, demo_scans
from kiosk.app.runtime import counter_session
from tests.helpers.program import PLAIN_PROGRAM
from tests.helpers.ui import on_screen, scan_member, tap
from ui.i18n import LANGUAGES

pytestmark = pytest.mark.gui

KEPT = '\n[tier_policy]\nperiod = "calendar_year"\nretain = true\n'
UNTIL = {"en": "Gold until {d}", "zh-TW": "金卡會員資格至 {d}", "zh-CN": "金卡会员资格至 {d}"}
KEEP = {"en": "Gold until {d}; spend NT$4,000 more this year to keep it",
        "zh-TW": "金卡會員資格至 {d}；今年再消費 NT$4,000 即可續保",  # noqa: RUF001
        "zh-CN": "金卡会员资格至 {d}；今年再消费 NT$4,000 即可保级"}  # noqa: RUF001


@pytest.fixture(scope="module")
def kept_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("kept") / "kiosk"
    document = folder.parent / "kept.toml"
    document.write_text(PLAIN_PROGRAM.read_text(encoding="utf-8").replace(
        'version = "2026.2"', 'version = "2026.2-kept"', 1) + KEPT, encoding="utf-8")
    with counter_session(folder, demo=True, program_path=document, background_sync=False):
        pass
    return folder, document


@pytest.fixture
def kept_app(qtbot, qapp, kept_template: tuple[Path, Path],
             tmp_path: Path) -> Iterator[CounterApp]:
    template, document = kept_template
    folder = tmp_path / "kiosk"
    shutil.copytree(template, folder)
    with counter_session(folder, demo=True, program_path=document,
                         background_sync=False) as running:
        app = CounterApp(running, qapp, idle_ms=60_000, simulated_scans=demo_scans(running))
        qtbot.addWidget(app.window)
        app.start()
        yield app
        app.shutdown()
        app.languages.switch("en")
        qapp.setStyleSheet("")


def gold_member(qtbot, app: CounterApp) -> None:
    for index in range(3):  # the demo's members: one at each tier
        scan_member(qtbot, app, index)
        if app.window.member.progress.tier.id == "gold":
            return
        tap(qtbot, app.window.member_screen.finish)
        on_screen(qtbot, app, "idle")
    raise AssertionError("no demo member at gold")


def test_the_member_screen_says_until_when_the_tier_holds_and_what_keeps_it(qtbot,
                                                                           kept_app):
    w = kept_app.window
    gold_member(qtbot, kept_app)
    view = w.member
    year = datetime.now(UTC).astimezone(ZoneInfo("Asia/Taipei")).year
    # Reached this year: held through next year, nothing more needed.
    assert view.progress.holds_until == date(year + 1, 12, 31)
    reached_last_year = replace(view, progress=replace(
        view.progress, holds_until=date(year, 12, 31), keep_needed=4000))
    for language in LANGUAGES:
        w.set_language(language)
        w.member_screen.show_member(view)
        line = w.member_screen.tier_hold
        assert line.isVisible()
        assert line.text() == UNTIL[language].format(d=f"{year + 1}-12-31")
        w.member_screen.show_member(reached_last_year)
        assert line.text() == KEEP[language].format(d=f"{year}-12-31")


def test_todays_rule_says_nothing_of_holding(qtbot, app):
    scan_member(qtbot, app, 0)
    assert app.window.member.progress.holds_until is None
    assert not app.window.member_screen.tier_hold.isVisible()

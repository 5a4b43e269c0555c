"""What the cashier reads at a glance (issue 12, point 17): the store's name whole in the top
bar at 1024x768 in every language (it was cut to "Cou…"); list rows that do nothing on a tap
don't light up as if they had; a masked phone is short ("*** 678"), not seven wide bullets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from kiosk.app.qt import CounterApp
from kiosk.presenters import short_phone
from tests.helpers.ui import scan_member
from ui.i18n import LANGUAGES


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_store_name_is_whole_in_the_top_bar_at_1024(qtbot, app: CounterApp, language):
    w = app.window
    w.resize(1024, 768)
    w.set_language(language)
    scan_member(qtbot, app, 0)
    QApplication.processEvents()
    assert w.store_label.full_text == "Counterpoint Demo 示範店"
    assert w.store_label.text() == w.store_label.full_text


def test_a_tap_on_a_member_list_row_selects_nothing(qtbot, app: CounterApp):
    w = app.window
    scan_member(qtbot, app, 0)
    for rows in (w.member_screen.activity, w.member_screen.rewards):
        assert rows.count() > 0
        assert rows.selectionMode() == QAbstractItemView.SelectionMode.NoSelection
        spot = rows.visualItemRect(rows.item(0)).center()
        qtbot.mouseClick(rows.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        assert rows.selectedItems() == [] and rows.currentRow() in (-1, 0)
        assert not rows.item(0).isSelected()


def test_the_masked_phone_is_short(qtbot, app: CounterApp):
    scan_member(qtbot, app, 0)
    assert app.window.member_screen.phone.text() == "*** 678"


@pytest.mark.parametrize(("masked", "short"), [
    ("•••••••678", "*** 678"), ("+••••••••••321", "*** 321"), ("678", "678"), ("", "")])
def test_short_phone(masked: str, short: str):
    assert short_phone(masked) == short


@pytest.mark.parametrize("language", ["en", "zh-TW", "zh-CN"])
def test_every_manager_tab_shows_whole_at_1024(qtbot, app, language):
    """With a seventh tab (the staff trail) the English bar overflowed: "Hardwa", and
    14 px scroll arrows to reach the rest."""
    from tests.helpers.ui import WAIT, manager_unlock

    w = app.window
    w.resize(1024, 768)
    w.set_language(language)
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    QApplication.processEvents()
    bar = w.manager.tabs.tabBar()
    assert bar.sizeHint().width() <= bar.width(), [bar.tabText(i) for i in range(bar.count())]

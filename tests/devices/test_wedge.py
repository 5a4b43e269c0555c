"""The keyboard-wedge filter with synthetic key events at a scanner's and a person's speed:
a scan becomes an event and never reaches the field; typing reaches it, all of it, in order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from devices.wedge import WedgeClassifier, WedgeScanFilter

WAIT = 5_000


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def setup(qtbot, qapp) -> Iterator[tuple[QLineEdit, FakeClock, list]]:
    clock = FakeClock()
    wedge = WedgeScanFilter(clock=clock)
    seen: list = []
    wedge.scanned.connect(seen.append)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=WAIT)
    wedge.install(qapp)
    yield field, clock, seen
    wedge.uninstall(qapp)


def type_text(qtbot, field: QLineEdit, clock: FakeClock, text: str, gap: float,
              enter: bool = True) -> None:
    for ch in text:
        clock.now += gap
        qtbot.keyClick(field, ch)
    if enter:
        clock.now += gap
        qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_scanner_burst_becomes_a_scan_and_never_lands_in_the_field(qtbot, setup):
    field, clock, seen = setup
    type_text(qtbot, field, clock, "CP1.ABCDEF.1000-0001", gap=0.004)
    assert [(e.text, e.source) for e in seen] == [("CP1.ABCDEF.1000-0001", "wedge")]
    assert field.text() == ""


def test_a_person_typing_is_never_taken_for_a_scan_and_every_key_arrives_in_order(qtbot,
                                                                                 setup):
    field, clock, seen = setup
    type_text(qtbot, field, clock, "Chen Mei", gap=0.15, enter=False)
    qtbot.waitUntil(lambda: field.text() == "Chen Mei", timeout=WAIT)
    clock.now += 0.15
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert seen == []


def test_a_fast_typist_pressing_enter_after_a_short_word_is_not_a_scan(qtbot, setup):
    field, clock, seen = setup
    type_text(qtbot, field, clock, "ok", gap=0.01)  # quick, but too short for a code
    qtbot.waitUntil(lambda: field.text() == "ok", timeout=WAIT)
    assert seen == []


def test_editing_keys_pass_straight_through(qtbot, setup):
    field, clock, _ = setup
    type_text(qtbot, field, clock, "abc", gap=0.2, enter=False)
    qtbot.waitUntil(lambda: field.text() == "abc", timeout=WAIT)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == "ab"


@pytest.mark.parametrize(("gaps", "scan"), [
    ([0.005] * 10, "0123456789"),  # a scanner
    ([0.005] * 5 + [0.2] + [0.005] * 2, None),  # a pause, then too few keys for a code
    ([0.12, 0.09, 0.15, 0.11, 0.1], None),  # a person's pace
])
def test_the_classifier_decides_by_the_gaps_between_keys(gaps, scan):
    c, now = WedgeClassifier(), 0.0
    for i, gap in enumerate(gaps):
        now += gap
        if not c.key(str(i), now):
            c.take()
            c.key(str(i), now)
    result = c.enter(now + 0.005)
    assert (result == scan) if scan else (result is None)

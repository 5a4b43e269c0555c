"""The keyboard-wedge filter with synthetic key events at a scanner's and a person's speed:
a scan becomes an event and never reaches the field; typing reaches it, all of it, in order."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from devices.scan import MAX_SCAN_CHARS
from devices.wedge import WedgeScanFilter
from tests.helpers.devices import FakeClock, hid_type

WAIT = 5_000


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


def send_key(widget: QWidget, ch: str, timestamp_ms: int, autorepeat: bool = False) -> None:
    """A key as the window system delivers it: press and release, stamped with the time
    the key went down."""
    key = Qt.Key.Key_Return if ch == "\r" else Qt.Key(ord(ch.upper()))
    text = "" if ch == "\r" else ch
    mods = (Qt.KeyboardModifier.ShiftModifier if ch.isupper()
            else Qt.KeyboardModifier.NoModifier)
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, key, mods, text, autorepeat)
        event.setTimestamp(timestamp_ms)
        QApplication.sendEvent(widget, event)


def type_stamped(widget: QWidget, text: str, start_ms: int, gap_ms: int) -> int:
    for i, ch in enumerate(text):
        send_key(widget, ch, start_ms + i * gap_ms)
    return start_ms + len(text) * gap_ms


def test_window_system_timestamps_decide_even_when_keys_are_handled_late(qtbot, setup):
    """Keys that queued up while the UI thread was busy arrive together, but their
    timestamps still say a person typed them; and a scanner's still say scanner."""
    field, _, seen = setup
    end = type_stamped(field, "Linda\r", start_ms=10_000, gap_ms=140)  # handled at once
    qtbot.waitUntil(lambda: field.text() == "Linda", timeout=WAIT)
    type_stamped(field, "CP1.XYZ.123\r", start_ms=end + 1000, gap_ms=3)
    assert [e.text for e in seen] == ["CP1.XYZ.123"]
    assert field.text() == "Linda"


def test_a_scan_right_after_typing_leaves_the_typing_and_takes_the_scan(qtbot, setup):
    field, clock, seen = setup
    type_text(qtbot, field, clock, "Wang", gap=0.12, enter=False)
    clock.now += 0.5
    type_text(qtbot, field, clock, "4710088410012", gap=0.003)
    qtbot.waitUntil(lambda: field.text() == "Wang", timeout=WAIT)
    assert [e.text for e in seen] == ["4710088410012"]


def test_a_held_down_key_repeating_fast_is_typing_not_a_scan(qtbot, setup):
    field, _, seen = setup
    for i in range(6):
        send_key(field, "a", 5_000 + 30 * i, autorepeat=i > 0)
    send_key(field, "\r", 5_000 + 30 * 6)
    qtbot.waitUntil(lambda: field.text() == "aaaaaa", timeout=WAIT)
    assert seen == []


def test_an_unusable_scanner_burst_is_swallowed_not_typed(qtbot, setup, caplog):
    caplog.set_level(logging.WARNING, "devices.wedge")
    field, _, seen = setup
    type_stamped(field, "x" * (MAX_SCAN_CHARS + 10) + "\r", start_ms=1_000, gap_ms=2)
    assert seen == []
    assert field.text() == ""
    assert "unusable" in caplog.text


def test_a_person_typing_into_a_field_sees_each_key_within_a_moment(qtbot, setup):
    """Human keys are held back only until the scanner's gap has passed (~36 ms)."""
    field, _, seen = setup
    send_key(field, "h", 20_000)
    began = time.monotonic()
    qtbot.waitUntil(lambda: field.text() == "h", timeout=WAIT)
    assert time.monotonic() - began < 0.5
    assert seen == []


# A USB HID keyboard-wedge scanner types as a keyboard does: Shift goes down and up
# around every capital (and every shifted symbol), each its own key event.
CARD = ("CP1.AGRCZMNDXFYN7K6IBINDPTAL4Y.200000000014.UTWLXA5I.WXZAPQJHULUIUD5VM4BSQKQ63FJUZT4AQ"
        "MZXD2KQ3LUIUD5VM4BSQKQ63FJUZT4AQ7K6IBINDPTAL4YAGRCZMNDXFYN.UTWLXA5I.WXZAPQJHULU")


@pytest.mark.parametrize("prefix", ["", "F12", "STX"])
@pytest.mark.parametrize("suffix", ["\r", "\t"])
@pytest.mark.parametrize("gap", [0.002, 0.005, 0.008])
def test_a_scanner_pressing_shift_for_every_capital_is_still_a_scan(qtbot, setup, prefix,
                                                                    suffix, gap):
    field, clock, seen = setup
    hid_type(CARD, clock, gap, prefix, suffix)
    assert [(e.text, e.source) for e in seen] == [(CARD, "wedge")]
    assert field.text() == ""
    assert field.hasFocus()  # a Tab that ended a scan was the scanner's, not a person's


def test_a_scanner_sending_its_aim_prefix_and_shifted_symbols_is_a_scan(qtbot, setup):
    field, clock, seen = setup
    hid_type("]Q1" + "AB:CD_12", clock, 0.004)
    assert [e.text for e in seen] == ["AB:CD_12"]
    assert field.text() == ""


def test_altgr_between_a_scanners_characters_is_not_a_gap(qtbot, setup):
    """A layout where "@" is AltGr+Q (X11 reports AltGr as the group switch)."""
    field, clock, seen = setup
    hid_type("ab", clock, 0.004, suffix="")
    altgr = Qt.KeyboardModifier.GroupSwitchModifier
    for kind, key, mods, text in [
            (QEvent.Type.KeyPress, Qt.Key.Key_AltGr, altgr, ""),
            (QEvent.Type.KeyPress, Qt.Key.Key_At, altgr, "@"),
            (QEvent.Type.KeyRelease, Qt.Key.Key_At, altgr, "@"),
            (QEvent.Type.KeyRelease, Qt.Key.Key_AltGr, Qt.KeyboardModifier.NoModifier, "")]:
        clock.now += 0.004
        QApplication.sendEvent(field, QKeyEvent(kind, key, mods, text))
    hid_type("cd", clock, 0.004)
    assert [e.text for e in seen] == ["ab@cd"]
    assert field.text() == ""


@pytest.mark.parametrize("gap", [0.025, 0.075])
def test_a_person_typing_capitals_with_shift_gets_every_key_and_no_scan(qtbot, setup, gap):
    """``gap`` between key events: a letter every 50 ms at the quickest, Shift between."""
    field, clock, seen = setup
    hid_type("Chen Mei LEE", clock, gap, suffix="")
    qtbot.waitUntil(lambda: field.text() == "Chen Mei LEE", timeout=WAIT)
    hid_type("", clock, gap)  # and Enter, at a person's pace
    assert seen == []
    assert field.text() == "Chen Mei LEE"

"""Real scanners into the running app: a keyboard-wedge scanner typing into whatever has
focus, and a serial scanner on a pseudo-terminal, both open the member; the manager can
turn them on and off."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from devices.settings import DeviceSettings, SerialScannerSettings, WedgeSettings
from tests.helpers.devices import FakeClock, Pty, hid_type
from tests.helpers.ui import WAIT, demo_scan_list, manager_unlock, message, on_screen, tap


@pytest.fixture
def pty(tmp_path: Path):
    p = Pty(tmp_path / "scanner-link")
    yield p
    if p.master >= 0:
        p.unplug()


@pytest.fixture
def devices(pty) -> DeviceSettings:
    return DeviceSettings(wedge=WedgeSettings(enabled=True),
                          serial_scanner=SerialScannerSettings(enabled=True,
                                                               port=str(pty.link),
                                                               baudrate=115200))


@pytest.fixture
def clock(app) -> FakeClock:
    """The wedge filter's clock, moved on by ``hid_type`` between key events (QTest's key
    events carry no window-system timestamp, so the filter reads its clock)."""
    fake = FakeClock()
    assert app.wedge is not None
    app.wedge.clock = fake
    return fake


@pytest.fixture
def scans(app) -> list:
    seen: list = []
    app.wedge.scanned.connect(seen.append)
    return seen


def alice_card(app) -> str:
    return next(text for title, text in demo_scan_list(app) if title == "Alice Wong")


def wedge_scan(qtbot, widget, text: str) -> None:
    qtbot.keyClicks(widget, text)  # machine speed, as a scanner types
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_wedge_scan_opens_the_member(qtbot, app):
    card = next(text for title, text in demo_scan_list(app) if title == "Alice Wong")
    wedge_scan(qtbot, app.window, card)
    on_screen(qtbot, app, "member")
    assert app.window.member.member.name == "Alice Wong"


def test_a_wedge_scan_into_the_enrolment_form_names_the_referrer_not_the_name(qtbot, app):
    w = app.window
    card = next(text for title, text in demo_scan_list(app) if title == "Alice Wong")
    tap(qtbot, w.idle.enrol)
    w.enrol.name.setFocus()
    qtbot.waitUntil(lambda: w.enrol.name.hasFocus(), timeout=WAIT)
    wedge_scan(qtbot, w.enrol.name, card)
    qtbot.waitUntil(lambda: w.enrol.referrer_label.text() == "Alice Wong", timeout=WAIT)
    assert w.enrol.name.text() == ""
    assert w.current == "enrol"


def test_a_serial_scan_opens_the_member_and_the_settings_show_the_port(qtbot, app, pty):
    w = app.window
    qtbot.waitUntil(lambda: app.devices_page.states.get("serial") == f"connected {pty.link}",
                    timeout=WAIT)
    card = next(text for title, text in demo_scan_list(app) if title == "李华")
    os.write(pty.master, b"]Q1" + card.encode() + b"\r")
    on_screen(qtbot, app, "member")
    assert w.member.member.name == "李华"
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    w.manager.tabs.setCurrentWidget(w.manager.hardware_tab)
    assert f"Serial scanner: connected {pty.link}" in app.devices_page.state.text()
    # the manager turns the serial scanner off: saved, applied, and scans stop arriving
    app.devices_page.serial.setChecked(False)
    tap(qtbot, app.devices_page.save)
    assert app.serial is None
    assert "Serial scanner: off" in app.devices_page.state.text()
    assert '"enabled": false' in (app.running.data_dir / "devices.json").read_text()


# A USB HID scanner presses Shift around every capital of a card (upper case throughout),
# as a keyboard does; some send a prefix key first, and end with Enter or Tab.

@pytest.mark.parametrize(("prefix", "suffix", "gap"), [
    ("", "\r", 0.002), ("F12", "\r", 0.008), ("STX", "\t", 0.005), ("", "\t", 0.003)])
def test_a_hid_scanner_pressing_shift_for_capitals_opens_the_member(qtbot, app, clock, scans,
                                                                   prefix, suffix, gap):
    card = alice_card(app)
    hid_type(card, clock, gap, prefix, suffix, window=app.window)
    on_screen(qtbot, app, "member")
    assert app.window.member.member.name == "Alice Wong"
    assert [e.text for e in scans] == [card]


@pytest.mark.parametrize("field", ["name", "phone", "birthday"])
@pytest.mark.parametrize("prefix", ["", "F12"])
def test_a_hid_scan_into_an_enrolment_field_names_the_referrer_and_leaves_the_field(
        qtbot, app, clock, field, prefix):
    w = app.window
    tap(qtbot, w.idle.enrol)
    fields = {f: getattr(w.enrol, f) for f in ("name", "phone", "birthday")}
    before = {f: widget.text() for f, widget in fields.items()}
    fields[field].setFocus()
    qtbot.waitUntil(lambda: fields[field].hasFocus(), timeout=WAIT)
    hid_type(alice_card(app), clock, 0.004, prefix)
    qtbot.waitUntil(lambda: w.enrol.referrer_label.text() == "Alice Wong", timeout=WAIT)
    assert {f: widget.text() for f, widget in fields.items()} == before
    assert w.current == "enrol"


def test_a_person_typing_a_name_with_shift_fills_the_enrolment_form_not_a_scan(
        qtbot, app, clock, scans):
    w = app.window
    tap(qtbot, w.idle.enrol)
    no_referrer = w.enrol.referrer_label.text()
    w.enrol.name.setFocus()
    qtbot.waitUntil(lambda: w.enrol.name.hasFocus(), timeout=WAIT)
    # 25 ms between key events: a lower-case letter every 50 ms, a capital every 100 ms
    hid_type("Chen Mei WONG", clock, 0.025, suffix="")
    qtbot.waitUntil(lambda: w.enrol.name.text() == "Chen Mei WONG", timeout=WAIT)
    w.enrol.phone.setFocus()
    qtbot.waitUntil(lambda: w.enrol.phone.hasFocus(), timeout=WAIT)
    hid_type("0912345678", clock, 0.12, suffix="")
    qtbot.waitUntil(lambda: w.enrol.phone.text() == "0912345678", timeout=WAIT)
    assert scans == []
    assert w.enrol.referrer_label.text() == no_referrer
    assert w.enrol.referrer is None
    assert w.current == "enrol"


MANAGER_FIELDS = [("refund_tab", "order_ref"), ("refund_tab", "refund_reason"),
                  ("adjust_tab", "points"), ("adjust_tab", "reason"),
                  ("device_tab", "ledger_address")]


def manager_field(qtbot, app, tab: str, field: str):
    w = app.window
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    page = getattr(w.manager, tab)
    w.manager.tabs.setCurrentWidget(page)
    widget = getattr(page, field)
    if not widget.isVisible():
        pytest.skip(f"{field} is shown on a paired kiosk only, not the demo's")
    widget.setFocus()
    qtbot.waitUntil(lambda: widget.hasFocus(), timeout=WAIT)
    return widget


@pytest.mark.parametrize(("tab", "field"), MANAGER_FIELDS)
def test_a_hid_scan_into_a_manager_field_opens_the_member_and_leaves_the_field(
        qtbot, app, clock, tab, field):
    widget = manager_field(qtbot, app, tab, field)
    before = widget.text()
    hid_type(alice_card(app), clock, 0.006, "F12")
    on_screen(qtbot, app, "member")
    assert app.window.member.member.name == "Alice Wong"
    assert widget.text() == before


@pytest.mark.parametrize(("tab", "field"), MANAGER_FIELDS)
def test_a_person_typing_into_a_manager_field_with_shift_is_not_a_scan(qtbot, app, clock,
                                                                      scans, tab, field):
    widget = manager_field(qtbot, app, tab, field)
    widget.clear()
    hid_type("Till 2 BROKEN", clock, 0.025, suffix="")
    qtbot.waitUntil(lambda: widget.text() == "Till 2 BROKEN", timeout=WAIT)
    assert scans == []
    assert app.window.current == "manager"


def test_a_hid_scan_into_the_serial_port_setting_leaves_it(qtbot, app, clock, scans):
    w = app.window
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    w.manager.tabs.setCurrentWidget(w.manager.hardware_tab)
    port = app.devices_page.port  # the hardware tab's text field this kiosk has enabled
    before = port.text()
    port.setFocus()
    qtbot.waitUntil(lambda: port.hasFocus(), timeout=WAIT)
    hid_type(alice_card(app), clock, 0.003, suffix="\t")
    on_screen(qtbot, app, "member")
    assert [e.text for e in scans] == [alice_card(app)]
    assert port.text() == before


def test_a_hid_scan_on_the_sale_screen_is_taken_as_a_scan_not_keypad_input(qtbot, app,
                                                                          clock, scans):
    w = app.window
    w.simulate_actions[0].trigger()
    on_screen(qtbot, app, "member")
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "sale")
    amount = w.sale.amount.text()
    hid_type(alice_card(app), clock, 0.004, "F12", window=w)
    assert "Finish or cancel" in message(qtbot, app, "error")
    assert [e.text for e in scans] == [alice_card(app)]
    assert w.sale.amount.text() == amount and w.sale.digits == ""
    assert w.current == "sale"

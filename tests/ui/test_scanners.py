"""Real scanners into the running app: a keyboard-wedge scanner typing into whatever has
focus, and a serial scanner on a pseudo-terminal, both open the member; the manager can
turn them on and off."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from devices.settings import DeviceSettings, SerialScannerSettings, WedgeSettings
from tests.devices.test_serial_scanner import Pty
from tests.ui.test_flows import WAIT, demo_scan_list, manager_unlock, on_screen, tap


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
    assert f"serial: connected {pty.link}" in app.devices_page.state.text()
    # the manager turns the serial scanner off: saved, applied, and scans stop arriving
    app.devices_page.serial.setChecked(False)
    tap(qtbot, app.devices_page.save)
    assert app.serial is None
    assert "serial: off" in app.devices_page.state.text()
    assert '"enabled": false' in (app.running.data_dir / "devices.json").read_text()

"""The receipt printer in the running app: a sale's receipt and a new member's card come
out of a real (file) printer as ESC/POS that says the right things, with the member's QR;
a printer that is not there is a plain message; the manager sets the printer up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from devices.settings import DeviceSettings, PrinterSettings, WedgeSettings
from kiosk.engine.order_codes import parse_order_payload
from tests.devices.escpos_reader import read
from tests.helpers.devices import file_printer
from tests.helpers.ui import (
    WAIT,
    key_in,
    manager_unlock,
    on_screen,
    scan_member,
    tap,
    whole_printout,
)


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    return tmp_path / "printer.bin"


@pytest.fixture
def devices(paper: Path) -> DeviceSettings:
    return file_printer(paper)


def sell(qtbot, app, digits: str) -> int:
    """Ring up a keyed amount for the first demo member; their balance before it."""
    w = app.window
    scan_member(qtbot, app, 0)
    before = w.member.balance
    tap(qtbot, w.member_screen.sale)
    key_in(qtbot, w.sale.keypad, digits)
    tap(qtbot, w.sale.confirm)
    qtbot.waitUntil(lambda: w.receipt_button.isVisible(), timeout=WAIT)
    return before


def printed(qtbot, app, paper: Path):
    banner = app.window.banner
    qtbot.waitUntil(lambda: banner.kind == "info" and banner.text().endswith(" printed."),
                    timeout=WAIT)
    return read(paper.read_bytes())


def test_a_sale_receipt_prints_the_points_the_new_balance_and_the_member_qr(qtbot, app, paper):
    w = app.window
    before = sell(qtbot, app, "1250")
    tap(qtbot, w.receipt_button)
    out = printed(qtbot, app, paper)
    text = " | ".join(" ".join(line.text.split()) for line in out.lines)
    assert "Purchase NT$1,250" in text
    assert "Total NT$1,250" in text
    assert "Points this visit +18" in text
    assert f"Points balance {before + 18:,}" in text
    assert "Tier Silver" in text
    # The member's card, then the order's own code (a refund starts from a scan of it).
    card, order = [qr.payload.decode() for qr in out.qr_codes]
    assert card == w.card_payload
    assert parse_order_payload(order).channel == app.counter.kiosk.channel
    assert "Returns: show this code" in text
    assert out.items[-1] == "cut"


def test_a_new_members_card_prints_with_its_qr(qtbot, app, paper):
    w = app.window
    tap(qtbot, w.idle.enrol)
    w.enrol.name.setFocus()
    qtbot.keyClicks(w.enrol.name, "Ivy")
    qtbot.keyClicks(w.enrol.phone, "0911000777")
    w.enrol.consent.setChecked(True)
    tap(qtbot, w.enrol.submit)
    on_screen(qtbot, app, "card")
    tap(qtbot, w.card.print)
    out = printed(qtbot, app, paper)
    card = w.card.result.card
    assert [qr.payload.decode() for qr in out.qr_codes] == [card.payload]
    grouped = " ".join(card.card_no[i:i + 4] for i in range(0, 12, 4))
    assert any("Ivy" in line.text and grouped in line.text for line in out.lines)


def test_a_printer_that_is_not_there_is_a_plain_message_and_the_sale_stands(qtbot, app,
                                                                             tmp_path):
    app.apply_device_settings(DeviceSettings(
        wedge=WedgeSettings(enabled=False),
        printer=PrinterSettings(kind="file", target=str(tmp_path / "unplugged" / "lp0"))))
    w = app.window
    before = sell(qtbot, app, "500")
    qtbot.waitUntil(lambda: w.member.balance == before + 7, timeout=WAIT)
    tap(qtbot, w.receipt_button)
    banner = app.window.banner
    qtbot.waitUntil(lambda: banner.kind == "error", timeout=WAIT)
    assert banner.text().startswith("The receipt printer is not answering.")
    assert w.member.balance == before + 7


def test_the_manager_sets_up_the_printer_and_a_wrong_setting_saves_nothing(qtbot, app,
                                                                           tmp_path):
    page = app.devices_page
    saved = app.running.data_dir / "devices.json"
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: app.window.manager.unlocked, timeout=WAIT)
    app.window.manager.tabs.setCurrentWidget(page)
    page.printer_kind.setCurrentIndex(page.printer_kind.findData("network"))
    page.printer_target.setText("")
    before = saved.read_text()
    tap(qtbot, page.save)
    assert "Not saved: printer.target: a network printer needs a target" in page.state.text()
    assert saved.read_text() == before

    target = tmp_path / "new-printer.bin"
    page.printer_kind.setCurrentIndex(page.printer_kind.findData("file"))
    page.printer_target.setText(str(target))
    page.paper.setCurrentIndex(page.paper.findData("58"))
    page.camera.setChecked(True)  # no camera support here: it says why, nothing breaks
    tap(qtbot, page.save)
    stored = json.loads(saved.read_text())
    assert stored["printer"] == {**stored["printer"], "kind": "file", "target": str(target),
                                 "paper_mm": 58}
    assert stored["camera"]["enabled"] is True
    assert "Camera: " in page.state.text() and "Camera: off" not in page.state.text()
    tap(qtbot, next(b for b in page.findChildren(QPushButton) if b is page.test))
    assert whole_printout(qtbot, target).items[-1] == "cut"  # a whole test page

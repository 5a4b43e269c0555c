"""The Hardware tab and the demo's scan menu speak the counter's language (issue 12, point
14): the status line, the dropdowns' words and the "Simulate a scan" items were English
whatever the language; the settings saved stay the same words (devices.json)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.app.qt import CounterApp


def test_the_hardware_tab_is_translated_and_saves_the_same_settings(qtbot, app: CounterApp):
    page = app.devices_page
    saved = page.edited()
    english = page.state.text()
    assert "wedge" in english  # the status line names each device and its state
    app.window.set_language("zh-TW")
    kinds = [page.printer_kind.itemText(i) for i in range(page.printer_kind.count())]
    assert kinds[0] == QCoreApplication.translate("DevicesPage", "None") != "None"
    assert "none" not in kinds
    assert page.printer_kind.itemData(0) == "none"
    text = page.state.text()
    assert text and text != english
    for word in ("wedge", "serial", "camera", "printer", "off"):
        assert word not in text, f"{word!r} untranslated in {text!r}"
    assert page.edited() == saved  # the stored values, not the words shown


def test_the_demo_scan_menu_is_translated(qtbot, app: CounterApp):
    w = app.window
    titles = [a.text() for a in w.simulate_actions]
    assert "Forged card" in titles and "Not a card" in titles
    w.set_language("zh-CN")
    translated = [a.text() for a in w.simulate_actions]
    assert "Forged card" not in translated and "Not a card" not in translated
    assert not any(t.startswith("Product: ") for t in translated)
    w.set_language("en")
    assert [a.text() for a in w.simulate_actions] == titles

"""devices.json: defaults when absent, a round trip, and mistakes named by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devices import settings
from devices.settings import (
    DeviceSettings,
    PrinterSettings,
    SettingsError,
    network_address,
    usb_ids,
)


def test_a_kiosk_without_the_file_gets_the_defaults(tmp_path: Path):
    s = DeviceSettings.load(tmp_path)
    assert s.wedge.enabled and not s.serial_scanner.enabled and not s.camera.enabled
    assert s.printer.kind == "none" and s.printer.paper_mm == 80


def test_settings_survive_a_save_and_load_and_stay_hand_editable(tmp_path: Path):
    s = DeviceSettings.model_validate({
        "serial_scanner": {"enabled": True, "port": "/dev/ttyACM0", "baudrate": 115200,
                           "suffix": "CRLF"},
        "wedge": {"enabled": False, "max_gap_ms": 20, "min_length": 6},
        "camera": {"enabled": True, "device": "USB Camera"},
        "printer": {"kind": "network", "target": "10.0.0.9", "paper_mm": 58, "cjk": "big5"},
    })
    s.save(tmp_path)
    assert DeviceSettings.load(tmp_path) == s
    text = (tmp_path / "devices.json").read_text()
    assert '"kind": "network"' in text and "\n  " in text  # indented JSON, not one line


def test_a_file_from_before_the_printer_settings_still_loads(tmp_path: Path):
    (tmp_path / "devices.json").write_text(json.dumps(
        {"serial_scanner": {"enabled": True}, "wedge": {"enabled": True}}))
    s = settings.load(tmp_path)
    assert s.serial_scanner.enabled and s.printer.kind == "none"


@pytest.mark.parametrize(("data", "message"), [
    ({"printer": {"paper_mm": 76}}, "printer.paper_mm: Input should be 58 or 80"),
    ({"printer": {"kind": "usb", "target": "epson"}}, "printer.target: USB printer 'epson' "
                                                      "should be VID:PID in hex"),
    ({"printer": {"kind": "serial"}}, "printer.target: a serial printer needs a target"),
    ({"printer": {"kind": "network", "target": "host:99999"}}, "printer.target: network"),
    ({"serial_scanner": {"suffix": "TAB"}}, "serial_scanner.suffix: Input should be 'CR'"),
    ({"wedge": {"max_gap_ms": 1}}, "wedge.max_gap_ms: Input should be greater than"),
    ({"camera": {"enabled": True, "fps": 30}}, "camera.fps: Extra inputs are not permitted"),
])
def test_a_mistake_in_the_file_is_refused_naming_the_field(tmp_path: Path, data, message):
    (tmp_path / "devices.json").write_text(json.dumps(data))
    with pytest.raises(SettingsError, match=r"devices\.json: ") as err:
        settings.load(tmp_path)
    assert message in str(err.value)


def test_a_file_that_is_not_json_says_so(tmp_path: Path):
    (tmp_path / "devices.json").write_text("[printer]\nkind = 'usb'\n")
    with pytest.raises(SettingsError, match="is not JSON"):
        settings.load(tmp_path)


@pytest.mark.parametrize(("target", "expected"), [
    ("10.0.0.9", ("10.0.0.9", 9100)),
    ("printer.local:9101", ("printer.local", 9101)),
    ("[fe80::1]", ("fe80::1", 9100)),
    ("[fe80::1]:9102", ("fe80::1", 9102)),
])
def test_network_printers_default_to_port_9100(target, expected):
    assert network_address(target) == expected


def test_usb_ids_are_hex():
    assert usb_ids("04b8:0E28") == (0x04B8, 0x0E28)
    with pytest.raises(ValueError):
        PrinterSettings(kind="usb", target="04b8")

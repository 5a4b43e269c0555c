"""Counter hardware settings, kept in ``devices.json`` in the kiosk's data folder so a
technician can edit them by hand and the manager screen can change them.

A missing file means the defaults (wedge scanner on, nothing else); a file with a mistake
is refused with a ``SettingsError`` that names the file and the field, e.g.
``devices.json: printer.paper_mm: Input should be 58 or 80``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from kiosk.store.disk import write_whole

FILE = "devices.json"
NETWORK_PRINTER_PORT = 9100  # the raw "JetDirect" port every network receipt printer listens on


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SerialScannerSettings(_Section):
    enabled: bool = False
    port: str = "auto"  # a device path, a pyserial URL, or "auto"
    baudrate: int = Field(default=9600, gt=0)
    suffix: Literal["CR", "LF", "CRLF"] = "CR"


class WedgeSettings(_Section):
    enabled: bool = True
    max_gap_ms: int = Field(default=35, ge=5, le=200)
    min_length: int = Field(default=4, ge=1, le=64)


class CameraSettings(_Section):
    enabled: bool = False
    device: str = "default"  # "default", or a camera's description as ``list_cameras`` gives


PrinterKind = Literal["none", "file", "serial", "usb", "network"]


class PrinterSettings(_Section):
    """Where receipts go. ``target`` depends on ``kind``:

    - ``file``: a path, e.g. ``/dev/usb/lp0`` (Linux's USB printer driver) or a plain file;
    - ``serial``: a serial port, e.g. ``/dev/ttyUSB0`` or ``COM3``, at ``baudrate``;
    - ``usb``: the printer's USB ids as ``VID:PID`` in hex, e.g. ``04b8:0e28``;
    - ``network``: ``host`` or ``host:port`` (port 9100 when left out).
    """

    kind: PrinterKind = "none"
    target: str = Field(default="", validate_default=True)
    baudrate: int = Field(default=9600, gt=0)
    paper_mm: Literal[58, 80] = 80
    cjk: Literal["raster", "gb18030", "big5"] = "raster"
    timeout_s: float = Field(default=5.0, gt=0, le=60)

    @field_validator("target")
    @classmethod
    def _target_fits_kind(cls, target: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind", "none")
        target = target.strip()
        if kind == "none":
            return target
        if not target:
            raise ValueError(f"a {kind} printer needs a target")
        if kind == "usb":
            usb_ids(target)
        elif kind == "network":
            network_address(target)
        return target


def usb_ids(target: str) -> tuple[int, int]:
    """``"04b8:0e28"`` -> (0x04B8, 0x0E28); ValueError naming the expected form."""
    vid, sep, pid = target.partition(":")
    try:
        ids = int(vid, 16), int(pid, 16)
    except ValueError:
        ids = (-1, -1)
    if not sep or not all(0 <= i <= 0xFFFF for i in ids):
        raise ValueError(f"USB printer {target!r} should be VID:PID in hex, e.g. 04b8:0e28")
    return ids


def network_address(target: str) -> tuple[str, int]:
    """``"10.0.0.5"`` -> ("10.0.0.5", 9100); ``"printer:9101"`` -> ("printer", 9101)."""
    host, sep, port = target.rpartition(":")
    if not sep or "]" in port:  # no port given (or a bare IPv6 address in brackets)
        host, port = target, str(NETWORK_PRINTER_PORT)
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"network printer {target!r} should be host or host:port")
    return host, int(port)


class DeviceSettings(_Section):
    serial_scanner: SerialScannerSettings = SerialScannerSettings()
    wedge: WedgeSettings = WedgeSettings()
    camera: CameraSettings = CameraSettings()
    printer: PrinterSettings = PrinterSettings()

    @classmethod
    def load(cls, data_dir: Path) -> DeviceSettings:
        return load(data_dir)

    def save(self, data_dir: Path) -> None:
        save(data_dir, self)


class SettingsError(ValueError):
    """devices.json can't be used; the message names the file and the field."""


def load(data_dir: Path) -> DeviceSettings:
    path = data_dir / FILE
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return DeviceSettings()
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path} can't be read: {exc}") from exc
    try:
        return DeviceSettings.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise SettingsError(f"{path} is not JSON: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(the whole file)"
        message = first["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{path}: {field}: {message}") from exc


def save(data_dir: Path, settings: DeviceSettings) -> None:
    """Never a half-written settings file: a full disk is a StorageError and leaves the
    saved settings as they were."""
    text = settings.model_dump_json(indent=2) + "\n"
    write_whole(data_dir / FILE, lambda part: part.write_text(text, "utf-8"))

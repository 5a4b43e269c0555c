"""Counter hardware settings, kept in ``devices.json`` in the kiosk's data folder so a
technician can edit them by hand and the manager screen can change them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

FILE = "devices.json"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SerialScannerSettings(_Section):
    enabled: bool = False
    port: str = "auto"  # a device path, a pyserial URL, or "auto"
    baudrate: int = Field(default=9600, gt=0)
    suffix: Literal["CR", "LF", "CRLF"] = "CR"


class WedgeSettings(_Section):
    enabled: bool = True
    max_gap_ms: int = Field(default=35, ge=5, le=200)
    min_length: int = Field(default=4, ge=1, le=64)


class DeviceSettings(_Section):
    serial_scanner: SerialScannerSettings = SerialScannerSettings()
    wedge: WedgeSettings = WedgeSettings()


class SettingsError(ValueError):
    """devices.json can't be used; the message names the file and the field."""


def load(data_dir: Path) -> DeviceSettings:
    path = data_dir / FILE
    if not path.exists():
        return DeviceSettings()
    try:
        return DeviceSettings.model_validate(json.loads(path.read_text("utf-8")))
    except json.JSONDecodeError as exc:
        raise SettingsError(f"{path} is not JSON: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise SettingsError(f"{path}: {field}: {first['msg']}") from exc


def save(data_dir: Path, settings: DeviceSettings) -> None:
    path = data_dir / FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(settings.model_dump_json(indent=2) + "\n", "utf-8")
    tmp.replace(path)  # never a half-written settings file

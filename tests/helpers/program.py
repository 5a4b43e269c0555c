"""The loyalty program every test starts from (the one the kiosk ships), named in one place
for the fixtures and for the tests that load it themselves."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PROGRAM = ROOT / "assets" / "program.toml"

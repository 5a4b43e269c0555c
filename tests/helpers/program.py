"""The loyalty program every test starts from (the one the kiosk ships), named in one place
for the fixtures and for the tests that load it themselves."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PROGRAM = ROOT / "assets" / "program.toml"

PROMOTIONS = '''
[[promotions]]
id = "tea-friday"
names = { en = "Double points on tea, Fridays", zh-TW = "週五茶飲雙倍", zh-CN = "周五茶饮双倍" }
multiplier = 2
weekdays = ["fri"]
categories = ["tea"]

[bonuses.birthday]
points = 100

[bonuses.first_purchase]
points = 30
'''
"""Sections added to the default program by tests of the engine at the counter: a Friday
tea promotion, a birthday bonus (the birthday month) and a first-purchase bonus."""

DOUBLE_AND_BIRTHDAY = '''
[[promotions]]
id = "double"
names = { en = "Double points", zh-TW = "雙倍點數", zh-CN = "双倍点数" }
multiplier = 2

[bonuses.birthday]
points = 100
'''
"""The ledger's order tests: double points on everything, every day, and a birthday bonus."""


def program_text(extra: str = PROMOTIONS, version: str | None = None) -> str:
    """The default program's document with ``extra`` sections appended (and a version)."""
    text = DEFAULT_PROGRAM.read_text(encoding="utf-8") + extra
    if version is not None:
        text = text.replace('version = "2026.2"', f'version = "{version}"', 1)
    return text

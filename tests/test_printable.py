"""One table of the characters a receipt shows (kiosk/printable.py, frozen at Unicode 14),
read by the counter (check_code) and the ledger's wire (ProductCode) alike. Review of
597b294: check_code asked the RUNNING Python's str.isprintable while the wire's table was
frozen, and pyproject admits Python 3.12 (Unicode 15.0), 3.13 (15.1), 3.14 (16.0): there
the counter took a code with a character new since (U+1F6DC WIRELESS, a CJK Extension H
ideograph) that its own uploader refused, so the sale's points never reached the ledger."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from bisect import bisect_right
from pathlib import Path

import pytest

from kiosk.printable import SHOWN, UNICODE_VERSION, as_shown
from tests.sync.test_wire_product_codes import counter_takes, wire_takes

ROOT = Path(__file__).resolve().parent.parent
NEWER = ["\U0001f6dc", "\U00031350", "\u2ffc", "\U0002ebf0"]
"""Printable in Python 3.12 (Unicode 15.0: WIRELESS, a CJK Extension H ideograph) or 3.13
(15.1: an ideographic description character, a CJK Extension I ideograph), not in 3.11."""


STARTS = [low for low, _ in SHOWN]


def in_table(code: int) -> bool:
    at = bisect_right(STARTS, code) - 1
    return at >= 0 and code <= SHOWN[at][1]


@pytest.mark.parametrize("char", NEWER, ids=ascii)
def test_a_character_newer_than_the_table_is_refused_at_the_counter_and_on_the_wire(char):
    """On any Python: the counter reads the table, not ``str.isprintable`` (which takes
    these on a Python whose Unicode has them)."""
    assert not counter_takes(f"A{char}") and not wire_takes(f"A{char}")


def test_the_counter_takes_a_character_exactly_when_the_table_has_it():
    """Every code point, with a letter on each side (a space inside a code is shown): the
    counter's verdict is the table's, whatever Unicode this Python has."""
    wrong = [c for c in range(sys.maxunicode + 1)
             if counter_takes(f"A{chr(c)}A") != (c == 0x20 or in_table(c))]
    assert wrong == []


def interpreters() -> list[str]:
    """Other Pythons on this machine (3.12 and later have a later Unicode than 3.11)."""
    found = {shutil.which(f"python3.{minor}") for minor in range(12, 16)}
    found |= set(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3")))
    usable = []
    for exe in sorted(x for x in found if x):
        try:
            ok = subprocess.run([exe, "-c", "import sys; assert sys.version_info >= (3, 12)"],
                                capture_output=True, timeout=30).returncode == 0
        except OSError:
            ok = False
        if ok:
            usable.append(exe)
    return usable


VERDICTS = """
import importlib.util, json, sys, types
# kiosk/services/errors.py alone: its one import from the engine is a stub, as the engine's
# package needs the project's dependencies, installed here for this Python only.
codes = types.ModuleType("kiosk.engine.order_codes")
codes.ORDER_PREFIX = "CPO1."
sys.modules.update({"kiosk.engine": types.ModuleType("kiosk.engine"),
                    "kiosk.engine.order_codes": codes})
spec = importlib.util.spec_from_file_location("errors", "kiosk/services/errors.py")
errors = importlib.util.module_from_spec(spec)
spec.loader.exec_module(errors)
def takes(code):
    try:
        errors.check_code(code)
    except errors.InvalidInput:
        return False
    return True
print(json.dumps([takes(code) for code in json.load(sys.stdin)]))
"""


def sample() -> list[str]:
    return [f"A{chr(c)}A" for c in range(0, sys.maxunicode + 1, 97)
            if not 0xD800 <= c <= 0xDFFF] + [f"A{c}" for c in NEWER]


def test_the_counter_under_another_python_takes_what_it_takes_here():
    """check_code run by each later Python found on this machine takes the same codes as
    here (it took U+1F6DC under 3.12, where ``str.isprintable`` does)."""
    others = interpreters()
    if not others:
        pytest.skip("no Python 3.12 or later on this machine")
    codes = sample()
    here = [counter_takes(code) for code in codes]
    for exe in others:
        there = subprocess.run([exe, "-c", VERDICTS], input=json.dumps(codes),
                               capture_output=True, text=True, cwd=ROOT, timeout=120,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert there.returncode == 0, there.stderr
        wrong = [code for code, a, b in zip(codes, here, json.loads(there.stdout),
                                            strict=True) if a != b]
        assert wrong == [], exe


@pytest.mark.parametrize(("kept", "shown"), [
    ("TEA", "TEA"), ("\ufeffTEA", "TEA"), ("TEA\u200b", "TEA"), ("SP ", "SP"),
    (" SP", "SP"), ("SP\u3000A", "SP A"), ("SP\u00a0", "SP"), ("A  B", "A  B"),
    ("烏龍茶-01", "烏龍茶-01"), ("SP\u202eA", "SPA"), ("\u200b", "")])
def test_a_code_as_a_receipt_shows_it(kept, shown):
    assert as_shown(kept) == shown
    assert as_shown(shown) == shown


def test_the_table_is_unicode_14():
    assert UNICODE_VERSION == "14.0.0"

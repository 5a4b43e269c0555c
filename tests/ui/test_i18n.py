"""Every text on screen has a Traditional and a Simplified Chinese translation, the shipped
.qm files are compiled from the .ts files translators edit, and Chinese has a font."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase

from kiosk.services.errors import InputProblem, InvalidInput
from ui.i18n import I18N_DIR, load_cjk_font
from ui.messages import describe

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SOURCES = sorted(str(p) for folder in ("ui", "kiosk/app") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("language", ["zh_TW", "zh_CN"])
def test_every_ui_string_is_translated_and_the_shipped_qm_is_up_to_date(tmp_path, language):
    ts = tmp_path / f"counterpoint_{language}.ts"
    shutil.copy(I18N_DIR / ts.name, ts)
    subprocess.run([BIN / "pyside6-lupdate", *SOURCES, "-no-obsolete", "-ts", str(ts)],
                   check=True, capture_output=True, timeout=120)
    untranslated = [m.findtext("source") for m in ET.parse(ts).getroot().iter("message")
                    if m.find("translation").get("type") == "unfinished"
                    or not m.findtext("translation")]
    assert untranslated == [], f"run `make translations` and translate: {untranslated}"
    qm = tmp_path / "fresh.qm"
    subprocess.run([BIN / "pyside6-lrelease", str(I18N_DIR / ts.name), "-qm", str(qm)],
                   check=True, capture_output=True, timeout=120)
    assert qm.read_bytes() == (I18N_DIR / ts.with_suffix(".qm").name).read_bytes(), \
        "the .qm is stale: run `make translations`"


def test_the_bundled_cjk_font_has_the_glyphs_for_both_scripts(qapp):
    families = load_cjk_font()
    assert "Noto Sans CJK TC" in families and "Noto Sans CJK SC" in families
    systems = QFontDatabase.writingSystems("Noto Sans CJK TC")
    assert QFontDatabase.WritingSystem.TraditionalChinese in systems
    assert QFontDatabase.WritingSystem.SimplifiedChinese in systems


@pytest.mark.parametrize("language", ["zh-TW", "zh-CN"])
def test_every_input_rule_a_service_enforces_is_explained_in_each_language(app, language):
    """A service's own words are English; a cashier in Taipei or Shenzhen reads the
    sentence for the broken rule instead, with no English left in it but the example."""
    english = {problem: describe(InvalidInput("in English", problem)) for problem in InputProblem}
    app.window.set_language(language)
    for problem in InputProblem:
        said = describe(InvalidInput("in English", problem))
        assert said != english[problem] and "English" not in said, problem
        assert re.search(r"[\u4e00-\u9fff]", said), (problem, said)
    app.window.set_language("en")
    assert "in English" not in "".join(english.values())

"""The counter's three languages: Qt translations (``assets/i18n/*.qm``, compiled from the
``.ts`` files translators edit) switched at run time, and the CJK font that draws them.

Installing a translator makes Qt send every widget a LanguageChange event; each screen
answers it by re-reading its texts (``retranslate``), so nothing needs a restart.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"
LANGUAGES: dict[str, str] = {"en": "English", "zh-TW": "繁體中文", "zh-CN": "简体中文"}
"""Language code (as in the program document's names) to its name in itself."""

_FAMILIES = {"en": ["Noto Sans CJK TC"], "zh-TW": ["Noto Sans CJK TC"],
             "zh-CN": ["Noto Sans CJK SC"]}
_LOCALES = {"en": "en_US", "zh-TW": "zh_TW", "zh-CN": "zh_CN"}


def load_cjk_font() -> list[str]:
    """Register Noto Sans CJK (the ``noto-cjk-sans-otc`` package, OFL) with Qt, so Chinese
    renders on a machine with no CJK fonts of its own. Returns the families it added."""
    try:
        ttc = resources.files("noto_cjk_sans_otc") / "NotoSansCJK-Regular.ttc"
        with resources.as_file(ttc) as path:
            font_id = QFontDatabase.addApplicationFont(str(path))
    except (ModuleNotFoundError, FileNotFoundError):
        font_id = -1
    if font_id < 0:
        log.warning("Noto Sans CJK is not installed: Chinese may render as boxes")
        return []
    return list(QFontDatabase.applicationFontFamilies(font_id))


class Languages:
    """Which language the counter speaks now; switching it retranslates every screen."""

    def __init__(self, app: QApplication, language: str = "en") -> None:
        self.app = app
        self.current = "en"
        self._translator: QTranslator | None = None
        self.switch(language)

    def switch(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None
        if language != "en":
            translator = QTranslator(self.app)
            qm = I18N_DIR / f"counterpoint_{language.replace('-', '_')}.qm"
            if not translator.load(str(qm)):
                raise FileNotFoundError(f"translation {qm} is missing")
            QCoreApplication.installTranslator(translator)
            self._translator = translator
        self.current = language
        QLocale.setDefault(QLocale(_LOCALES[language]))
        font = QFont(self.app.font())
        font.setFamilies(_FAMILIES[language])
        self.app.setFont(font)

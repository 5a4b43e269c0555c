"""Fonts for what devices draw themselves (receipt lines in Chinese, product labels).

Noto Sans CJK comes with the app (the ``noto-cjk-sans-otc`` package, OFL) and covers
Latin as well as Chinese, so a receipt or label prints the same on any machine. The
simplified and traditional faces draw some characters differently, so the language picks
the face. Without the package, Pillow's built-in font is used, which has no Chinese.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources

from PIL import ImageFont

log = logging.getLogger(__name__)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
_FACE_INDEX = {"zh-CN": 2, "zh-TW": 3, "en": 3}  # faces in NotoSansCJK-Regular.ttc


@lru_cache(maxsize=32)
def font(size: int, language: str = "en") -> Font:
    try:
        ttc = resources.files("noto_cjk_sans_otc") / "NotoSansCJK-Regular.ttc"
        with resources.as_file(ttc) as path:
            return ImageFont.truetype(str(path), size, index=_FACE_INDEX.get(language, 3))
    except (ModuleNotFoundError, OSError):
        log.warning("Noto Sans CJK is not installed: Chinese can't be drawn")
        return ImageFont.load_default(size=size)


def has_cjk_font() -> bool:
    face = font(24)
    return isinstance(face, ImageFont.FreeTypeFont) and "CJK" in " ".join(
        str(part) for part in face.getname())

"""Reading printed codes back the way the counter's camera does."""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PIL import Image

from devices.camera import FORMATS


def read_codes(path: Path) -> list[zxingcpp.Barcode]:
    """The codes in an image file, looked for in the formats a counter scans. Not in every
    format zxing-cpp knows: ITF finds a spurious short code in the modules of about one
    random QR card in 200, and the counter never reads ITF."""
    with Image.open(path) as image:
        return list(zxingcpp.read_barcodes(image, formats=FORMATS))  # type: ignore[arg-type]

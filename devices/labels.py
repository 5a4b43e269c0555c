"""Shelf and product labels: a product's name, price and barcode (EAN-13 for the retail
code, Code 128 for the shop's own code) on a 50 x 30 mm label at 300 dpi, as PNG.

Bars are drawn by python-barcode at a whole number of pixels per module, so no bar edge
is blurred by scaling; the quiet zones are the symbologies' own minimums (11 modules for
EAN-13, 10 for Code 128).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

import barcode
from barcode.writer import ImageWriter
from PIL import Image, ImageDraw

from devices import fonts
from devices.catalogue import Catalogue, Product
from kiosk.store.disk import write_whole

Symbology = Literal["ean13", "code128"]
DPI = 300
LABEL_MM = (50, 30)
LABEL_PX = (round(LABEL_MM[0] / 25.4 * DPI), round(LABEL_MM[1] / 25.4 * DPI))  # 591 x 354
_MARGIN = 18  # px, 1.5 mm
_QUIET_MODULES = {"ean13": 11, "code128": 10}
_BAR_HEIGHT_MM = 11.0


def barcode_image(code: str, symbology: Symbology, module_px: int) -> Image.Image:
    """The code's bars with its human-readable text below, ``module_px`` pixels per
    module. ValueError if python-barcode can't encode ``code`` in ``symbology``."""
    mm_per_px = 25.4 / DPI
    options = {
        "module_width": module_px * mm_per_px,
        "module_height": _BAR_HEIGHT_MM,
        "quiet_zone": _QUIET_MODULES[symbology] * module_px * mm_per_px,
        "font_size": 9,
        "text_distance": 4.0,
        "dpi": DPI,
    }
    kind = barcode.get_barcode_class(symbology)
    extra = {"guardbar": True} if symbology == "ean13" else {}
    symbol = kind(code, writer=ImageWriter(mode="L", dpi=DPI), **extra)
    image: Image.Image = symbol.render(options)
    return image


def price_text(catalogue: Catalogue, product: Product) -> str:
    """"TWD 65", "EUR 12.50": the price in major units with the catalogue's decimals."""
    amount = Decimal(product.price).scaleb(-catalogue.minor_units)
    return f"{catalogue.currency} {amount:.{catalogue.minor_units}f}"


def render_label(product: Product, price: str, symbology: Symbology = "ean13",
                 language: str = "en") -> Image.Image:
    """The label: name (in ``language``) and price above the barcode."""
    code = product.ean13 if symbology == "ean13" else product.sku
    width, height = LABEL_PX
    for module_px in (4, 3, 2):
        bars = barcode_image(code, symbology, module_px)
        if bars.width <= width - 2 * _MARGIN:
            break
    else:
        raise ValueError(f"{code} is too long for a {LABEL_MM[0]} mm label")
    label = Image.new("L", LABEL_PX, 255)
    draw = ImageDraw.Draw(label)
    name_font, price_font = fonts.font(34, language), fonts.font(44, language)
    name = product.name_in(language)
    while draw.textlength(name, font=name_font) > width - 2 * _MARGIN and len(name) > 1:
        name = name[:-2] + "…"
    draw.text((_MARGIN, _MARGIN), name, font=name_font, fill=0)
    draw.text((width - _MARGIN, _MARGIN + 44), price, font=price_font, fill=0, anchor="ra")
    label.paste(bars, ((width - bars.width) // 2, height - bars.height))  # has its margin
    return label


def save_label(image: Image.Image, path: Path) -> None:
    if path.suffix.lower() != ".png":
        raise ValueError(f"labels are saved as .png, not {path.suffix or path.name!r}")
    write_whole(path, lambda part: image.save(part, format="PNG", dpi=(DPI, DPI)))

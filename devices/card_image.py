"""Member card artwork: a CR80 card with the signed QR code and the number people read.

Kept apart from `kiosk.cards` (which signs and checks payloads) because it draws and
writes files; nothing here decides whether a card is genuine.
"""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import qrcode
import qrcode.constants
import qrcode.util
from PIL import Image, ImageDraw, ImageFont

from devices import fonts
from kiosk.cards import CardError, grouped_card_number, parse_card
from kiosk.store.disk import storage_error, write_whole

__all__ = ["CARD_SIZE_PX", "CARD_SUFFIXES", "DPI", "card_qr", "check_card_path", "render_card",
           "save_card"]

DPI = 300
CARD_SUFFIXES = (".png", ".pdf")
"""What :func:`save_card` writes, chosen by the file's suffix."""
CARD_SIZE_PX = (1011, 638)
"""CR80 (85.6 x 54 mm, a bank card) at 300 dpi."""

QUIET_ZONE = 4
"""Modules of white around the code; the QR standard's minimum, below which scanners
start to miss it."""

_MARGIN = 36  # px, 3 mm: card printers cannot print right to the edge.
_MAX_MODULE_PX = 12  # 1 mm modules are plenty; larger would crowd out the number.
_INK = 0
_PAPER = 255

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def card_qr(payload: str) -> qrcode.QRCode:
    """The QR code for ``payload``, forced into alphanumeric mode at error correction M.

    Alphanumeric mode is why payloads are upper-case: it keeps a 156-character card at
    version 7 (45 modules) instead of version 9 in byte mode, so modules stay large.
    ValueError if the payload has characters alphanumeric mode cannot hold.
    """
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1
    )
    qr.add_data(qrcode.util.QRData(payload.encode("ascii"), mode=qrcode.util.MODE_ALPHA_NUM))
    qr.make(fit=True)
    return qr


def _qr_image(payload: str, max_side: int) -> tuple[Image.Image, int]:
    """The code scaled to whole pixels per module (no blurred edges), and that scale."""
    matrix: list[list[bool]] = card_qr(payload).get_matrix()  # includes the quiet zone
    modules = len(matrix)
    module_px = min(_MAX_MODULE_PX, max_side // modules)
    if module_px < 3:
        raise ValueError(f"a {modules}-module QR code does not fit legibly on a card")
    small = Image.new("L", (modules, modules), _PAPER)
    small.putdata([_INK if dark else _PAPER for row in matrix for dark in row])
    side = modules * module_px
    return small.resize((side, side), Image.Resampling.NEAREST), module_px


def _font(size: int) -> Font:
    return ImageFont.load_default(size=size)


def _fitted_font(draw: ImageDraw.ImageDraw, text: str, width: int, sizes: range) -> Font:
    """The largest size in ``sizes`` (descending) at which ``text`` fits ``width``."""
    font = _font(sizes[0])
    for size in sizes:
        font = _font(size)
        if draw.textlength(text, font=font) <= width:
            break
    return font


def render_card(payload: str, card_no: str, name: str | None = None,
                brand: str | None = None) -> Image.Image:
    """Draw the card: QR code on the left; beside it the store's brand, the card number
    in groups of four and the member's name.

    Names and the brand are drawn with the bundled Noto Sans CJK (Chinese and Latin
    alike); a name with a control character in it is left off. ValueError if ``payload``
    is not a normalised card payload or carries a different card number than
    ``card_no``, so the printed number always matches the code.
    """
    try:
        claim = parse_card(payload)
    except CardError as exc:
        raise ValueError(f"not a card payload: {exc}") from exc
    if claim.payload != payload:
        raise ValueError("card payload must be upper-case with no surrounding whitespace")
    if claim.card_no != card_no:
        raise ValueError(f"payload is for card {claim.card_no}, not {card_no}")

    width, height = CARD_SIZE_PX
    card = Image.new("L", CARD_SIZE_PX, _PAPER)
    qr, module_px = _qr_image(payload, height - 2 * _MARGIN)
    offset = (height - qr.height) // 2
    card.paste(qr, (offset, offset))

    draw = ImageDraw.Draw(card)
    left = offset + qr.width  # the quiet zone already separates code and text
    column = width - _MARGIN - left
    top = offset + QUIET_ZONE * module_px  # level with the code's top edge

    label = brand.strip() if brand and brand.strip().isprintable() else "COUNTERPOINT"
    draw.text((left, top), _fitted(draw, label, column, _text_font(30)),
              font=_text_font(30), fill=_INK)
    number = grouped_card_number(card_no)
    number_font = _fitted_font(draw, number, column, range(52, 19, -2))
    number_y = height // 2 - 30
    draw.text((left, number_y), number, font=number_font, fill=_INK)

    if name and name.isprintable():
        name_font = next((_text_font(size) for size in range(36, 19, -2)
                          if draw.textlength(name, font=_text_font(size)) <= column),
                         _text_font(20))
        draw.text((left, number_y + 80), _fitted(draw, name, column, name_font),
                  font=name_font, fill=_INK)
    return card


def _text_font(size: int) -> Font:
    """Noto Sans CJK at ``size`` (Pillow's own font if the package is missing)."""
    return fonts.font(size)


def _fitted(draw: ImageDraw.ImageDraw, text: str, width: int, font: Font) -> str:
    """``text``, cut short with "..." where it is wider than ``width``."""
    shown = text
    while draw.textlength(shown, font=font) > width and text:
        text = text[:-1].rstrip()
        shown = text + "..."
    return shown


def check_card_path(path: Path) -> None:
    """Whether :func:`save_card` can write a card at ``path``, asked before a card is
    issued for it: ValueError if its suffix is neither .png nor .pdf, StorageError (the
    path named) if its folder doesn't exist or can't be written, or it is a folder."""
    if path.suffix.lower() not in CARD_SUFFIXES:
        raise ValueError(f"cards are saved as .png or .pdf, not {path.name!r}")
    folder = path.parent
    if not folder.is_dir():
        problem: OSError = FileNotFoundError(errno.ENOENT, f"there is no folder {folder}")
    elif path.is_dir():
        problem = IsADirectoryError(errno.EISDIR, "it is a folder")
    elif not os.access(folder, os.W_OK | os.X_OK):
        problem = PermissionError(errno.EACCES, f"the folder {folder} can't be written")
    else:
        return
    raise storage_error(problem, path)


def save_card(image: Image.Image, path: Path) -> None:
    """Write ``image`` as PNG or PDF, chosen by suffix; ValueError for anything else
    (:func:`check_card_path` says so before there is an image to write).

    Both record 300 dpi, so a PDF page is exactly CR80 and prints at true size. A
    black-and-white card goes into the PDF as lossless 1-bit: the default JPEG would
    blur module edges. The file is written whole or not at all (a full disk is a
    :class:`~kiosk.store.StorageError` and leaves no half card).
    """
    suffix = path.suffix.lower()
    if suffix == ".png":
        write_whole(path, lambda part: image.save(part, format="PNG", dpi=(DPI, DPI)))
    elif suffix == ".pdf":
        page = image
        if image.mode in ("1", "L"):
            page = image.convert("1", dither=Image.Dither.NONE)
        elif image.mode != "RGB":
            page = image.convert("RGB")
        write_whole(path, lambda part: page.save(part, format="PDF",
                                                 resolution=float(DPI)))
    else:
        raise ValueError(f"cards are saved as .png or .pdf, not {path.suffix or path.name!r}")


def card_png(payload: str, card_no: str, name: str | None = None,
             brand: str | None = None) -> bytes:
    """The card as PNG bytes (for showing it on screen)."""
    out = io.BytesIO()
    render_card(payload, card_no, name, brand).save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()


def save_card_png(path: Path, png: bytes) -> None:
    """The card already drawn as PNG bytes (the one on screen), saved whole at ``path``
    (its folder made if need be): where it goes when the counter has no printer."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, path.parent) from exc
    write_whole(path, lambda part: part.write_bytes(png))

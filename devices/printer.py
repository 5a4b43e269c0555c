"""Receipts on an ESC/POS printer: rendering a ``Receipt`` to bytes, and sending bytes to
a printer on a serial port, USB, the network (port 9100) or a file (``/dev/usb/lp0``).

Rendering goes through python-escpos's ``Dummy`` printer, so a whole receipt exists as
bytes before anything is opened: a receipt is written in one go or not at all, and tests
read exactly what a printer would get.

Chinese text. ESC/POS printers print text from a code page in their firmware, and which
Chinese one (if any) depends on the model and region: GB18030 on mainland models, Big5 on
Taiwanese ones, none on most others. So by default (``cjk="raster"``) a line with anything
beyond ASCII is drawn with the bundled Noto Sans CJK font and sent as a raster image
(GS v 0), which every ESC/POS printer prints; plain ASCII lines stay text, which prints
faster and sharper. A printer known to have Chinese firmware can be set to
``cjk="gb18030"`` or ``cjk="big5"``: such lines are then sent as text in that encoding
inside FS & ... FS . (the printer's Chinese character mode), falling back to raster for
any line that encoding can't hold.

The member's QR is printed natively (GS ( k, model 2, error correction M), so the printer
draws it at its own resolution.

``print_receipt`` blocks while it talks to the printer: call it from a worker thread.
Any trouble reaching the printer is a ``PrinterUnavailable`` with a message for the
cashier; nothing else is caught.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from escpos.capabilities import BaseProfile, get_profile_class
from escpos.constants import QR_ECLEVEL_M, QR_MODEL_2
from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError
from escpos.printer import Dummy, File, Network, Serial, Usb
from PIL import Image, ImageDraw

from devices import fonts
from devices.errors import PrinterUnavailable
from devices.receipt import Receipt, Row, display_width, layout, pair_lines, wrap
from devices.settings import PrinterSettings, network_address, usb_ids

log = logging.getLogger(__name__)

CjkMode = Literal["raster", "gb18030", "big5"]
FS = b"\x1c"
CHINESE_MODE_ON, CHINESE_MODE_OFF = FS + b"&", FS + b"."


@dataclass(frozen=True)
class Paper:
    dots: int  # printable width at 203 dpi
    columns: int  # characters of font A (12 x 24 dots)
    qr_module: int  # dots per QR module


PAPER = {80: Paper(576, 48, 6), 58: Paper(384, 32, 5)}
DPI = 203
CHUNK = 1024  # bytes per write: ~1 s at 9600 baud
_TEXT_PX, _TITLE_PX = 24, 44  # raster glyph sizes: font A's 24 dots, and a title


# --- rendering -------------------------------------------------------------------------


def render_receipt(receipt: Receipt, paper_mm: int = 80, cjk: CjkMode = "raster") -> bytes:
    """The receipt as the ESC/POS bytes a printer of that paper width should get."""
    if paper_mm not in PAPER:
        raise ValueError(f"paper is 58 or 80 mm wide, not {paper_mm}")
    paper = PAPER[paper_mm]
    p = Dummy()
    p.profile = _profile(paper_mm)
    p.hw("INIT")
    for row in layout(receipt):
        _row(p, row, paper, cjk, receipt.language)
    p.cut()
    return bytes(p.output)


@cache
def _profile(paper_mm: int) -> BaseProfile:
    """python-escpos's default profile (full cut, font A and B, ...) with our paper width,
    which its image code wants to know."""
    data = copy.deepcopy(get_profile_class("default").profile_data)
    data["media"] = {"dpi": DPI, "width": {"mm": paper_mm, "pixels": PAPER[paper_mm].dots}}
    profile_class = type(f"Paper{paper_mm}Profile", (BaseProfile,), {"profile_data": data})
    profile: BaseProfile = profile_class()
    return profile


def _row(p: Escpos, row: Row, paper: Paper, cjk: CjkMode, language: str) -> None:
    if row.style == "blank":
        p.ln()
    elif row.style == "rule":
        p.textln("-" * paper.columns)
    elif row.style == "qr":
        p.set(align="center")
        p.qr(row.left, native=True, size=paper.qr_module, ec=QR_ECLEVEL_M, model=QR_MODEL_2)
        p.ln()
        p.set(align="left")
    elif row.style == "title":
        _title(p, row.left, paper, cjk, language)
    else:
        _text_row(p, row, paper, cjk, language)


def _encodable(text: str, cjk: CjkMode) -> bool:
    if cjk == "raster":
        return False
    try:
        text.encode(cjk)
    except UnicodeEncodeError:
        return False
    return True


def _title(p: Escpos, text: str, paper: Paper, cjk: CjkMode, language: str) -> None:
    wide = display_width(text) * 2 <= paper.columns
    if text.isascii() or _encodable(text, cjk):
        p.set(align="center", bold=True, double_height=True, double_width=wide)
        for line in wrap(text, paper.columns, display_width):
            _send_line(p, line, cjk)
        p.set(align="left", bold=False, normal_textsize=True)
    else:
        lines = wrap(text, paper.dots, fonts.font(_TITLE_PX, language).getlength)
        _raster(p, [(line, "") for line in lines], paper, language, _TITLE_PX, center=True)


def _text_row(p: Escpos, row: Row, paper: Paper, cjk: CjkMode, language: str) -> None:
    text = row.left + row.right
    center = row.style == "center"
    if not (text.isascii() or _encodable(text, cjk)):
        measure = fonts.font(_TEXT_PX, language).getlength
        pairs = ([(line, "") for line in wrap(row.left, paper.dots, measure)] if center
                 else pair_lines(row.left, row.right, paper.dots, measure, gap=_TEXT_PX))
        _raster(p, pairs, paper, language, _TEXT_PX, center=center,
                bold=row.style == "bold_pair")
        return
    if center:
        p.set(align="center")
        for line in wrap(row.left, paper.columns, display_width):
            _send_line(p, line, cjk)
        p.set(align="left")
        return
    if row.style == "bold_pair":
        p.set(bold=True)
    for left, right in pair_lines(row.left, row.right, paper.columns, display_width, gap=1):
        padding = paper.columns - display_width(left) - display_width(right)
        _send_line(p, left + " " * padding + right if right else left, cjk)
    if row.style == "bold_pair":
        p.set(bold=False)


def _send_line(p: Escpos, line: str, cjk: CjkMode) -> None:
    if line.isascii():
        p.textln(line)
    else:  # Chinese firmware: the line in its encoding, in Chinese character mode
        p._raw(CHINESE_MODE_ON + line.encode(cjk) + CHINESE_MODE_OFF + b"\n")


def _raster(p: Escpos, pairs: list[tuple[str, str]], paper: Paper, language: str,
            size: int, center: bool, bold: bool = False) -> None:
    """Draw the lines full-width (left text left, right text right, or centred) and
    send them as one raster image."""
    font = fonts.font(size, language)
    line_px = size * 5 // 4  # font A: 24-dot glyphs on 30-dot lines
    baseline = size * 19 // 20  # Chinese glyphs reach ~0.9 em above the baseline
    image = Image.new("L", (paper.dots, line_px * len(pairs)), 255)
    draw = ImageDraw.Draw(image)
    for i, (left, right) in enumerate(pairs):
        y = i * line_px + baseline
        x = (paper.dots - font.getlength(left)) / 2 if center else 0
        stroke = int(bold)
        draw.text((x, y), left, font=font, fill=0, anchor="ls", stroke_width=stroke)
        if right:
            draw.text((paper.dots - font.getlength(right) - stroke, y), right, font=font,
                      fill=0, anchor="ls", stroke_width=stroke)
    # Thermal dots are on or off; a generous threshold keeps thin strokes whole.
    p.image(image.point(lambda v: 0 if v < 192 else 255, mode="1"), impl="bitImageRaster")


# --- printers --------------------------------------------------------------------------

_WHERE = {"file": "the printer file", "serial": "the serial port", "usb": "USB",
          "network": "the network"}


def open_printer(settings: PrinterSettings) -> Escpos:
    """Open the configured printer explicitly; PrinterUnavailable if it can't be reached.
    The caller closes it."""
    kind, target = settings.kind, settings.target
    if kind == "none":
        raise PrinterUnavailable("No receipt printer is set up.",
                                 "devices.json printer.kind is none", "not_set_up")
    printer: Escpos
    try:
        if kind == "file":
            printer = File(devfile=target, auto_flush=False)
        elif kind == "serial":
            printer = Serial(devfile=target, baudrate=settings.baudrate,
                             timeout=settings.timeout_s)
        elif kind == "usb":
            vid, pid = usb_ids(target)
            printer = Usb(vid, pid, timeout=int(settings.timeout_s * 1000))
        else:
            host, port = network_address(target)
            printer = Network(host, port, timeout=settings.timeout_s)
        printer.open()
    except (EscposError, OSError, ValueError) as exc:
        # ValueError: pyusb's NoBackendError (no libusb) and pyserial's bad settings.
        raise _unavailable(settings, exc) from exc
    if kind == "serial":  # a printer holding flow control must not hang the sale
        _device(printer).write_timeout = settings.timeout_s
    return printer


def _device(printer: Escpos) -> Any:
    return printer._device


def _unavailable(settings: PrinterSettings, exc: BaseException) -> PrinterUnavailable:
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if type(exc).__name__ == "NoBackendError":  # pyusb without the libusb library
        return PrinterUnavailable(
            "USB printers can't be used on this machine: the libusb library is missing. "
            "Ask a technician to install it (libusb-1.0), or connect the printer another way.",
            detail, "no_libusb")
    return PrinterUnavailable(
        f"The receipt printer on {_WHERE[settings.kind]} ({settings.target}) is not "
        "answering. Check that it is switched on, connected and has paper, then try again.",
        detail)


def send(data: bytes, settings: PrinterSettings) -> None:
    """Write ``data`` to the configured printer and close it."""
    printer = open_printer(settings)
    try:
        # In pieces, so the timeout means "stopped taking data", not "slow": a Chinese
        # raster receipt is ~25 kB, which takes 25 s at 9600 baud.
        for start in range(0, len(data), CHUNK):
            printer._raw(data[start:start + CHUNK])  # every python-escpos printer's write
        if settings.kind in ("file", "serial"):
            _device(printer).flush()
    except (EscposError, OSError) as exc:  # serial timeouts and USB errors are OSErrors
        raise _unavailable(settings, exc) from exc
    finally:
        try:
            printer.close()
        except OSError as exc:
            log.warning("closing the printer: %s", exc)
    log.info("printed %d bytes on %s %s", len(data), settings.kind, settings.target)


def print_receipt(receipt: Receipt, settings: PrinterSettings) -> None:
    """Render ``receipt`` for the configured paper and print it (blocking)."""
    send(render_receipt(receipt, settings.paper_mm, settings.cjk), settings)

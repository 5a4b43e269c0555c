"""A small ESC/POS interpreter for tests: reads the bytes a receipt printer would get and
says what it would print (text lines with their alignment and emphasis, raster images,
QR codes, cuts). It knows only the commands a printer of ours should receive, and refuses
anything else, so a stray byte fails a test instead of printing garbage on paper."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

ESC, GS, FS, LF = 0x1B, 0x1D, 0x1C, 0x0A


@dataclass
class Line:
    text: str
    align: int = 0  # 0 left, 1 centre, 2 right
    bold: bool = False
    size: int = 0  # ESC ! / GS ! size bits; 0 is normal


@dataclass
class QR:
    payload: bytes
    model: int
    module: int
    ec: int  # 48 L, 49 M, 50 Q, 51 H


@dataclass
class Printout:
    items: list[Line | Image.Image | QR | str] = field(default_factory=list)  # "cut"

    @property
    def lines(self) -> list[Line]:
        return [i for i in self.items if isinstance(i, Line)]

    @property
    def text(self) -> list[str]:
        return [line.text for line in self.lines]

    @property
    def images(self) -> list[Image.Image]:
        return [i for i in self.items if isinstance(i, Image.Image)]

    @property
    def qr_codes(self) -> list[QR]:
        return [i for i in self.items if isinstance(i, QR)]


class UnknownCommand(AssertionError):
    pass


def read(data: bytes, chinese_encoding: str = "gb18030") -> Printout:
    out = Printout()
    i, line = 0, bytearray()
    align = bold = size = 0
    chinese = False
    qr: dict[int, bytes] = {}
    pending: list[tuple[int, bytes]] = []  # runs of (chinese mode?, bytes) in the line

    def flush_line() -> None:
        nonlocal line
        runs = [*pending, (chinese, bytes(line))]
        text = "".join(b.decode(chinese_encoding if c else "ascii") for c, b in runs)
        out.items.append(Line(text, align, bool(bold), size))
        pending.clear()
        line = bytearray()

    def take(n: int) -> bytes:
        nonlocal i
        if i + n > len(data):
            raise UnknownCommand(f"command cut short at byte {i}")
        chunk = data[i:i + n]
        i += n
        return chunk

    while i < len(data):
        b = data[i]
        i += 1
        if b == LF:
            flush_line()
        elif b >= 0x20 and b != 0x7F:
            line.append(b)
        elif b == ESC:
            cmd = take(1)[0]
            if cmd == ord("@"):
                align = bold = size = 0
            elif cmd == ord("a"):
                align = take(1)[0] % 48
            elif cmd == ord("E"):
                bold = take(1)[0] & 1
            elif cmd == ord("!"):
                size = take(1)[0] & 0x30
            elif cmd in b"t-M{GU":
                take(1)
            elif cmd == ord("d"):
                for _ in range(take(1)[0]):
                    out.items.append(Line("", align))
            else:
                raise UnknownCommand(f"ESC {cmd:#x} at byte {i - 2}")
        elif b == GS:
            cmd = take(1)[0]
            if cmd == ord("V"):
                mode = take(1)[0]
                if mode in (65, 66):
                    take(1)
                out.items.append("cut")
            elif cmd == ord("!"):
                size = take(1)[0]
            elif cmd in b"bB":
                take(1)
            elif cmd == ord("v"):
                if take(2) != b"0\x00":
                    raise UnknownCommand("only GS v 0 in normal density is expected")
                xl, xh, yl, yh = take(4)
                width_bytes, height = xl + 256 * xh, yl + 256 * yh
                raster = take(width_bytes * height)
                # 1 = ink; PIL's "1" mode has 1 = white, hence the inversion.
                image = Image.frombytes("1", (width_bytes * 8, height),
                                        bytes(255 - c for c in raster))
                out.items.append(image)
            elif cmd == ord("("):
                kind = take(1)
                pl, ph = take(2)
                body = take(pl + 256 * ph)
                if kind != b"k" or body[0] != 49:
                    raise UnknownCommand(f"GS ( {kind!r} {body[:2]!r}")
                fn = body[1]
                if fn == 81:  # print the stored symbol
                    out.items.append(QR(qr[80], qr[65][0] - 48, qr[67][0], qr[69][0]))
                else:
                    qr[fn] = body[3:] if fn == 80 else body[2:]
            else:
                raise UnknownCommand(f"GS {cmd:#x} at byte {i - 2}")
        elif b == FS:
            cmd = take(1)[0]
            if cmd in b"&.":
                pending.append((chinese, bytes(line)))
                line = bytearray()
                chinese = cmd == ord("&")
            else:
                raise UnknownCommand(f"FS {cmd:#x} at byte {i - 2}")
        elif chinese:
            line.append(b)
        else:
            raise UnknownCommand(f"control byte {b:#x} at byte {i - 1}")
    if line:
        raise UnknownCommand(f"text left without a line end: {bytes(line)!r}")
    return out

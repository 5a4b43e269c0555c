"""What every scanner produces: a ``ScanEvent`` with the decoded text and where it came
from, and the pure text handling they share (framing lines, AIM prefixes, limits)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_SCAN_CHARS = 512
"""Longer than any code we print (a card payload is ~160 characters); anything longer is
line noise or a stuck scanner, and is dropped rather than buffered without end."""

_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
"""ISO/IEC 15424 symbology identifier: "]" + code character + modifier, e.g. "]Q1" for
QR, "]E0" for EAN-13, "]C0" for Code 128, which scanners may be set to send first."""


@dataclass(frozen=True, slots=True)
class ScanEvent:
    text: str
    source: str  # "serial:/dev/ttyACM0", "wedge", "camera", "simulated"


def strip_aim(text: str) -> str:
    return _AIM.sub("", text, count=1)


def clean_scan(raw: str) -> str | None:
    """The scan as the app should see it, or None for nothing usable (logged)."""
    text = strip_aim(raw.strip())
    if not text:
        return None
    if len(text) > MAX_SCAN_CHARS:
        log.warning("dropped a %d-character scan (limit %d)", len(text), MAX_SCAN_CHARS)
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        log.warning("dropped a scan with control characters")
        return None
    return text


SUFFIXES = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}


class LineFramer:
    """Bytes from a serial port in, whole scans out: split on the configured suffix,
    decode UTF-8, cap the length so a scanner that never sends its suffix can't grow
    memory, and drop (with a log line) what is not text."""

    def __init__(self, suffix: str = "CR", limit: int = MAX_SCAN_CHARS * 4) -> None:
        if suffix not in SUFFIXES:
            raise ValueError(f"suffix must be one of {', '.join(SUFFIXES)}")
        self.terminator = SUFFIXES[suffix]
        self.limit = limit
        self._buffer = bytearray()
        self._overflowed = False

    def feed(self, data: bytes) -> list[str]:
        out: list[str] = []
        self._buffer += data
        while (end := self._buffer.find(self.terminator)) >= 0:
            line = bytes(self._buffer[:end])
            del self._buffer[:end + len(self.terminator)]
            if self._overflowed:  # the tail of an over-long line: drop it too
                self._overflowed = False
                continue
            if text := self._decode(line):
                out.append(text)
        if len(self._buffer) > self.limit:
            log.warning("dropped %d bytes with no line end (limit %d)", len(self._buffer),
                        self.limit)
            self._buffer.clear()
            self._overflowed = True
        return out

    @property
    def pending(self) -> int:
        """Bytes of an unfinished scan waiting for its line end (or 1 while the tail of an
        over-long line is being skipped)."""
        return len(self._buffer) or int(self._overflowed)

    def drop_partial(self, why: str) -> None:
        """Forget an unfinished scan (the scanner stopped mid-code, or the port went away),
        so it can't glue itself to the front of the next one."""
        if self._buffer:
            log.warning("dropped %d bytes of an unfinished scan (%s)", len(self._buffer), why)
            self._buffer.clear()
        self._overflowed = False

    @staticmethod
    def _decode(line: bytes) -> str | None:
        # A CRLF scanner read with suffix LF leaves a CR: tolerate either end of line.
        try:
            text = line.strip(b"\r\n").decode("utf-8")
        except UnicodeDecodeError:
            log.warning("dropped a scan that is not UTF-8 (%d bytes)", len(line))
            return None
        return clean_scan(text)

"""A 2D scanner on a serial port (RS-232 or USB CDC), as a worker on its own QThread.

The worker opens the port explicitly in ``run``, reads with a short timeout so ``stop`` is
honoured within ~0.1 s, frames scans with ``LineFramer``, and when the port goes away
(unplugged, hung up) reports it and keeps trying to reopen it, so plugging the scanner
back in is all a cashier has to do. Bytes that never get their line end are dropped after
``partial_timeout`` with a log line, so half a code can't glue itself to the next scan.

Wiring::

    scanner = SerialScanner(SerialSettings(port="auto"))
    scanner.scanned.connect(window.on_scan)          # ScanEvent, queued to the UI thread
    scanner.state_changed.connect(page.show_state)   # "connected /dev/ttyACM0", ...
    scanner.start()                                  # its own QThread
    ...
    scanner.shutdown()                               # stop() + quit() + wait()
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import serial
import serial.tools.list_ports
from PySide6.QtCore import QObject, QThread, Signal, Slot
from serial.tools.list_ports_common import ListPortInfo

from devices import threads
from devices.scan import LineFramer, ScanEvent
from devices.settings import DeviceSettings

log = logging.getLogger(__name__)

READ_TIMEOUT = 0.1
REOPEN_EVERY = 1.0
PARTIAL_TIMEOUT = 0.5
"""A scanner sends a whole code in one burst (160 characters take 14 ms at 115200 baud and
170 ms at 9600); bytes still without a line end half a second later are a broken read."""
AUTO = "auto"
_SCANNER_HINTS = ("scanner", "barcode", "honeywell", "zebra", "symbol", "datalogic",
                  "newland", "zebex", "metrologic", "imager")
_SCANNER_VENDORS = {0x0C2E: "Honeywell", 0x05E0: "Zebra (Symbol)", 0x05F9: "Datalogic",
                    0x1EAB: "Newland"}


class SerialPortSettings(Protocol):
    """What the scanner needs; ``SerialSettings`` and the settings file's
    ``SerialScannerSettings`` both have it."""

    @property
    def port(self) -> str: ...
    @property
    def baudrate(self) -> int: ...
    @property
    def suffix(self) -> str: ...


@dataclass(frozen=True)
class SerialSettings:
    port: str = AUTO  # a device path, a pyserial URL (loop://, socket://...), or "auto"
    baudrate: int = 9600
    suffix: str = "CR"


def choose_port(ports: Iterable[ListPortInfo], avoid: Sequence[str] = ()) -> str | None:
    """The port a scanner is most likely on: the first whose USB vendor or description
    says scanner, else the only port left; None when that is not clear. ``avoid`` holds
    ports that are something else (the receipt printer's)."""
    candidates = [p for p in ports if p.device not in avoid]
    for p in candidates:
        text = f"{p.description} {p.manufacturer or ''} {p.product or ''}".lower()
        if p.vid in _SCANNER_VENDORS or any(hint in text for hint in _SCANNER_HINTS):
            return str(p.device)
    return str(candidates[0].device) if len(candidates) == 1 else None


def detect_port(avoid: Sequence[str] = ()) -> str | None:
    return choose_port(serial.tools.list_ports.comports(), avoid)


class SerialScanner(QObject):
    """``scanned`` carries a ScanEvent; ``state_changed`` a short state for the settings
    screen: "connected <port>", "disconnected: <why>", "no scanner found". ``state`` holds
    the latest."""

    scanned = Signal(object)
    state_changed = Signal(str)

    def __init__(self, settings: SerialPortSettings, *, avoid: Sequence[str] = (),
                 reopen_every: float = REOPEN_EVERY,
                 partial_timeout: float = PARTIAL_TIMEOUT) -> None:
        super().__init__()
        LineFramer(settings.suffix)  # a bad suffix is a ValueError here, not in the thread
        self.settings = settings
        self.avoid = tuple(avoid)
        self.reopen_every = reopen_every
        self.partial_timeout = partial_timeout
        self.state = "starting"
        self._stop = threading.Event()
        self._thread: QThread | None = None
        self._connection: serial.SerialBase | None = None

    def start(self) -> None:
        """Move the worker onto its own QThread and start reading there."""
        if self._thread is not None:
            raise RuntimeError("a SerialScanner starts once; make a new one to restart")
        self._thread = threads.start_worker(self, "serial-scanner", self.run)

    def stop(self) -> None:
        """Ask the read loop to end; returns at once, from any thread."""
        self._stop.set()
        connection = self._connection
        if connection is not None and hasattr(connection, "cancel_read"):
            # Wake a read waiting for data (POSIX ports). The worker may be closing the
            # port at this very moment, which is as good.
            with contextlib.suppress(OSError, TypeError):
                connection.cancel_read()

    def shutdown(self) -> None:
        """stop() and wait for the thread (at most the 0.1 s read timeout)."""
        self.stop()
        if self._thread is not None and not threads.shutdown(self._thread):
            log.error("serial scanner thread did not stop")

    def _report(self, state: str) -> None:
        if state != self.state:
            self.state = state
            log.info("serial scanner: %s", state)
            self.state_changed.emit(state)

    @Slot()
    def run(self) -> None:
        """The read loop: open, read until the port fails, report, wait, reopen."""
        while not self._stop.is_set():
            port = self.settings.port if self.settings.port != AUTO else detect_port(self.avoid)
            if port is None:
                self._report("no scanner found")
                self._stop.wait(self.reopen_every)
                continue
            try:
                connection = serial.serial_for_url(port, baudrate=self.settings.baudrate,
                                                   timeout=READ_TIMEOUT)
            except (serial.SerialException, OSError, ValueError) as exc:
                self._report(f"disconnected: {exc}")
                self._stop.wait(self.reopen_every)
                continue
            self._report(f"connected {port}")
            framer = LineFramer(self.settings.suffix)
            self._connection = connection
            try:
                self._read(connection, port, framer)
            except (serial.SerialException, OSError) as exc:
                framer.drop_partial("the port went away")
                self._report(f"disconnected: {exc}")
                self._stop.wait(self.reopen_every)
            finally:
                self._connection = None
                connection.close()

    def _read(self, connection: serial.SerialBase, port: str, framer: LineFramer) -> None:
        source = f"serial:{port}"
        last_byte = time.monotonic()
        while not self._stop.is_set():
            data = connection.read(max(1, connection.in_waiting))
            now = time.monotonic()
            if data:
                last_byte = now
                for text in framer.feed(data):
                    self.scanned.emit(ScanEvent(text, source))
            elif framer.pending and now - last_byte > self.partial_timeout:
                framer.drop_partial(f"no line end within {self.partial_timeout:g} s")


def serial_scanner_for(settings: DeviceSettings) -> SerialScanner | None:
    """The scanner the settings ask for (not started), or None when it is off. In "auto"
    mode it leaves a serial receipt printer's port alone."""
    if not settings.serial_scanner.enabled:
        return None
    printer = settings.printer
    avoid = (printer.target,) if printer.kind == "serial" else ()
    return SerialScanner(settings.serial_scanner, avoid=avoid)

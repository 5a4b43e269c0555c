"""A 2D scanner on a serial port (RS-232 or USB CDC), as a worker on its own QThread.

It opens the port explicitly in ``run``, reads with a short timeout so ``stop`` is
honoured within ~0.1 s, frames scans with ``LineFramer``, and when the port goes away
(unplugged, hung up) reports it and keeps trying to reopen it, so plugging the scanner
back in is all a cashier has to do.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import serial
import serial.tools.list_ports
from PySide6.QtCore import QObject, QThread, Signal, Slot

from devices.scan import LineFramer, ScanEvent

log = logging.getLogger(__name__)

READ_TIMEOUT = 0.1
REOPEN_EVERY = 1.0
AUTO = "auto"
_SCANNER_HINTS = ("scanner", "barcode", "honeywell", "zebra", "datalogic", "newland",
                  "symbol", "cdc acm", "usb serial")


@dataclass(frozen=True)
class SerialSettings:
    port: str = AUTO  # a device path, a pyserial URL (loop://, socket://...), or "auto"
    baudrate: int = 9600
    suffix: str = "CR"


def detect_port() -> str | None:
    """The first serial port whose description looks like a scanner, else the only port."""
    ports = list(serial.tools.list_ports.comports())
    for p in ports:
        text = f"{p.description} {p.manufacturer or ''} {p.product or ''}".lower()
        if any(hint in text for hint in _SCANNER_HINTS):
            return str(p.device)
    return str(ports[0].device) if len(ports) == 1 else None


class SerialScanner(QObject):
    """``scanned`` carries a ScanEvent; ``state_changed`` a short state for the settings
    screen: "connected <port>", "disconnected: <why>", "no scanner found"."""

    scanned = Signal(object)
    state_changed = Signal(str)

    def __init__(self, settings: SerialSettings) -> None:
        super().__init__()
        self.settings = settings
        self._stop = threading.Event()
        self.state = "starting"
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("serial-scanner")
        self.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.run)

    def start(self) -> None:
        self.worker_thread.start()

    def shutdown(self) -> None:
        self._stop.set()
        self.worker_thread.quit()
        self.worker_thread.wait()

    def _report(self, state: str) -> None:
        if state != self.state:
            self.state = state
            log.info("serial scanner: %s", state)
            self.state_changed.emit(state)

    @Slot()
    def run(self) -> None:
        while not self._stop.is_set():
            port = self.settings.port if self.settings.port != AUTO else detect_port()
            if port is None:
                self._report("no scanner found")
                self._stop.wait(REOPEN_EVERY)
                continue
            try:
                connection = serial.serial_for_url(port, baudrate=self.settings.baudrate,
                                                   timeout=READ_TIMEOUT)
            except (serial.SerialException, OSError, ValueError) as exc:
                self._report(f"disconnected: {exc}")
                self._stop.wait(REOPEN_EVERY)
                continue
            self._report(f"connected {port}")
            try:
                self._read(connection, port)
            except (serial.SerialException, OSError) as exc:
                self._report(f"disconnected: {exc}")
            finally:
                connection.close()

    def _read(self, connection: serial.SerialBase, port: str) -> None:
        framer = LineFramer(self.settings.suffix)
        while not self._stop.is_set():
            data = connection.read(max(1, connection.in_waiting))
            for text in framer.feed(data):
                self.scanned.emit(ScanEvent(text, f"serial:{port}"))

"""Device trouble the counter explains to the cashier, importable without the driver
libraries behind it (the UI's message table imports this at start-up; python-escpos is
imported only when something is printed)."""

from __future__ import annotations

from typing import Literal

PrinterTrouble = Literal["not_set_up", "no_libusb", "not_answering"]


class PrinterUnavailable(Exception):
    """The receipt printer can't be reached. ``message`` is for the cashier (English;
    ``reason`` lets a UI say it in its own language); ``detail`` is the driver's own
    words, for the log."""

    def __init__(self, message: str, detail: str = "",
                 reason: PrinterTrouble = "not_answering") -> None:
        super().__init__(f"{message} ({detail})" if detail else message)
        self.message = message
        self.detail = detail
        self.reason = reason

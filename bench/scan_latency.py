"""Serial scanner: bytes on the wire to a ScanEvent on the UI thread.

    .venv/bin/python -m bench.scan_latency [--runs 5] [--scans 200]

A pseudo-terminal plays the scanner. For each scan the clock starts when a card payload
(156 characters, AIM prefix "]Q1", CR) is written to the master side and stops when the
``SerialScanner``'s ``scanned`` signal is delivered on the main thread's event loop: the
port's wake-up, reading, framing, AIM stripping and the queued hop across threads. The
time the bytes take on a real wire is not in it (at 115200 baud, 160 bytes take 14 ms;
at 9600, 170 ms). Prints one JSON object: the median over runs of each run's
percentiles, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Slot

from bench.common import machine, median_of_runs, percentile
from devices.scan import LineFramer, ScanEvent
from devices.serial_scanner import SerialScanner, SerialSettings

PAYLOAD = ("CP1.06BJ4XKQ3C0E9A1Y7V2NHTSM8G.100000000017.K7QX2M."
           "A3F9K2LQ7ZP0XW5RT8MN4BV6CY1DJ3HG9SE2UK7QF5LA0TR8WX4NZ6PM1YB3VC9DK2JH7GS5EU0QA4LF8RT"
           "6XW1NZ3MP9")
WIRE = b"]Q1" + PAYLOAD.encode() + b"\r"
GOAL_P99_MS = 10.0


class Receiver(QObject):
    """Lives on the main thread, so the scanner's signals reach it queued, as they reach
    the app's window."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = QEventLoop()
        self.arrived: list[float] = []

    @Slot(object)
    def on_scan(self, event: ScanEvent) -> None:
        self.arrived.append(time.perf_counter())
        if event.text != PAYLOAD:
            raise SystemExit(f"scanned {event.text!r}")
        self.loop.quit()

    @Slot(str)
    def on_state(self, state: str) -> None:
        if state.startswith("connected"):
            self.loop.quit()

    def wait(self) -> None:
        timeout = QTimer()
        timeout.setSingleShot(True)
        timeout.timeout.connect(self.loop.quit)
        timeout.start(5000)
        self.loop.exec()
        timeout.stop()


def one_run(scans: int) -> dict[str, float]:
    master, slave = os.openpty()
    path = os.ttyname(slave)
    os.close(slave)
    scanner = SerialScanner(SerialSettings(port=path, baudrate=115200))
    receiver = Receiver()
    scanner.scanned.connect(receiver.on_scan)
    scanner.state_changed.connect(receiver.on_state)
    scanner.start()
    receiver.wait()
    if not scanner.state.startswith("connected"):
        raise SystemExit(f"scanner: {scanner.state}")
    sent: list[float] = []
    try:
        for _ in range(scans):
            sent.append(time.perf_counter())
            os.write(master, WIRE)
            receiver.wait()
            if len(receiver.arrived) < len(sent):
                raise SystemExit("a scan did not arrive")
    finally:
        scanner.shutdown()
        os.close(master)
    ms = [(a - s) * 1000 for s, a in zip(sent, receiver.arrived, strict=True)]
    return {"p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99), "max_ms": max(ms),
            "mean_ms": statistics.fmean(ms)}


def framing_us(n: int = 20000) -> float:
    """CPU cost of framing one scan (no I/O), in microseconds."""
    framer = LineFramer("CR")
    t = time.perf_counter()
    for _ in range(n):
        framer.feed(WIRE)
    return (time.perf_counter() - t) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scans", type=int, default=200)
    args = parser.parse_args()
    app = QCoreApplication([])
    one_run(20)  # warm-up: imports, first thread start
    result = median_of_runs([one_run(args.scans) for _ in range(args.runs)])
    result["framing_us"] = framing_us()
    result["goal_p99_ms"] = GOAL_P99_MS
    result["p99_ratio_to_goal"] = round(result["p99_ms"] / GOAL_P99_MS, 3)
    print(json.dumps({"bench": "scan_latency", "runs": args.runs, "scans": args.scans,
                      "machine": machine(),
                      **{k: round(v, 3) for k, v in result.items()}}), flush=True)
    app.quit()


if __name__ == "__main__":
    main()

"""The touchscreen app's three speed targets, on a real (offscreen) Qt event loop.

    .venv/bin/python -m bench.ui start   [--runs 5]     cold start to the idle screen painted
    .venv/bin/python -m bench.ui scan    [--scans 200]  card scan to the member screen painted
    .venv/bin/python -m bench.ui stall   [--entries 10000]
                                         longest UI-thread stall while a 10,000-entry pull runs

``start`` times a new process from spawn to the first paint of the idle screen, for
``kiosk run`` on an initialised (paired) kiosk and for ``kiosk run --demo`` (which also starts
the embedded ledger). ``scan`` hands the window a scanner's text and waits for the member
screen's paint event. ``stall`` runs a heartbeat timer every 2 ms on the UI thread while the
sync thread pulls ``--entries`` new entries made by another kiosk, and reports the longest
gap between beats (a gap is time the UI thread could not answer a touch).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import machine, percentile

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "assets" / "program.toml"


# -- start ------------------------------------------------------------------------------------
def child_start(data_dir: str, demo: bool) -> None:
    """Runs in the measured process: the same path as `kiosk run`, then exit at first paint."""
    from PySide6.QtCore import QEvent, QObject

    from kiosk.app.qt import CounterApp, run_app

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print("painted", flush=True)
                os._exit(0)  # the measurement is over; skip the orderly shutdown
            return False

    def started(app: CounterApp) -> None:
        app.window.idle.installEventFilter(FirstPaint(app.window))

    run_app(Path(data_dir), demo=demo, program_path=PROGRAM, on_started=started)


def bench_start(runs: int) -> dict[str, float]:
    from kiosk.app.runtime import counter_session

    folder = Path(tempfile.mkdtemp(prefix="bench-ui-start-"))
    try:
        data = folder / "kiosk"
        with counter_session(data, demo=True, program_path=PROGRAM, background_sync=False):
            pass  # seed once: every run starts from an initialised kiosk
        out: dict[str, float] = {}
        for label, demo in (("kiosk run", False), ("kiosk run --demo", True)):
            samples = []
            for _ in range(runs + 1):  # the first run warms the OS file cache; dropped
                t = time.perf_counter()
                proc = subprocess.run([sys.executable, "-m", "bench.ui", "_child_start",
                                       str(data)] + (["--demo"] if demo else []),
                                      capture_output=True, text=True, timeout=120, cwd=ROOT)
                samples.append(time.perf_counter() - t)
                assert "painted" in proc.stdout, proc.stderr[-2000:]
            out[label] = statistics.median(samples[1:])
            print(f"{label}: median {out[label]:.3f} s of {runs} "
                  f"({', '.join(f'{s:.3f}' for s in samples[1:])})")
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- scan -------------------------------------------------------------------------------------
def bench_scan(scans: int) -> dict[str, float]:
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.app.qt import CounterApp, demo_scans
    from kiosk.app.runtime import counter_session

    qapp = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-ui-scan-"))
    try:
        with counter_session(folder / "kiosk", demo=True, program_path=PROGRAM,
                             background_sync=False) as running:
            app = CounterApp(running, qapp, simulated_scans=())  # type: ignore[arg-type]
            app.start()
            cards = [text for _, text in demo_scans(running)[:4]]
            loop = QEventLoop()

            class Painted(QObject):
                def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                    if event.type() == QEvent.Type.Paint and app.window.current == "member":
                        loop.quit()
                    return False

            app.window.member_screen.installEventFilter(Painted(app.window))
            samples = []
            for i in range(scans + 10):
                app.window.go_idle()
                qapp.processEvents()
                t = time.perf_counter()
                app.window.handle_scan(cards[i % len(cards)], "bench")
                QTimer.singleShot(5000, loop.quit)
                loop.exec()
                if i >= 10:  # warm-up scans dropped
                    samples.append((time.perf_counter() - t) * 1000)
            app.shutdown()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = {"p50_ms": percentile(samples, 50), "p99_ms": percentile(samples, 99),
              "max_ms": max(samples)}
    print(f"scan -> member painted over {scans} scans: " + ", ".join(
        f"{k} {v:.1f}" for k, v in result.items()))
    return result


# -- stall ------------------------------------------------------------------------------------
def bench_stall(entries: int, runs: int) -> dict[str, float]:
    worst = [_stall_once(entries, run) for run in range(runs)]
    return {"longest_stall_ms_median": statistics.median(worst), "worst_ms": max(worst)}


def _stall_once(entries: int, run: int) -> float:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.app.ledger_link import ledger_client_for
    from kiosk.app.qt import CounterApp
    from kiosk.app.runtime import counter_session
    from kiosk.ledger import Entry, EntryKind
    from kiosk.services import Enrolment, enrol
    from sync.agent import SyncAgent
    from sync.pairing import pair_kiosk

    qapp = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-ui-stall-"))
    try:
        with counter_session(folder / "kiosk", demo=True, program_path=PROGRAM,
                             background_sync=False) as running:
            assert running.embedded is not None and running.embedded.ledger is not None
            # another store makes the entries and uploads them to the ledger
            _, token = running.embedded.ledger.add_device(f"other-{run}")
            other = pair_kiosk(folder / "other", ledger_url=running.embedded.url,
                               token=token, store_name="Other store")
            members = [enrol(other, Enrolment(f"M{i}", f"0900{run}{i:05d}",
                                              consent=True)).member.id for i in range(100)]
            now = other.clock()
            made = [Entry(other.new_id(), members[i % 100], EntryKind.EARN, 5, other.channel,
                          now, other.program.version, f"O-{i}", 500)
                    for i in range(entries - 100)]
            with other.store.write() as tx:
                tx.entries.append(made)
            client = ledger_client_for(other)
            assert client is not None
            SyncAgent(other, client).sync_once()
            other.store.close()

            agent = running.agent
            assert agent is not None
            app = CounterApp(running, qapp)  # type: ignore[arg-type]
            beats = QElapsedTimer()
            gaps: list[float] = []
            loop = QEventLoop()

            def beat() -> None:
                gaps.append(beats.nsecsElapsed() / 1e6)
                beats.restart()
                if agent.status.pulled >= entries:
                    loop.quit()

            app.window.show()  # painted and settled before the clock starts
            settle = QEventLoop()
            QTimer.singleShot(500, settle.quit)
            settle.exec()
            heartbeat = QTimer()
            heartbeat.setInterval(2)
            heartbeat.timeout.connect(beat)
            beats.start()
            heartbeat.start()
            t = time.perf_counter()
            app.start()  # the sync thread starts: nothing to upload, everything to pull
            QTimer.singleShot(120_000, loop.quit)
            loop.exec()
            took = time.perf_counter() - t
            heartbeat.stop()
            pulled = agent.status.pulled
            app.shutdown()
            longest = max(gaps[1:])
            print(f"run {run}: pulled {pulled} entries in {took:.2f} s; longest UI stall "
                  f"{longest:.1f} ms; p99 gap {percentile(gaps, 99):.1f} ms")
            return longest
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("start")
    p.add_argument("--runs", type=int, default=5)
    p = sub.add_parser("scan")
    p.add_argument("--scans", type=int, default=200)
    p = sub.add_parser("stall")
    p.add_argument("--entries", type=int, default=10_000)
    p.add_argument("--runs", type=int, default=3)
    p = sub.add_parser("_child_start")
    p.add_argument("data_dir")
    p.add_argument("--demo", action="store_true")
    args = parser.parse_args()
    if args.what == "_child_start":
        child_start(args.data_dir, args.demo)
        return
    print(machine())
    if args.what == "start":
        result = bench_start(args.runs)
    elif args.what == "scan":
        result = bench_scan(args.scans)
    else:
        result = bench_stall(args.entries, args.runs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

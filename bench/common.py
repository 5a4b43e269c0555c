"""Helpers shared by the benchmark scripts: percentiles, medians of runs, machine facts."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], n: int) -> list[float]:
    """Latency of each of ``n`` calls, in milliseconds."""
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def alternating(first: Callable[[], object], second: Callable[[], object], n: int,
                block: int, between: Callable[[], object] = lambda: None
                ) -> tuple[list[float], list[float]]:
    """Latencies of ``first`` and ``second`` called in alternating blocks of ``block`` (n
    each in all), so both see the same machine: this VM's speed changes within minutes
    (BENCHMARKS.md). ``between``: untimed work after each block of ``second``."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(n // block):
        a += timed(first, block)
        b += timed(second, block)
        between()
    return a, b


def in_fresh_folders(folder: Path, runs: int, run: Callable[[Path], dict[str, float]]
                     ) -> list[dict[str, float]]:
    """``run`` ``runs`` times, each in ``folder`` made empty for it, and removed after."""
    out = []
    for _ in range(runs):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        out.append(run(folder))
        shutil.rmtree(folder, ignore_errors=True)
    return out


def median_of_runs(runs: Sequence[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"

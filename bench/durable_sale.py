"""Durable sale latency beside a raw SQLite INSERT+COMMIT with synchronous=FULL.

    .venv/bin/python -m bench.durable_sale [--runs 5] [--sales 2000] [--dir bench/data]
        [--program bench/programs/busy.toml --basket]

Both run on the same disk, in WAL mode with synchronous=FULL, in alternating blocks of 100.
"Raw" is the floor: one row into a table shaped like ``entries`` and a commit, straight
through sqlite3. "Sale" is ``ring_up_sale`` through the kiosk's services and store,
committed before it returns, for members taken in turn from 1,000 enrolled ones. With
``--program bench/programs/busy.toml --basket`` every sale is a three-line basket (tea,
cake, a keyed amount) under 5 promotions and 2 punch cards (issue 14's goal).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from bench.common import (
    alternating,
    in_fresh_folders,
    machine,
    median_of_runs,
    percentile,
    timed,
)
from kiosk.app.bootstrap import initialise_standalone
from kiosk.program import load_program
from kiosk.services import Enrolment, Sale, SaleLine, enrol, ring_up_sale

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = 1000  # sales rotate over a store's worth of members, as at a real counter
BLOCK = 100  # raw inserts and sales alternate in blocks of this many


WARM_INSERTS = 600
"""Raw inserts made before any is timed: past the first wrap of the raw store's WAL."""


def raw_insert(folder: Path) -> Callable[[], None]:
    """The raw commit, already in the steady state the kiosk's store is in when a bench
    times it (:func:`steady_wal`)."""
    conn = sqlite3.connect(folder / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE entries (id BLOB PRIMARY KEY, member_id BLOB, kind TEXT, "
                 "points INTEGER, amount_minor INTEGER, channel TEXT, order_ref TEXT, "
                 "program_version TEXT, occurred_at INTEGER)")
    member = uuid.uuid4().bytes
    counter = iter(range(10**9))

    def insert() -> None:
        i = next(counter)
        conn.execute("BEGIN")
        conn.execute("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?)",
                     (uuid.uuid4().bytes, member, "earn", 5, 500, "bench", f"O-{i}",
                      "2026.2", i))
        conn.execute("COMMIT")

    steady_wal(conn, insert, WARM_INSERTS)
    return insert


def steady_wal(conn: sqlite3.Connection, write: Callable[[], None], writes: int) -> None:
    """``writes`` untimed writes, enough to fill the WAL to its checkpoint size, then a
    checkpoint: the next commit starts the WAL again at its start, in a file already that
    long, as every commit of a store that has been running does. A commit that still grows
    its WAL file is slower (its fsync also journals the file's new size: ~0.3 against
    ~0.2 ms here). The kiosk's store is past that before any bench times it (enrolling
    the members fills its WAL many times over); a raw commit timed from an empty file was
    not, which flattered every ratio to it by 10-25% until session 26 (BENCHMARKS.md)."""
    for _ in range(writes):
        write()
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


BASKET = (SaleLine("TEA-OOLONG", 2, 65, "tea"), SaleLine("CAKE-SUN", 1, 40, "cake"),
          SaleLine("amount", 1, 330))


def sale_of(folder: Path, program_path: Path, basket: bool
            ) -> tuple[Callable[[], None], Callable[[], None]]:
    program = load_program(program_path)
    kiosk = initialise_standalone(folder / "kiosk", store_name="bench", program=program)
    members = [enrol(kiosk, Enrolment(f"Bench {i}", f"0912{i:06d}", consent=True)).member.id
               for i in range(MEMBERS)]
    counter = iter(range(10**9))

    def sale() -> None:
        i = next(counter)
        member = members[i % MEMBERS]
        ring_up_sale(kiosk, Sale.of_basket(member, BASKET, f"O-{i}") if basket
                     else Sale(member, 500, f"O-{i}"))

    return sale, kiosk.store.close


def one_run(folder: Path, n: int, program: Path, basket: bool
            ) -> tuple[list[float], list[float]]:
    """Raw inserts and sales in alternating blocks, so both see the same machine: this
    VM's speed changes within minutes, and a ratio of two runs minutes apart moved with it
    (BENCHMARKS.md)."""
    insert = raw_insert(folder)
    sale, close = sale_of(folder, program, basket)
    timed(sale, 50)  # warm up (the raw insert is warm already)
    raw, sales = alternating(insert, sale, n, BLOCK)
    close()
    return raw, sales


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sales", type=int, default=2000)
    parser.add_argument("--dir", default=str(ROOT / "bench" / "data" / "durable_sale"))
    # The plain program (points, tiers, a sign-up bonus), as before the shipped default
    # grew every feature: the figures stay comparable from session to session.
    parser.add_argument("--program", default=str(ROOT / "bench" / "programs" / "plain.toml"))
    parser.add_argument("--basket", action="store_true",
                        help="ring up a three-line basket instead of a keyed NT$500")
    args = parser.parse_args()
    def run(folder: Path) -> dict[str, float]:
        raw, sale = one_run(folder, args.sales, Path(args.program), args.basket)
        return {"raw_p50_ms": percentile(raw, 50), "raw_p99_ms": percentile(raw, 99),
                "sale_p50_ms": percentile(sale, 50), "sale_p99_ms": percentile(sale, 99)}

    runs = in_fresh_folders(Path(args.dir), args.runs, run)
    result = median_of_runs(runs)
    result["ratio_p50"] = result["sale_p50_ms"] / result["raw_p50_ms"]
    result["ratio_p99"] = result["sale_p99_ms"] / result["raw_p99_ms"]
    print(json.dumps({"machine": machine(), "runs": args.runs, "sales_per_run": args.sales,
                      "program": Path(args.program).name, "basket": args.basket,
                      "median_of_runs": {k: round(v, 3) for k, v in result.items()}},
                     indent=2))


if __name__ == "__main__":
    main()

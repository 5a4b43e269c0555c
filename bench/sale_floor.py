"""The floor of a durable sale's SQL: the statements a sale runs, replayed with no Python
between them, beside the raw commit of ``bench.durable_sale``.

    .venv/bin/python -m bench.sale_floor [--runs 3] [--sales 1000]
        [--program bench/programs/busy.toml --basket | --checkout]

Why: the sale's goal is a ratio to a raw commit (issue 14: a busy sale <= 2x; issue 15: a
checkout <= 3x). This says how much of one is SQLite's and the disk's own work for the
rows it reads and writes, whatever the engine and the services cost: if the replay alone
is above the goal, no tuning of the Python can meet it; only writing fewer pages can.

How: ``--sales`` sales are rung up through the services as ``bench.durable_sale`` does
(``--checkout``: the checkouts of ``bench.checkout``, the ledger's answers recorded
between blocks, untimed, as there), after as many to warm the store, with every statement
the store runs recorded as it is run (its SQL and its parameters: the driver calls and
SQLAlchemy's alike, the transaction's begin and commit where the store makes them). A
snapshot of the store taken just before them (SQLite's backup) then gets exactly those
statements again, each sale's in turn, timed per sale, in alternating blocks with the raw
commit, on the same disk, in WAL mode with ``synchronous=FULL`` and the kiosk's checkpoint
size, the snapshot's WAL first filled to that size (``durable_sale.steady_wal``: a
commit into a WAL file that still grows is slower); triggers run again by themselves.
The untimed work between blocks is not replayed: the statements after it don't read what
it wrote (the ledger's numbers for entries already sent).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.checkout import checkout_of
from bench.common import (
    alternating,
    in_fresh_folders,
    machine,
    median_of_runs,
    percentile,
)
from bench.durable_sale import BLOCK, ROOT, raw_insert, sale_of, steady_wal
from kiosk.store.checkpoint import AUTOCHECKPOINT_PAGES
from kiosk.store.repository import LocalStore
from kiosk.store.session import Session

Workload = tuple[Callable[[], None], Callable[[], None], Callable[[], None]]
Statement = tuple[str, Any, bool]  # SQL, parameters, executemany


class _Recorder:
    """The driver connection, writing down what is run on it."""

    def __init__(self, driver: sqlite3.Connection, log: list[Statement]) -> None:
        self._driver, self._log = driver, log

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        self._log.append((sql, params, False))
        return self._driver.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        rows = list(rows)
        self._log.append((sql, rows, True))
        return self._driver.executemany(sql, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


@contextmanager
def recording(store: LocalStore, log: list[Statement]) -> Iterator[None]:
    """Every statement ``store`` runs meanwhile, into ``log``."""
    raw = Session.raw

    def recorded_raw(self: Session) -> Any:  # the store begins and commits on it too
        return _Recorder(raw(self), log)

    def on_statement(_conn: Any, _cursor: Any, sql: str, params: Any, _context: Any,
                     many: bool) -> None:
        if sql not in ("BEGIN", "COMMIT", "ROLLBACK"):
            log.append((sql, params, many))

    Session.raw = recorded_raw  # type: ignore[method-assign]
    event.listen(store.engine, "before_cursor_execute", on_statement)
    try:
        yield
    finally:
        Session.raw = raw  # type: ignore[method-assign]
        event.remove(store.engine, "before_cursor_execute", on_statement)


def recorded_sales(folder: Path, n: int, workload: Workload
                   ) -> tuple[Path, list[list[Statement]]]:
    """A snapshot of the store after ``n`` warm-up sales, and the statements of the ``n``
    sales rung up after it, one list per sale. ``workload``: the sale, the store's close
    and the untimed work after each block."""
    sale, close, between = workload
    store = _kiosk_of(sale).store
    assert isinstance(store, LocalStore)
    for i in range(n):
        sale()
        if i % BLOCK == BLOCK - 1:
            between()
    snapshot = folder / "floor.db"
    with sqlite3.connect(store.path) as source, sqlite3.connect(snapshot) as copy:
        source.backup(copy)
    sales: list[list[Statement]] = []
    for i in range(n):
        sales.append([])
        with recording(store, sales[-1]):
            sale()
        if i % BLOCK == BLOCK - 1:
            between()
    close()
    return snapshot, sales


def _kiosk_of(sale: Callable[[], None]) -> Any:
    return next(c.cell_contents for c in sale.__closure__ or ()
                if type(c.cell_contents).__name__ == "Kiosk")


def replayer(snapshot: Path, sales: list[list[Statement]]) -> Callable[[], None]:
    conn = sqlite3.connect(snapshot, isolation_level=None, cached_statements=256)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                   f"wal_autocheckpoint={AUTOCHECKPOINT_PAGES}"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE bench_wal_filler (b BLOB)")

    def fill() -> None:  # the WAL to the kiosk's size, as the kiosk's store has it
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO bench_wal_filler VALUES (?)",
                         [(bytes(4000),)] * AUTOCHECKPOINT_PAGES)
        conn.execute("COMMIT")

    steady_wal(conn, fill, 1)
    todo = iter(sales)

    def replay() -> None:
        for sql, params, many in next(todo):
            if many:
                conn.executemany(sql, params)
            else:
                conn.execute(sql, params).fetchall()

    return replay


def one_run(folder: Path, n: int, workload: Workload) -> dict[str, float]:
    snapshot, sales = recorded_sales(folder, n, workload)
    insert = raw_insert(folder)
    raw, floor = alternating(insert, replayer(snapshot, sales), len(sales) // BLOCK * BLOCK,
                             BLOCK)
    return {"raw_p50_ms": percentile(raw, 50), "floor_p50_ms": percentile(floor, 50),
            "statements_per_sale": sum(map(len, sales)) / len(sales)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--dir", default=str(ROOT / "bench" / "data" / "sale_floor"))
    parser.add_argument("--program", default=str(ROOT / "bench" / "programs" / "plain.toml"))
    parser.add_argument("--basket", action="store_true")
    parser.add_argument("--checkout", action="store_true")
    args = parser.parse_args()
    def run(folder: Path) -> dict[str, float]:
        if args.checkout:
            workload = checkout_of(folder, args.sales)  # two checkouts a member in all
        else:
            sale, close = sale_of(folder, Path(args.program), args.basket)
            workload = (sale, close, lambda: None)
        return one_run(folder, args.sales, workload)

    runs = in_fresh_folders(Path(args.dir), args.runs, run)
    result = median_of_runs(runs)
    result["floor_ratio_p50"] = result["floor_p50_ms"] / result["raw_p50_ms"]
    print(json.dumps({"machine": machine(), "runs": args.runs, "sales_per_run": args.sales,
                      "program": "checkout.toml" if args.checkout else Path(args.program).name,
                      "basket": args.basket or args.checkout,
                      "median_of_runs": {k: round(v, 3) for k, v in result.items()}},
                     indent=2))


if __name__ == "__main__":
    main()

"""The ledger's expiry run over a chain's worth of members on PostgreSQL (issue 14's goal:
1,000,000 members in ≤ 60 s).

    .venv/bin/python -m bench.expiry [--members 1000000] [--runs 3] [--workers N]
                                     [--range N] [--template NAME]

Seeds a database once (COPY): ``--members`` members with 5 entries each over the two years
before the run's date (4 purchases and a redemption), under a program whose points expire
12 months after they are earned, so most members have a lot due. Each run copies that
database and times ``Ledger.expire`` on it. Beside it, in the same run, the floors:
reading every entry in the order the replay needs (member, then seq), which any expiry
must do, as the run reads it (the columns lots need, ids as bytes, binary: ``read_floor``)
and as the expiry run before issue 14's rework read it (every column as objects, a
server-side cursor: ``full_read_floor``, the floor the first measurements were against).
``--template`` times runs on copies of a database seeded earlier by ``seed`` (kept);
``--range``: members per range (the run's own size unless told).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import psycopg

from bench.common import machine, median_of_runs
from bench.ledger_ingest import (
    ROOT,
    checkpoint,
    create_database,
    drop_database,
    fresh_database,
    psycopg_url,
    sqlalchemy_url,
)
from kiosk import ids as kiosk_ids
from kiosk.program import parse_program
from sync.server import expiry_bulk
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger

AT = datetime(2026, 12, 1, tzinfo=UTC)
EXPIRY = '\n[points]\nexpiry = { after = "months", months = 12 }\n'
PER_MEMBER = 5
# The tests' plain program (points per NT$100, a coffee reward) with expiry added: the
# shipped default carries its own [points] section and changes with the store's reference.
PROGRAM = ROOT / "tests" / "fixtures" / "plain_program.toml"


def program_text() -> str:
    return PROGRAM.read_text(encoding="utf-8").replace(
        'version = "2026.2"', 'version = "bench-expiry"', 1) + EXPIRY


def seed(name: str, members: int, ids: str = "v4") -> None:
    """``ids``: "v4", every id random (the first measurements' seed, the default), or "v7",
    as kiosks make them (``kiosk.ids``: time-ordered, so members enrolled together sit
    together in the members' and balances' tables and indexes)."""
    engine = ledger_engine(sqlalchemy_url(name))
    migrate(engine)
    Ledger(engine, lambda: AT).initialise(parse_program(program_text()))
    engine.dispose()
    rng = random.Random(14)
    start = AT - timedelta(days=730)
    new_id = {"v4": uuid.uuid4, "v7": kiosk_ids.new_id}[ids]
    member_ids = [new_id() for _ in range(members)]
    seq = 0
    balances: list[tuple[uuid.UUID, int]] = []
    with psycopg.connect(psycopg_url(name)) as conn, conn.cursor() as cur:
        # One COPY at a time: a connection carries one.
        with cur.copy("COPY members (id, name, phone, enrolled_at, channel, consent, "
                      "profile_pending) FROM STDIN") as copy:
            for i, member in enumerate(member_ids):
                copy.write_row((member, f"M{i}", f"09{i:08d}", start, "bench", True, False))
        with cur.copy("COPY entries (id, seq, member_id, kind, points, amount_minor, channel, "
                      "order_ref, program_version, occurred_at, reward_id, device_id) "
                      "FROM STDIN") as copy:
            for member in member_ids:
                moments = sorted(start + timedelta(minutes=rng.randrange(730 * 1440))
                                 for _ in range(PER_MEMBER))
                total = 0
                for k, when in enumerate(moments):
                    seq += 1
                    if k == 2 and total >= 60:  # a coffee, from the earliest lot
                        copy.write_row((new_id(), seq, member, "redeem", -60, 0, "bench",
                                        None, "bench-expiry", when, "coffee", "bench"))
                        total -= 60
                        continue
                    amount = rng.randrange(1_000, 8_000)
                    total += amount // 100
                    copy.write_row((new_id(), seq, member, "earn", amount // 100, amount,
                                    "bench", f"O-{seq}", "bench-expiry", when, None, "bench"))
                balances.append((member, total))
        with cur.copy("COPY balances (member_id, points) FROM STDIN") as copy:
            for row in balances:
                copy.write_row(row)
        cur.execute("UPDATE ledger_head SET last_seq = %s WHERE id = 1", (seq,))
        conn.commit()
    with psycopg.connect(psycopg_url(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def read_floor(name: str, size: int | None = None) -> float:
    """Every entry in the replay's order, read as the run reads a range (its statement,
    its connection settings), in ranges of the run's size: what any expiry must read."""
    with expiry_bulk.connect(psycopg_url(name)) as conn:
        started = time.perf_counter()
        bounds = expiry_bulk.member_bounds(conn, size or expiry_bulk.RANGE)
        for lo, hi in zip([None, *bounds], [*bounds, None], strict=True):
            expiry_bulk.read_range(conn, lo, hi)
        return time.perf_counter() - started


def full_read_floor(name: str) -> float:
    """Every entry, in the replay's order, every column as Python objects (UUIDs, text)
    through a server-side cursor: the floor before the rework."""
    with psycopg.connect(psycopg_url(name)) as conn, conn.cursor(name="all") as cur:
        cur.itersize = 20_000
        started = time.perf_counter()
        cur.execute("SELECT member_id, id, kind, points, occurred_at, reverses, note, "
                    "order_ref FROM entries ORDER BY member_id, seq")
        for _ in cur:
            pass
        return time.perf_counter() - started


def one_run(template: str, workers: int | None, size: int | None = None
            ) -> dict[str, float]:
    name = create_database(template)
    try:
        checkpoint()
        full_floor = full_read_floor(name)
        floor = read_floor(name, size)
        checkpoint()
        engine = ledger_engine(sqlalchemy_url(name))
        ledger = Ledger(engine, lambda: AT)
        started = time.perf_counter()
        report = ledger.expiry.run(AT, chunk=size, workers=workers)
        took = time.perf_counter() - started
        problems = ledger.check()  # balances = sums, seq gap-free
        engine.dispose()
        if problems:
            raise SystemExit(f"ledger check after the run: {problems[:5]}")
        return {"expiry_s": took, "read_floor_s": floor, "full_read_floor_s": full_floor,
                "members_replayed": report.members, "expiry_entries": report.entries,
                "points_expired": report.points}
    finally:
        drop_database(name)


def cpu_check() -> float:
    """BENCHMARKS.md's cpu check: ~0.85 s in this VM's fast phases, ~1.6 s in slow ones."""
    started = time.perf_counter()
    s = 0
    for i in range(10**7):
        s += i
    return round(time.perf_counter() - started, 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None,
                        help="the run's processes (default: the run's own choice)")
    parser.add_argument("--range", type=int, default=None, dest="size",
                        help="members per range (default: expiry_bulk.RANGE)")
    parser.add_argument("--ids", choices=["v4", "v7"], default="v4",
                        help="seeded ids: random (v4) or time-ordered as kiosks make them")
    parser.add_argument("--template", help="a database seeded earlier (kept): no seeding")
    args = parser.parse_args()
    cpu_before = cpu_check()
    seeded = 0.0
    if args.template:
        runs = [one_run(args.template, args.workers, args.size) for _ in range(args.runs)]
    else:
        with fresh_database() as template:
            started = time.perf_counter()
            seed(template, args.members, args.ids)
            seeded = time.perf_counter() - started
            runs = [one_run(template, args.workers, args.size) for _ in range(args.runs)]
    for run in runs:
        run["ratio_to_floor"] = run["expiry_s"] / run["read_floor_s"]
        run["ratio_to_full_floor"] = run["expiry_s"] / run["full_read_floor_s"]
    result = median_of_runs(runs)
    print(json.dumps({"machine": machine(), "members": args.members,
                      "entries": args.members * PER_MEMBER, "seed_s": round(seeded, 1),
                      "runs": args.runs, "workers": args.workers,
                      "range": args.size or expiry_bulk.RANGE,
                      "ids": f"template {args.template}" if args.template else args.ids,
                      "load_average": [round(x, 2) for x in os.getloadavg()],
                      "cpu_check_s": [cpu_before, cpu_check()],
                      "each_run": [{k: round(v, 3) for k, v in r.items()} for r in runs],
                      "median_of_runs": {k: round(v, 3) for k, v in result.items()}},
                     indent=2))


if __name__ == "__main__":
    main()

"""Identify a card -> member view, on a store of 1,000,000 members and 5,000,000 entries.

    .venv/bin/python -m bench.identify [--members 1000000] [--entries 5000000] [--runs 5]

Seeds the store once (real signed cards, entries over two years, as if already synced) into
``bench/data/identify-<members>-<entries>`` and reuses it. Each run scans 2,000 random
members' card payloads through ``identify`` (signature check, revocation, member, balance,
tier window, rewards, recent activity) and reports p50/p99; the result is the median of
runs, plus the store's size on disk.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from pathlib import Path

from bench.common import machine, median_of_runs, percentile, timed
from kiosk.app.bootstrap import bootstrap, initialise_standalone
from kiosk.cards import card_number, issue_card
from kiosk.ids import new_id
from kiosk.program import load_program
from kiosk.services import identify
from kiosk.store import STORE_FILE
from kiosk.store.types import to_micros

ROOT = Path(__file__).resolve().parent.parent
BATCH = 50_000


def seed(folder: Path, members: int, entries: int) -> None:
    program = load_program(ROOT / "assets" / "program.toml")
    kiosk = initialise_standalone(folder, store_name="bench", program=program,
                                  device_id="bench", card_prefix="1000")
    key, cert, now = kiosk.key, kiosk.certificate, kiosk.clock()
    kiosk.store.close()
    db = sqlite3.connect(folder / STORE_FILE, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")  # seeding only; the measured reads don't care
    rng = random.Random(7)
    start = to_micros(now) - 2 * 365 * 86_400 * 10**6
    ids: list[bytes] = []
    t0 = time.perf_counter()
    for base in range(0, members, BATCH):
        db.execute("BEGIN")
        member_rows, card_rows = [], []
        for i in range(base, min(members, base + BATCH)):
            mid = new_id()
            ids.append(mid.bytes)
            card_no = card_number(cert.card_prefix, i + 1)
            member_rows.append((mid.bytes, f"Member {i}", f"09{i:08d}", start, "bench"))
            card_rows.append((card_no, mid.bytes, cert.key_id,
                              issue_card(key, cert, member_id=mid, card_no=card_no), start))
        # as if synced: the ledger has every member and card
        db.executemany("INSERT INTO members (id, name, phone, enrolled_at, channel, consent, "
                       "on_ledger) VALUES (?,?,?,?,?,1,1)", member_rows)
        db.executemany("INSERT INTO cards (card_no, member_id, key_id, payload, issued_at, "
                       "on_ledger) VALUES (?,?,?,?,?,1)", card_rows)
        db.execute("COMMIT")
    print(f"seeded {members} members in {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    for base in range(0, entries, BATCH):
        db.execute("BEGIN")
        rows = []
        for seq in range(base, min(entries, base + BATCH)):
            amount = rng.randrange(50, 5000)
            redeem = rng.random() < 0.1
            rows.append((new_id().bytes, ids[rng.randrange(members)],
                         "redeem" if redeem else "earn", -60 if redeem else amount // 100,
                         0 if redeem else amount, "bench", None if redeem else f"B-{seq}",
                         "2026.2", rng.randrange(start, to_micros(now)), seq + 1))
        db.executemany("INSERT INTO entries (id, member_id, kind, points, amount_minor, "
                       "channel, order_ref, program_version, occurred_at, server_seq) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    db.close()
    print(f"seeded {entries} entries in {time.perf_counter() - t0:.0f} s", flush=True)
    (folder / "seeded").touch()


def store_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob(STORE_FILE + "*"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scans", type=int, default=2000)
    args = parser.parse_args()
    folder = ROOT / "bench" / "data" / f"identify-{args.members}-{args.entries}"
    if not (folder / "seeded").exists():
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        seed(folder, args.members, args.entries)
    kiosk = bootstrap(folder)
    with kiosk.store.read() as tx:
        payloads = [row[0] for row in tx.conn.exec_driver_sql(
            "SELECT payload FROM cards ORDER BY random() LIMIT ?", (args.scans * args.runs,))]
    runs = []
    for r in range(args.runs):
        batch = iter(payloads[r * args.scans:(r + 1) * args.scans])
        samples = timed(lambda batch=batch: identify(kiosk, next(batch)), args.scans)
        runs.append({"p50_ms": percentile(samples, 50), "p99_ms": percentile(samples, 99)})
    kiosk.store.close()
    result = median_of_runs(runs)
    print(json.dumps({
        "machine": machine(), "members": args.members, "entries": args.entries,
        "runs": args.runs, "scans_per_run": args.scans,
        "median_of_runs": {k: round(v, 3) for k, v in result.items()},
        "goal_p99_ms": 10, "ratio_p99_to_goal": round(result["p99_ms"] / 10, 3),
        "store_bytes": store_size(folder),
        "store_mb": round(store_size(folder) / 2**20, 1),
    }, indent=2))


if __name__ == "__main__":
    main()

"""Identify a card -> member view, on a store of 1,000,000 members and 5,000,000 entries.

    .venv/bin/python -m bench.identify [--members 1000000] [--entries 5000000] [--runs 5]
                                       [--program bench/programs/member_view.toml]

Seeds the store once (real signed cards, entries over two years, as if already synced) into
``bench/data/identify-<members>-<entries>-<program>`` and reuses it. The entries are
orders' as the engine makes them under the program (an earn, a promotion's bonus, stamps
on the punch cards) and redemptions; about a third of the members hold coupons, some
expired. Each run scans 2,000 random members' card payloads through ``identify``
(signature check, revocation, member, balance, the tier under the program's tier policy,
the points' lots when the program has pending days or expiry, rewards, promotions,
stamps per punch card, coupons, recent activity) and reports p50/p99; the result is the
median of runs, plus the store's size on disk.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import machine, median_of_runs, percentile, timed
from kiosk.app.bootstrap import bootstrap, initialise_standalone
from kiosk.cards import DeviceCertificate, DeviceKey, card_number, issue_card
from kiosk.engine.orders import card_wallet
from kiosk.ids import new_id
from kiosk.program import Program, load_program
from kiosk.services import identify
from kiosk.store import STORE_FILE
from kiosk.store.types import to_micros

ROOT = Path(__file__).resolve().parent.parent
BATCH = 50_000


@dataclass(frozen=True)
class Blank:
    """A new kiosk's store, open on the driver for seeding, and what seeding needs."""

    db: sqlite3.Connection
    program: Program
    key: DeviceKey
    cert: DeviceCertificate
    start: int  # two years before now, in the store's microseconds
    end: int  # now


def blank_store(folder: Path, program_path: Path) -> Blank:
    program = load_program(program_path)
    kiosk = initialise_standalone(folder, store_name="bench", program=program,
                                  device_id="bench", card_prefix="1000")
    key, cert, now = kiosk.key, kiosk.certificate, kiosk.clock()
    kiosk.store.close()
    db = sqlite3.connect(folder / STORE_FILE, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")  # seeding only; the measured reads don't care
    end = to_micros(now)
    return Blank(db, program, key, cert, end - 2 * 365 * 86_400 * 10**6, end)


def seed(folder: Path, members: int, entries: int, program_path: Path) -> None:
    blank = blank_store(folder, program_path)
    db, program, key, cert, start, end = (blank.db, blank.program, blank.key, blank.cert,
                                          blank.start, blank.end)
    rng = random.Random(7)
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
    seq = order = 0
    cards = [card_wallet(c.id) for c in program.punch_cards]
    while seq < entries:
        db.execute("BEGIN")
        rows: list[tuple[object, ...]] = []
        while len(rows) < BATCH and seq + len(rows) < entries:
            rows += _visit(rng, ids[rng.randrange(members)], rng.randrange(start, end),
                           order, cards, program.version)
            order += 1
        rows = rows[:entries - seq]
        db.executemany("INSERT INTO entries (id, member_id, kind, points, amount_minor, "
                       "channel, order_ref, program_version, occurred_at, note, tier, "
                       "server_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                       [(*row, seq + i + 1) for i, row in enumerate(rows)])
        db.execute("COMMIT")
        seq += len(rows)
    print(f"seeded {entries} entries ({order} visits) in {time.perf_counter() - t0:.0f} s",
          flush=True)
    t0 = time.perf_counter()
    rules = [c.id for c in program.coupons]
    day = 86_400 * 10**6
    db.execute("BEGIN")
    coupons = [(new_id().bytes, mid, rule, f"bench:{n}:{rule}", issued, issued + 60 * day)
               for n, mid in enumerate(ids) if rng.random() < 0.3
               for rule in rng.sample(rules, rng.randint(1, 2))
               for issued in [rng.randrange(end - 120 * day, end)]]
    db.executemany("INSERT INTO coupons (id, member_id, rule, once, valid_from, expires_at) "
                   "VALUES (?,?,?,?,?,?)", coupons)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    db.close()
    print(f"seeded {len(coupons)} coupons in {time.perf_counter() - t0:.0f} s", flush=True)
    (folder / "seeded").touch()


def _visit(rng: random.Random, member: bytes, at: int, order: int, cards: list[str],
           version: str) -> list[tuple[object, ...]]:
    """One visit's entries as the engine makes them under the bench's program: a
    redemption (one in ten), or an order's earn, its promotion bonus and its punch cards'
    stamps (one card in two, one or two stamps)."""
    if rng.random() < 0.1:
        return [(new_id().bytes, member, "redeem", -60, 0, "bench", None, version, at, None,
                 None)]
    amount, ref = rng.randrange(50, 5000), f"B-{order}"
    out: list[tuple[object, ...]] = [
        (new_id().bytes, member, "earn", amount // 100, amount, "bench", ref, version, at,
         None, "bronze"),
        (new_id().bytes, member, "bonus", 10, 0, "bench", ref, version, at, "busy-4",
         "bronze")]
    out += [(new_id().bytes, member, "stamp", rng.randint(1, 2), 0, "bench", ref, version, at,
             card, "bronze") for card in cards if rng.random() < 0.5]
    return out


def store_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob(STORE_FILE + "*"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scans", type=int, default=2000)
    parser.add_argument("--program", default=str(ROOT / "bench" / "programs"
                                                 / "member_view.toml"))
    args = parser.parse_args()
    program = Path(args.program)
    folder = (ROOT / "bench" / "data"
              / f"identify-{args.members}-{args.entries}-{program.stem}")
    if not (folder / "seeded").exists():
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        seed(folder, args.members, args.entries, program)
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
        "program": program.name,
        "runs": args.runs, "scans_per_run": args.scans,
        "median_of_runs": {k: round(v, 3) for k, v in result.items()},
        "goal_p99_ms": 10, "ratio_p99_to_goal": round(result["p99_ms"] / 10, 3),
        "store_bytes": store_size(folder),
        "store_mb": round(store_size(folder) / 2**20, 1),
    }, indent=2))


if __name__ == "__main__":
    main()

"""Ledger ingest throughput on PostgreSQL, batches of 500, beside a raw psycopg floor.

    .venv/bin/python -m bench.ledger_ingest [--runs 3] [--batches 200] [--batch 500]
                                            [--members 10000] [--dir bench/data/ledger_ingest]
                                            [--orders [--program bench/programs/busy.toml]]
                                            [--workers 2]

Each run makes the same rows (kiosk-style sales: UUIDv7 ids, one kiosk device numbering
them 1..N) and loads them several ways, each into its own fresh database migrated by the
ledger's own migrations, with the members already there (the entries' foreign key needs
them; every mode gets them the same way, untimed):

* ``raw``: psycopg ``executemany`` of the rows, seq precomputed, one transaction per
  batch, into the same ``entries`` table (same indexes and foreign key). The floor: no
  screening, balances, receipts or HTTP.
* ``inproc``: ``Ledger.upload`` called in this process with prebuilt ``UploadRequest``s
  (the database work the server does, no HTTP, no JSON).
* ``http``: POST /v1/upload to a real ``kiosk ledger serve`` process, bodies serialized
  before the clock starts, one ``requests.Session`` (keep-alive), two requests in flight
  as the sync agent sends batches that only add points (``UPLOADS_IN_FLIGHT``).
* ``http_one``: the same, one request at a time.

The ledger serves from ``--workers`` processes (default 2, ``kiosk ledger serve
--workers``: the machine's two cores; ``--workers 1`` is how it was measured before
2026-12-01).

With ``--orders`` the sales are orders, made by the engine as a counter makes them
(``kiosk.awards.record_for`` and ``order_entries``) under a program with promotions and
punch cards (``bench/programs/busy.toml``): baskets of tea, cake and keyed amounts, each
member's tier from their spend so far and their stamps carried from order to order, so an
order makes 2 to 6 entries (the earn, a promotion's bonus each, a card's stamps) and the
ledger re-runs its rules to verify each of them (``sync/server/order_audit.py``), stores
the order and issues the coupons a full card gives. Each request carries its 500 entries
and the orders they belong to (an order cut by a batch's end goes with both, as the sync
agent sends it). Raw stays the floor of the same entry rows. The agent sends a batch
before the last is answered only when it is independent of it (``sync.uploads``: no
tier above the first claimed by a member who buys in the batch before), so http does too.

The modes run in a different order in each run (raw first, then inproc first, ...),
so PostgreSQL's background work left by one mode doesn't always land on the same one, and
each timed section starts right after a CHECKPOINT.
Prints entries/s for each and their ratios to raw (goal: >= 10,000/s and >= 50% of raw).
The ledger process, PostgreSQL and this client share the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import psycopg
import requests
from sqlalchemy import Engine

from bench.common import machine, median_of_runs
from kiosk.awards import member_state, order_entries, record_for
from kiosk.engine.orders import CARD_WALLET, Order, OrderLine
from kiosk.ids import new_id
from kiosk.ledger import EntryKind
from kiosk.program import Program, load_program, points_for_amount
from kiosk.tiers import tier_for_spend
from sync.embedded import free_port
from sync.protocol import EntryWire, OrderWire, UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Caller, Ledger
from sync.uploads import ORDER_TAIL, UPLOADS_IN_FLIGHT, independent, order_cut

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "assets" / "program.toml"
KIOSK = str(Path(sys.executable).with_name("kiosk"))
PG_ADMIN = os.environ.get("COUNTERPOINT_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
DEVICE = "bench-kiosk"

_INSERT_RAW = (
    "INSERT INTO entries (id, seq, member_id, kind, points, amount_minor, channel, order_ref,"
    " program_version, occurred_at, reverses, reward_id, note, device_id, device_seq) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
_INSERT_MEMBER = (
    "INSERT INTO members (id, name, phone, birthday, enrolled_at, channel, referrer_id, "
    "consent) VALUES (%s, %s, %s, NULL, %s, %s, NULL, true)")


def _now() -> datetime:
    return datetime.now(UTC)


# -- shared by the ledger benchmarks (backlog_drain, pull) --------------------------------
def sqlalchemy_url(name: str) -> str:
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{name}"


def psycopg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def create_database(template: str | None = None) -> str:
    """A fresh database (optionally a copy of ``template``); its name. A template just
    used by a ledger process may still have a backend on its way out: wait for it."""
    name = f"cp_bench_{secrets.token_hex(6)}"
    deadline = time.monotonic() + 30
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        while True:
            try:
                conn.execute(f'CREATE DATABASE "{name}"'
                             + (f' TEMPLATE "{template}"' if template else ""))
                return name
            except psycopg.errors.ObjectInUse:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


def checkpoint() -> None:
    """Flush PostgreSQL's dirty pages before a timed section. Without it, a checkpoint
    forced by the WAL the previous mode wrote (max_wal_size) could land in the middle of
    whichever mode came next, slowing it at random by its writes and the full-page images
    that follow it."""
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        conn.execute("CHECKPOINT")


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_database(template: str | None = None) -> Iterator[str]:
    """A database that is dropped afterwards whatever happens, so runs never pile up."""
    name = create_database(template)
    try:
        yield name
    finally:
        drop_database(name)


def migrated_ledger(name: str, program: Program | None = None) -> tuple[Ledger, Engine]:
    """The ledger's schema and program (the default one unless told), as ``kiosk ledger
    serve`` sets them up."""
    engine = ledger_engine(sqlalchemy_url(name))
    migrate(engine)
    ledger = Ledger(engine, _now)
    ledger.initialise(program or load_program(PROGRAM))
    return ledger, engine


@dataclass
class LedgerServer:
    """``kiosk ledger serve`` as its own process, as in production (and in tests/sync)."""

    db: str
    folder: Path
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    workers: int = 1  # ``serve --workers``

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LedgerServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        log = (self.folder / "ledger.log").open("ab")
        self.proc = subprocess.Popen(
            [KIOSK, "--data-dir", str(self.folder), "ledger", "serve", "--db",
             sqlalchemy_url(self.db), "--port", str(self.port),
             "--workers", str(self.workers)], stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((self.folder / "ledger.log").read_text())
            try:
                if requests.get(self.url + "/v1/health", timeout=1).ok:
                    if self.workers > 1:
                        time.sleep(3)  # the first answered: the others start alike
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("the ledger did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)


@contextmanager
def running_ledger(db: str, folder: Path, workers: int = 1) -> Iterator[LedgerServer]:
    server = LedgerServer(db, folder, workers=workers).start()
    try:
        yield server
    finally:
        server.stop()


# -- this benchmark -----------------------------------------------------------------------
@dataclass(frozen=True)
class Workload:
    members: list[tuple[Any, ...]]  # rows for ``members``
    entries: list[EntryWire]  # device_seq 1..N, in order
    orders: dict[str, OrderWire] = field(default_factory=dict)  # by ref (--orders)
    program: Program | None = None  # the one the ledger publishes (None: the default)

    def batches(self, size: int) -> list[list[EntryWire]]:
        """Cut as the sync agent cuts the outbox: ``size`` entries and the rest of the last
        one's order (``sync.uploads.order_cut``)."""
        out, start, keys = [], 0, [(e.channel, e.order_ref) for e in self.entries]
        while start < len(self.entries):
            end = start + order_cut(keys[start:start + size + ORDER_TAIL], size)
            out.append(self.entries[start:end])
            start = end
        return out

    def requests(self, size: int) -> list[UploadRequest]:
        """Each batch as the sync agent uploads it: with the orders its entries belong to."""
        out = []
        for b in self.batches(size):
            refs = dict.fromkeys(e.order_ref for e in b if e.order_ref in self.orders)
            out.append(UploadRequest(entries=b, orders=[self.orders[r] for r in refs
                                                        if r is not None]))
        return out

    def independent(self, size: int) -> list[bool]:
        """Whether each batch may go while the one before is in flight, as the agent
        decides (``sync.uploads.independent``)."""
        base = (self.program or load_program(PROGRAM)).tiers[0].id
        requests = [UploadRequest(entries=b) for b in self.batches(size)]
        return [True] + [independent(batch, before, base)
                         for before, batch in pairwise(requests)]


def make_workload(n_members: int, n_entries: int, amount_minor: int = 500) -> Workload:
    """Sales as a kiosk makes them: an earn entry per sale, members taken in turn, each at
    the tier the member's earlier sales in the workload reach (with the default NT$5 a
    sale, all bronze; with NT$2,500, silver from a member's fifth sale, so the ledger
    checks a tier claim against the member's spend in every batch)."""
    start = _now() - timedelta(days=1)
    program = load_program(PROGRAM)
    member_ids = [new_id() for _ in range(n_members)]
    members = [(mid, f"Bench {i}", f"0912{i:06d}", start, DEVICE)
               for i, mid in enumerate(member_ids)]
    spent = [0] * n_members
    entries = []
    for i in range(n_entries):
        tier = tier_for_spend(program, spent[i % n_members])
        spent[i % n_members] += amount_minor
        entries.append(EntryWire(
            id=new_id(), member_id=member_ids[i % n_members], kind=EntryKind.EARN,
            points=points_for_amount(program, amount_minor, tier), amount_minor=amount_minor,
            channel=DEVICE, occurred_at=start + timedelta(milliseconds=i),
            program_version=program.version, order_ref=f"O-{i}", tier=tier.id,
            device_seq=i + 1))
    return Workload(members, entries)


# Baskets taken in turn (each member's in turn too): tea and cake (promotions busy-0,
# busy-2, busy-3 and both punch cards), tea alone, a keyed amount, cakes and tea, a big
# keyed amount (members climb to silver). busy-4 gives every order a bonus.
BASKETS = (
    (OrderLine("TEA-OOLONG", 2, 65, "tea"), OrderLine("CAKE-SUN", 1, 40, "cake"),
     OrderLine("AMOUNT", 1, 330)),
    (OrderLine("TEA-OOLONG", 1, 65, "tea"),),
    (OrderLine("AMOUNT", 1, 500),),
    (OrderLine("CAKE-SUN", 3, 40, "cake"), OrderLine("TEA-GREEN", 1, 55, "tea")),
    (OrderLine("AMOUNT", 1, 5000),),
)


@dataclass(frozen=True)
class _Profile:
    """A member as the counter holds them (``kiosk.awards.Profile``)."""

    enrolled_at: datetime
    birthday: date | None = None
    referrer_id: uuid.UUID | None = None
    profile_pending: bool = False


def make_order_workload(n_members: int, n_entries: int, program: Program) -> Workload:
    """Orders as a counter rings them up under ``program``: members taken in turn, each
    with the tier their spend so far reaches, the stamps their earlier orders gave and
    whether they bought before, the engine's record and entries for each order."""
    start = _now() - timedelta(days=1)
    member_ids = [new_id() for _ in range(n_members)]
    members = [(mid, f"Bench {i}", f"0912{i:06d}", start, DEVICE)
               for i, mid in enumerate(member_ids)]
    profile = _Profile(start)
    spent = [0] * n_members
    stamps: list[dict[str, int]] = [{} for _ in range(n_members)]
    entries: list[EntryWire] = []
    orders: dict[str, OrderWire] = {}
    i = 0
    while len(entries) < n_entries:
        m = i % n_members
        tier = tier_for_spend(program, spent[m])
        state = member_state(tier.id, profile, spent[m] > 0, stamps[m])
        order = Order(DEVICE, f"O-{i}", start + timedelta(milliseconds=i),
                      BASKETS[(i + i // n_members) % len(BASKETS)], member_ids[m],
                      cashier="Bench")
        record = record_for(program, order, state)
        for a in record.awards:
            if a.kind is EntryKind.STAMP:
                card = a.wallet.removeprefix(CARD_WALLET)
                stamps[m][card] = stamps[m].get(card, 0) + a.points
        spent[m] += order.net_paid_minor
        orders[order.order_ref] = OrderWire.of(record)
        made = order_entries(record, new_id=new_id, staff="Bench")
        entries += [EntryWire.of(e, device_seq=len(entries) + k + 1)
                    for k, e in enumerate(made)]
        i += 1
    return Workload(members, entries[:n_entries], orders, program)


def load_members(name: str, members: list[tuple[Any, ...]]) -> None:
    with psycopg.connect(psycopg_url(name)) as conn, conn.cursor() as cur:
        cur.executemany(_INSERT_MEMBER, members)


def raw_run(work: Workload, batch: int) -> float:
    """Seconds to executemany every batch straight into ``entries``, a commit each."""
    with fresh_database() as name:
        _, engine = migrated_ledger(name, work.program)
        engine.dispose()
        load_members(name, work.members)
        batches = work.batches(batch)
        starts = [sum(len(b) for b in batches[:k]) for k in range(len(batches))]
        rows = [[(e.id, i + 1, e.member_id, e.kind.value, e.points, e.amount_minor,
                  e.channel, e.order_ref, e.program_version, e.occurred_at, e.reverses,
                  e.reward_id, e.note, DEVICE, e.device_seq) for i, e in enumerate(b, start)]
                for start, b in zip(starts, batches, strict=True)]
        with psycopg.connect(psycopg_url(name)) as conn:
            checkpoint()
            t = time.perf_counter()
            for chunk in rows:
                with conn.transaction(), conn.cursor() as cur:
                    cur.executemany(_INSERT_RAW, chunk)
            elapsed = time.perf_counter() - t
            count = conn.execute("SELECT count(*) FROM entries").fetchone()
        assert count is not None and count[0] == len(work.entries), count
        return elapsed


def inproc_run(work: Workload, batch: int) -> float:
    """Seconds for ``Ledger.upload`` of every batch, requests built before the clock."""
    with fresh_database() as name:
        ledger, engine = migrated_ledger(name, work.program)
        try:
            ledger.add_device(DEVICE, "kiosk")
            load_members(name, work.members)
            caller = Caller(DEVICE, "kiosk")
            requests_ = work.requests(batch)
            accepted = 0
            checkpoint()
            t = time.perf_counter()
            for request in requests_:
                response = ledger.upload(caller, request)
                accepted += sum(r.status == "accepted" for r in response.results)
            elapsed = time.perf_counter() - t
            assert accepted == len(work.entries), accepted
            assert response.acked_through == len(work.entries), response.acked_through
            return elapsed
        finally:
            engine.dispose()


def http_run(work: Workload, batch: int, folder: Path, in_flight: int, workers: int = 1
             ) -> float:
    """Seconds to POST every batch to a ledger (``workers`` processes), ``in_flight`` at a
    time as the kiosk's sync agent sends batches that only add points (one that depends on
    the batch before waits for every answer); bodies serialized beforehand."""
    with fresh_database() as name:
        ledger, engine = migrated_ledger(name, work.program)
        _, token = ledger.add_device(DEVICE, "kiosk")
        engine.dispose()
        load_members(name, work.members)
        bodies = [r.model_dump_json().encode() for r in work.requests(batch)]
        independent = work.independent(batch)
        with (running_ledger(name, folder / "ledger", workers) as server,
              requests.Session() as http):
            http.headers.update({"Authorization": f"Bearer {token}",
                                 "Content-Type": "application/json"})
            url = server.url + "/v1/upload"

            def post(body: bytes) -> int:
                response = http.post(url, data=body, timeout=(3.05, 120))
                response.raise_for_status()
                return sum(r["status"] == "accepted" for r in response.json()["results"])

            accepted = 0
            checkpoint()
            t = time.perf_counter()
            with ThreadPoolExecutor(in_flight) as sender:
                sent: deque[Future[int]] = deque()
                for body, alone in zip(bodies, independent, strict=True):
                    while not alone and sent:
                        accepted += sent.popleft().result()
                    sent.append(sender.submit(post, body))
                    if len(sent) == in_flight:
                        accepted += sent.popleft().result()
                accepted += sum(f.result() for f in sent)
            elapsed = time.perf_counter() - t
        assert accepted == len(work.entries), accepted
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--members", type=int, default=None,
                        help="10,000; with --orders 2,000 (~14 orders each: cards fill, "
                             "issuing coupons, and members climb to silver)")
    parser.add_argument("--amount", type=int, default=500,
                        help="each sale's amount in minor units (2500: tier claims to check)")
    parser.add_argument("--orders", action="store_true",
                        help="orders made by the engine, verified by the ledger (issue 14)")
    parser.add_argument("--program", default=str(ROOT / "bench" / "programs" / "busy.toml"),
                        help="with --orders: the program the orders are rung up under")
    parser.add_argument("--workers", type=int, default=2,
                        help="the ledger's processes (`kiosk ledger serve --workers`)")
    parser.add_argument("--dir", default=str(ROOT / "bench" / "data" / "ledger_ingest"))
    args = parser.parse_args()
    program = load_program(Path(args.program)) if args.orders else None
    args.members = args.members or (2_000 if args.orders else 10_000)
    n = args.batches * args.batch
    folder = Path(args.dir)
    modes: dict[str, Callable[[Workload], float]] = {
        "raw": lambda work: raw_run(work, args.batch),
        "inproc": lambda work: inproc_run(work, args.batch),
        "http": lambda work: http_run(work, args.batch, folder, UPLOADS_IN_FLIGHT,
                                      args.workers),
        "http_one": lambda work: http_run(work, args.batch, folder, 1, args.workers),
    }
    runs = []
    try:
        for i in range(args.runs):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            work = (make_order_workload(args.members, n, program) if program is not None
                    else make_workload(args.members, n, args.amount))
            order = list(modes)[i % len(modes):] + list(modes)[:i % len(modes)]
            seconds = {mode: modes[mode](work) for mode in order}
            run = {f"{mode}_entries_per_s": n / seconds[mode] for mode in modes}
            print(f"run {i + 1} ({', '.join(order)}): "
                  + json.dumps({k: round(v) for k, v in run.items()}),
                  file=sys.stderr, flush=True)
            runs.append(run)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = median_of_runs(runs)
    print(json.dumps({
        "machine": machine(), "runs": args.runs, "entries_per_run": n,
        "batch": args.batch, "members": args.members, "workers": args.workers,
        **({"orders": True, "program": program.version,
            "orders_per_run": len(work.orders)} if program is not None
           else {"amount_minor": args.amount}),
        "median_of_runs": {k: round(v) for k, v in result.items()},
        "each_run": [{k: round(v) for k, v in run.items()} for run in runs],
        "ratios": {"inproc_to_raw": round(result["inproc_entries_per_s"]
                                          / result["raw_entries_per_s"], 3),
                   "http_to_raw": round(result["http_entries_per_s"]
                                        / result["raw_entries_per_s"], 3),
                   "http_one_to_raw": round(result["http_one_entries_per_s"]
                                            / result["raw_entries_per_s"], 3)},
        "goal": {"entries_per_s": 10_000, "ratio_to_raw": 0.5},
    }, indent=2))


if __name__ == "__main__":
    main()

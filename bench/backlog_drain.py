"""Draining a kiosk's 100,000-entry offline backlog into a real ledger on PostgreSQL.

    .venv/bin/python -m bench.backlog_drain [--runs 3] [--entries 100000] [--members 1000]
                                            [--backlog service|append]

The backlog is built once per invocation, then every run starts from an identical copy:

* a fresh ledger database (migrated, program published, the kiosk registered), a kiosk
  paired with it over the real HTTP API by ``pair_kiosk``, then the server stopped;
* ``--backlog service`` (default): ``enrol`` the members (each gets the signup bonus, an
  outbox entry), then ``ring_up_sale`` until the outbox holds ``--entries`` entries, every
  sale committed on its own as at the counter. ``--backlog append`` builds the same sales
  (the program's earn rules) and appends them through ``tx.entries.append`` in one
  transaction, which is quicker to set up and leaves the same outbox;
* each run copies the database (``CREATE DATABASE ... TEMPLATE``) and the kiosk's folder,
  starts ``kiosk ledger serve`` on the copy, and times ``SyncAgent.sync_once()``: upload of
  the whole outbox in batches of 500, pull (which brings the kiosk's own entries back with
  their seqs), and the state refresh, until the outbox is empty.

Besides the total, the time spent inside the client's upload, pull and state calls (the
client's JSON encoding and decoding, the HTTP round trip and the ledger's work) is
reported; the rest is the kiosk's local work (reading the outbox, recording the
acknowledgements, applying pulled pages, all in its SQLite store).
Goal: <= 20 s for 100,000 entries.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.common import machine, median_of_runs
from bench.ledger_ingest import (
    ROOT,
    create_database,
    drop_database,
    fresh_database,
    migrated_ledger,
    running_ledger,
)
from kiosk.app.bootstrap import bootstrap
from kiosk.ledger import Entry, EntryKind
from kiosk.program import points_for_amount
from kiosk.services import Enrolment, Kiosk, Sale, enrol, ring_up_sale
from kiosk.tiers import tier_for_spend
from sync.agent import SyncAgent, SyncReport
from sync.client import LedgerClient
from sync.pairing import pair_kiosk
from sync.protocol import DeviceState, PullResponse, UploadRequest, UploadResponse


class TimedClient(LedgerClient):
    """The real client, also timing each kind of call. Uploads overlap (two in flight),
    so a kind's seconds are the time at least one such call was under way, not a sum."""

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__(base_url, token, timeout=(3.05, 300.0))
        self.spans: dict[str, list[tuple[float, float]]] = {"upload": [], "pull": [],
                                                            "state": []}
        self.calls = {"upload": 0, "pull": 0, "state": 0}

    @property
    def seconds(self) -> dict[str, float]:
        out = {}
        for kind, spans in self.spans.items():
            total, reached = 0.0, float("-inf")
            for start, end in sorted(spans):
                total += max(0.0, end - max(start, reached))
                reached = max(reached, end)
            out[kind] = total
        return out

    @contextmanager
    def _clock(self, kind: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.spans[kind].append((t, time.perf_counter()))
            self.calls[kind] += 1

    def upload(self, request: UploadRequest) -> UploadResponse:
        with self._clock("upload"):
            return super().upload(request)

    def pull(self, after: int, limit: int, *, skip_own: bool = False) -> PullResponse:
        with self._clock("pull"):
            return super().pull(after, limit, skip_own=skip_own)

    def state(self) -> DeviceState:
        with self._clock("state"):
            return super().state()


@dataclass(frozen=True)
class Paired:
    """A ledger database with a kiosk paired to it, both at rest, to be copied per run."""

    database: str
    kiosk_dir: Path
    device: str
    token: str


def paired_template(folder: Path, devices: list[str]) -> tuple[str, list[Paired]]:
    """A fresh ledger database with a kiosk paired to it per name in ``devices``; the
    server is stopped again, so the database can serve as a template."""
    database = create_database()
    try:
        ledger, engine = migrated_ledger(database)
        tokens = [ledger.add_device(name, "kiosk")[1] for name in devices]
        engine.dispose()
        out = []
        with running_ledger(database, folder / "template-ledger") as server:
            for name, token in zip(devices, tokens, strict=True):
                kiosk = pair_kiosk(folder / name, ledger_url=server.url, token=token,
                                   store_name=f"Bench {name}")
                kiosk.store.close()
                out.append(Paired(database, folder / name, name, token))
        return database, out
    except BaseException:
        drop_database(database)
        raise


def outbox_size(kiosk: Kiosk) -> int:
    with kiosk.store.read() as tx:
        return tx.outbox.size()


def fill_backlog(kiosk: Kiosk, entries: int, members: int, mode: str) -> float:
    """Enrol ``members`` and ring up sales until the outbox holds ``entries``; seconds."""
    t = time.perf_counter()
    ids = [enrol(kiosk, Enrolment(f"Bench {i}", f"0912{i:06d}", consent=True)).member.id
           for i in range(members)]
    i = 0
    if mode == "service":
        while (left := entries - outbox_size(kiosk)) > 0:
            for _ in range(left):
                ring_up_sale(kiosk, Sale(ids[i % members], 500, f"O-{i}"))
                i += 1
    else:
        program, now = kiosk.program, kiosk.clock()
        tier = tier_for_spend(program, 0)
        left = entries - outbox_size(kiosk)
        batch: list[Entry] = []
        while len(batch) < left:
            batch.append(Entry(kiosk.new_id(), ids[i % members], EntryKind.EARN,
                               points_for_amount(program, 500, tier), kiosk.channel, now,
                               program.version, f"O-{i}", 500, tier=tier.id))
            i += 1
        with kiosk.store.write() as tx:
            tx.entries.append(batch[:left])
    assert outbox_size(kiosk) == entries, outbox_size(kiosk)
    return time.perf_counter() - t


def timed_sync(template: str, paired: Paired, folder: Path
               ) -> tuple[float, SyncReport, TimedClient]:
    """Copy the template database and kiosk, start a ledger on the copy, time one
    ``sync_once``."""
    kiosk_dir = folder / "run-kiosk"
    shutil.rmtree(kiosk_dir, ignore_errors=True)
    shutil.copytree(paired.kiosk_dir, kiosk_dir)
    with fresh_database(template) as database, \
            running_ledger(database, folder / "run-ledger") as server:
        kiosk = bootstrap(kiosk_dir)
        client = TimedClient(server.url, paired.token)
        agent = SyncAgent(kiosk, client)
        try:
            t = time.perf_counter()
            report = agent.sync_once()
            elapsed = time.perf_counter() - t
        finally:
            client.close()
            kiosk.store.close()
    shutil.rmtree(kiosk_dir, ignore_errors=True)
    return elapsed, report, client


def timed_syncs(template: str, paired: Paired, folder: Path, runs: int, entries: int,
                done: Callable[[SyncReport], bool]
                ) -> tuple[list[dict[str, float]], SyncReport, TimedClient]:
    """``runs`` timed syncs, each checked by ``done``; the seconds of each, split into
    the client's calls and the kiosk's own work, with the last report and client."""
    out = []
    for i in range(runs):
        elapsed, report, client = timed_sync(template, paired, folder)
        assert done(report), report
        run = {"seconds": elapsed, "entries_per_s": entries / elapsed,
               **{f"{kind}_calls_s": s for kind, s in client.seconds.items()},
               "kiosk_local_s": elapsed - sum(client.seconds.values())}
        print(f"run {i + 1}: " + json.dumps({k: round(v, 3) for k, v in run.items()}),
              file=sys.stderr, flush=True)
        out.append(run)
    return out, report, client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--backlog", choices=("service", "append"), default="service")
    parser.add_argument("--dir", default=str(ROOT / "bench" / "data" / "backlog_drain"))
    args = parser.parse_args()
    folder = Path(args.dir)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        template, (paired,) = paired_template(folder, ["bench-kiosk"])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        kiosk = bootstrap(paired.kiosk_dir)
        setup_s = fill_backlog(kiosk, args.entries, args.members, args.backlog)
        kiosk.store.close()
        print(f"backlog of {args.entries} built in {setup_s:.1f} s ({args.backlog})",
              file=sys.stderr, flush=True)
        runs, report, client = timed_syncs(
            template, paired, folder, args.runs, args.entries,
            lambda r: r.pending_uploads == 0 and r.uploaded == args.entries)
    finally:
        drop_database(template)
        shutil.rmtree(folder, ignore_errors=True)
    result = median_of_runs(runs)
    print(json.dumps({
        "machine": machine(), "runs": args.runs, "backlog_entries": args.entries,
        "members": args.members, "backlog_built_by": args.backlog,
        "backlog_build_s": round(setup_s, 1),
        "last_run": {"uploaded": report.uploaded, "pulled_new": report.pulled,
                     "upload_calls": client.calls["upload"],
                     "pull_calls": client.calls["pull"]},
        "median_of_runs": {k: round(v, 2) for k, v in result.items()},
        "each_run": [{k: round(v, 2) for k, v in run.items()} for run in runs],
        "goal": {"seconds": 20},
    }, indent=2))


if __name__ == "__main__":
    main()

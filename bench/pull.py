"""Pulling 10,000 new entries from the ledger into a kiosk that has nothing to upload.

    .venv/bin/python -m bench.pull [--runs 5] [--entries 10000] [--members 1000]

Built once per invocation: a fresh ledger database with two kiosks paired over the real
HTTP API; the "source" kiosk enrols ``--members`` members and rings up sales through the
services until its outbox holds ``--entries`` entries, then syncs them up; the "sink"
kiosk has done nothing. Each run copies the database and the sink's folder, starts
``kiosk ledger serve`` on the copy and times the sink's ``SyncAgent.sync_once()``: an
empty upload, the pull of every entry (pages of 1,000, with the source's members and
cards) and the state refresh. Reports seconds and entries/s, with the time inside the
client's pull calls (HTTP and the ledger's work) apart from the kiosk's local work.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from bench.backlog_drain import TimedClient, fill_backlog, paired_template, timed_syncs
from bench.common import machine, median_of_runs
from bench.ledger_ingest import ROOT, drop_database, running_ledger
from kiosk.app.bootstrap import bootstrap
from sync.agent import SyncAgent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--dir", default=str(ROOT / "bench" / "data" / "pull"))
    args = parser.parse_args()
    folder = Path(args.dir)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        template, (source, sink) = paired_template(folder, ["bench-source", "bench-sink"])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        kiosk = bootstrap(source.kiosk_dir)
        fill_backlog(kiosk, args.entries, args.members, "service")
        with running_ledger(template, folder / "template-ledger") as server:
            client = TimedClient(server.url, source.token)
            report = SyncAgent(kiosk, client).sync_once()
            client.close()
        kiosk.store.close()
        assert report.uploaded == args.entries and report.pending_uploads == 0, report
        runs, report, client = timed_syncs(
            template, sink, folder, args.runs, args.entries,
            lambda r: r.pulled == args.entries and r.uploaded == 0)
    finally:
        drop_database(template)
        shutil.rmtree(folder, ignore_errors=True)
    result = median_of_runs(runs)
    print(json.dumps({
        "machine": machine(), "runs": args.runs, "entries_pulled": args.entries,
        "members": args.members, "pull_calls": client.calls["pull"],
        "median_of_runs": {k: round(v, 3) for k, v in result.items()},
        "each_run": [{k: round(v, 3) for k, v in run.items()} for run in runs],
    }, indent=2))


if __name__ == "__main__":
    main()

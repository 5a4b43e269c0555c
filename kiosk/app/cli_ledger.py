"""Sub-commands of ``kiosk`` that talk to or run the central ledger: ``kiosk sync`` and
``kiosk ledger serve|check|expire|report|...``; the ledger's device commands are in
``cli_ledger_devices.py``, its program versions' (publish, programs) in
``cli_ledger_programs.py``, the online shop's (``kiosk shop ...``) in ``cli_shop.py``. Kept
here so ``kiosk/`` itself never imports an HTTP stack."""

from __future__ import annotations

import argparse
import gc
import os
import re
import signal
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.app.cli_base import Output, Parser
from kiosk.app.cli_ledger_base import ledger_database, now, on_its_database, open_ledger
from kiosk.app.cli_ledger_devices import add_device_commands
from kiosk.app.cli_ledger_programs import add_program_commands
from kiosk.app.cli_shop import add_shop_commands
from kiosk.reports import Basket, PeriodProblem
from kiosk.services import Kiosk
from kiosk.services.errors import Refusal

if TYPE_CHECKING:
    from sync.server.reports import ReportOf

EXIT_OFFLINE = 4


def cmd_sync(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    from kiosk.app.ledger_link import ledger_client_for
    from sync.agent import SyncAgent
    from sync.client import LedgerUnavailable
    from sync.pairing import NotPaired

    client = ledger_client_for(kiosk)
    if client is None:
        raise NotPaired("this kiosk is not paired with a ledger: "
                        "kiosk init --ledger-url URL --device-token TOKEN")
    agent = SyncAgent(kiosk, client)
    try:
        if args.forever:
            stop = threading.Event()

            def finish(*_: object) -> None:
                stop.set()
                agent.wake()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, finish)
            agent.run_forever(stop, interval=args.interval, max_backoff=args.max_backoff)
            return 0
        try:
            report = agent.sync_once()
        except LedgerUnavailable as exc:
            out.error("offline", f"the ledger could not be reached: {exc}; nothing was lost, "
                      f"{agent.status.pending_uploads} entries wait to upload")
            return EXIT_OFFLINE
        out.result({"uploaded": report.uploaded, "duplicates": report.duplicates,
                    "rejected": report.rejected, "pulled": report.pulled,
                    "pending_uploads": report.pending_uploads, "cursor": report.cursor},
                   f"Synced: {report.uploaded} up ({report.duplicates} already there, "
                   f"{report.rejected} rejected), {report.pulled} down; "
                   f"{report.pending_uploads} waiting.")
        return 0
    finally:
        client.close()


def cmd_move_ledger(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    from sync.client import TIMEOUT
    from sync.pairing import move_ledger

    address = move_ledger(kiosk, args.url, TIMEOUT)
    out.result({"ledger_url": address}, f"Ledger address saved: {address}")
    return 0


def cmd_ledger_serve(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    import uvicorn

    from sync.server.app import create_app

    ledger = open_ledger(args, data_dir)
    if args.workers > 1 and ledger.engine.dialect.name != "postgresql":
        raise Refusal("--workers above 1 needs the ledger on PostgreSQL (--db)")
    out.result({"listening": f"http://{args.host}:{args.port}"},
               f"Ledger listening on http://{args.host}:{args.port}")
    if args.expire_every > 0:  # in this process only, however many workers serve
        threading.Thread(target=_jobs_now_and_then,
                         args=(ledger, _referrals(ledger), args.expire_every),
                         name="ledger-jobs", daemon=True).start()
    if args.workers > 1:
        # The ledger keeps no state between calls (the database numbers entries under
        # the ledger_head row lock), so each worker process builds its own on the same
        # database; migrated and published here, once. Their loop spreads a kiosk's
        # connections over them (``sync/server/workers.py``).
        os.environ[_WORKER_DB] = args.db
        _serve_workers(uvicorn.Config(f"{__name__}:worker_app", factory=True,
                                      workers=args.workers, host=args.host, port=args.port,
                                      loop="sync.server.workers:SpreadingLoop",
                                      log_level="warning", access_log=False))
        return 0
    app = create_app(ledger)
    _settle_heap()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning",
                access_log=False)
    return 0


_WORKER_DB = "KIOSK_LEDGER_WORKER_DB"


def _serve_workers(config: Any) -> None:
    """``uvicorn.run`` with workers, but on a listening socket that knows it is TCP:
    uvicorn's own is made with protocol 0, so asyncio leaves Nagle's algorithm on for the
    connections it accepts (it sets TCP_NODELAY only on a TCP socket), and every answer
    waited for the client's delayed ACK: 44 ms for ``/v1/health`` against 1 ms from one
    process (measured). Re-opening the descriptor reads its real protocol."""
    import socket

    from uvicorn.supervisors import Multiprocess

    bound = config.bind_socket()
    Multiprocess(config, sockets=[socket.socket(fileno=bound.detach())]).run()


def worker_app() -> Any:
    """The app of one of ``kiosk ledger serve --workers N``'s processes (uvicorn's factory,
    called in each): the ledger on the database the command was given."""
    from sync.server.app import create_app
    from sync.server.db import ledger_engine
    from sync.server.ledger import Ledger

    app = create_app(Ledger(ledger_engine(os.environ[_WORKER_DB]), now))
    _settle_heap()
    return app


def _referrals(ledger: Any) -> Any:
    from sync.server.referrals import Referrals

    return Referrals(ledger.engine, ledger.clock, ledger.programs, ledger.ingest)


def _jobs_now_and_then(ledger: Any, referrals: Any, seconds: float) -> None:
    """The ledger's own jobs, at start and then every ``seconds`` (``--expire-every``):
    the expiry run (a lot is recorded as expired within that long of its date) and the
    referral run (a referrer's bonus within that long of the referred member's return
    window closing). A rerun makes nothing new; one job failing doesn't stop the other."""
    stop = threading.Event()
    while True:
        try:
            report = ledger.expire()
            if report.entries:
                print(f"expiry: {report.points} points in {report.entries} lots",
                      file=sys.stderr)
        except Exception as exc:  # a storage hiccup: said, and tried again next time
            print(f"expiry run failed, will retry: {exc}", file=sys.stderr)
        try:
            granted = referrals.run()
            if granted.entries:
                print(f"referrals: {granted.points} points in {granted.entries} bonuses",
                      file=sys.stderr)
        except Exception as exc:
            print(f"referral run failed, will retry: {exc}", file=sys.stderr)
        stop.wait(seconds)


def _settle_heap() -> None:
    """Keep the garbage collector off the server's own long-lived objects.

    A 500-entry upload allocates tens of thousands of short-lived objects, which with
    the default thresholds set off ~30 collections per upload, some of them full passes
    over the ~140,000 objects the imports leave (FastAPI, pydantic, SQLAlchemy): 5 ms of
    CPU per upload. Those objects live as long as the process, so they are moved out of
    the collector's sight (``gc.freeze``) and young objects are collected less often. The
    server's CPU per upload fell by a fifth to a third (bench/ledger_ingest.py). A young
    generation of 50,000 rather than 10,000 took another 1 ms (6%) off a 500-entry order
    upload's CPU (17.1 -> 15.8-16.2 ms in process; 100,000 was no better).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)


def cmd_ledger_revoke_card(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    open_ledger(args, data_dir).revoke_card(args.card_no)
    out.result({"card_no": args.card_no, "revoked": True},
               f"Card {args.card_no} revoked; kiosks refuse it after their next sync.")
    return 0


def cmd_ledger_check(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    problems = open_ledger(args, data_dir).check()
    out.result({"ok": not problems, "problems": problems},
               "Ledger OK." if not problems else "\n".join(problems))
    return 0 if not problems else 1


def cmd_ledger_expire(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    at = _parse_time(args.at) if args.at else None
    report = open_ledger(args, data_dir).expire(at)
    out.result({"members": report.members, "entries": report.entries, "points": report.points},
               f"{report.points} points expired in {report.entries} lots "
               f"({report.members} members replayed).")
    return 0


def cmd_ledger_referrals(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    at = _parse_time(args.at) if args.at else None
    report = _referrals(open_ledger(args, data_dir)).run(at)
    out.result({"members": report.members, "entries": report.entries, "points": report.points},
               f"{report.points} points granted in {report.entries} referral bonuses "
               f"({report.members} referred members due).")
    return 0


def _parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Refusal(f"--at: {text!r} is not a time (2027-01-01T00:00:00+08:00)") from None
    if moment.tzinfo is None:
        raise Refusal(f"--at: {text!r} needs its UTC offset (2027-01-01T00:00:00+08:00)")
    return moment.astimezone(UTC)


def cmd_ledger_overdrafts(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.counter import OnlineCounter

    rows = OnlineCounter(open_ledger(args, data_dir)).overdrafts()
    out.result({"overdrafts": rows}, "\n".join(
        f"{r['recorded_at']} member {r['member_id']} on {r['channel']}: balance "
        f"{r['balance_after']}" for r in rows) or "No overdrafts.")
    return 0


def cmd_ledger_causes(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.causes import cause_totals

    with open_ledger(args, data_dir).engine.connect() as conn:
        rows = cause_totals(conn)
    out.result({"causes": rows}, "\n".join(
        f"{r['cause']}: {r['points']} points in {r['donations']} donations" for r in rows)
        or "No donations.")
    return 0


def cmd_ledger_rejections(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.counter import OnlineCounter

    rows = OnlineCounter(open_ledger(args, data_dir)).rejections(args.device)
    out.result({"rejections": [r.model_dump(mode="json") for r in rows]}, "\n".join(
        f"{r.device_id} #{r.device_seq} entry {r.entry_id}: {r.code}: {r.reason}"
        for r in rows) or "No rejections.")
    return 0


def cmd_ledger_clock_flags(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.counter import OnlineCounter

    rows = OnlineCounter(open_ledger(args, data_dir)).clock_flags(args.device)
    out.result({"clock_flags": [r.model_dump(mode="json") for r in rows]}, "\n".join(
        f"{r.device_id} #{r.device_seq} entry {r.entry_id}: dated "
        f"{r.occurred_at:%Y-%m-%d %H:%M}, after one dated "
        f"{r.latest_before:%Y-%m-%d %H:%M} UTC" for r in rows)
        or "No entries from a clock that was behind.")
    return 0


def _day(text: str) -> date:
    """A ``--from``/``--to`` date; argparse names the option when this refuses it."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD, e.g. 2027-03-01)")


def cmd_ledger_report(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.reports import ProgramReportWire, read_program_report

    try:
        found = read_program_report(open_ledger(args, data_dir), args.start, args.end)
    except PeriodProblem as exc:
        out.error("usage", f"kiosk ledger report: {exc}")
        return 2
    out.result(ProgramReportWire.of(found).model_dump(mode="json", by_alias=True),
               _report_text(found))
    return 0


def _report_text(found: ReportOf) -> str:
    """The report as a store owner reads it: money in the currency's major units."""
    r, span = found.report, found.report.period
    scale = Decimal(10) ** -found.minor_units

    def money(minor: int | Decimal | None) -> str:
        return "n/a" if minor is None else f"{found.currency} {Decimal(minor) * scale:,}"

    def rate(value: Decimal | None) -> str:
        return "n/a" if value is None else f"{value * 100:.2f}%"

    def basket(name: str, b: Basket) -> str:
        items = "n/a" if b.items_per_order is None else b.items_per_order
        return (f"{name}: {b.orders} orders, {money(b.net_paid_minor)} paid, average basket "
                f"{money(b.average_net_minor)}, {items} items per order")

    last = span.end - timedelta(days=1)
    lines = [f"Program report, {span.start} to {last} inclusive ({span.zone}):",
             f"Members enrolled: {r.enrolled}",
             basket("Members", r.members), basket("Non-members", r.non_members),
             f"Members' share of revenue: {rate(r.member_share_of_revenue)}",
             f"Points: {r.points_issued} issued, {r.points_redeemed} redeemed "
             f"(redemption rate {rate(r.redemption_rate)}), {r.points_expired} expired",
             f"Repeat rate: {rate(r.repeat_rate)} ({r.repeat_members} of the "
             f"{r.buying_members} members who bought did so twice or more)"]
    for c in r.channels:
        lines.append(f"  {c.channel}: {c.enrolled} enrolled; members {c.members.orders} "
                     f"orders, {money(c.members.net_paid_minor)}; non-members "
                     f"{c.non_members.orders} orders, {money(c.non_members.net_paid_minor)}; "
                     f"members' share {rate(c.member_share_of_revenue)}")
    return "\n".join(lines)


def add_commands(sub: Any, command: Any) -> None:
    """Register the sync and ledger commands on the ``kiosk`` parser."""
    p = command("sync", cmd_sync, "upload the outbox and pull from the ledger")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one round, then exit (default)")
    mode.add_argument("--forever", action="store_true", help="keep syncing until stopped")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between rounds")
    p.add_argument("--max-backoff", type=float, default=60.0,
                   help="longest wait between retries while the ledger is unreachable")

    p = command("move-ledger", cmd_move_ledger,
                "point this kiosk at its ledger's new address (checked before it is saved)")
    p.add_argument("url", help="e.g. https://ledger.example.com:8470")

    ledger = sub.add_parser("ledger", help="the central ledger service").add_subparsers(
        dest="ledger_command", required=True, parser_class=Parser)

    def ledger_command(name: str, handler: Any, help: str) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = command(name, on_its_database(handler), help,
                                             needs_kiosk=False, into=ledger)
        q.add_argument("--db", type=ledger_database,
                       help="database URL (default: SQLite in the data folder), "
                            "e.g. postgresql+psycopg://user@host/db")
        return q

    q = ledger_command("serve", cmd_ledger_serve, "run the ledger's HTTP API")
    q.add_argument("--host", default="127.0.0.1")
    q.add_argument("--port", type=int, default=8470)
    q.add_argument("--program", help="program document to publish if it is new")
    q.add_argument("--expire-every", type=float, default=3600, metavar="SECONDS",
                   help="run the ledger's jobs this often: the points expiry and the "
                        "referral bonuses (0: never; `ledger expire`, `ledger referrals`)")
    q.add_argument("--workers", type=int, default=1, metavar="N",
                   help="serve from N processes (PostgreSQL only): the ledger's checks of "
                        "uploaded orders are Python, and one process uses one core")
    add_device_commands(ledger_command)
    add_program_commands(ledger_command)
    q = ledger_command("revoke-card", cmd_ledger_revoke_card, "cancel a lost card")
    q.add_argument("card_no")
    ledger_command("check", cmd_ledger_check, "check the ledger's invariants")
    q = ledger_command("expire", cmd_ledger_expire,
                       "record the expiry of every lot of points that is due")
    q.add_argument("--at", help="as of this time (ISO 8601 with offset; default now)")
    q.add_argument("--program", help="program document to publish first if it is new")
    q = ledger_command("referrals", cmd_ledger_referrals,
                       "grant the referral bonuses that are due (the referred member's first "
                       "qualifying purchase is past the return window)")
    q.add_argument("--at", help="as of this time (ISO 8601 with offset; default now)")
    q.add_argument("--program", help="program document to publish first if it is new")
    q = ledger_command("overdrafts", cmd_ledger_overdrafts,
                       "balances that went negative when entries arrived")
    q = ledger_command("rejections", cmd_ledger_rejections,
                       "entries the ledger refused, per device, with the reason code")
    q.add_argument("--device", help="only this device's")
    q = ledger_command("clock-flags", cmd_ledger_clock_flags,
                       "entries dated well before an earlier entry of their device")
    q.add_argument("--device", help="only this device's")
    q = ledger_command("report", cmd_ledger_report,
                       "the program's numbers for a range of store days: enrolment, "
                       "baskets, redemption and repeat rates")
    q.add_argument("--from", dest="start", required=True, type=_day, metavar="YYYY-MM-DD",
                   help="the first day counted (the program's time zone)")
    q.add_argument("--to", dest="end", required=True, type=_day, metavar="YYYY-MM-DD",
                   help="the day after the last day counted: the range is [from, to)")
    q = ledger_command("causes", cmd_ledger_causes, "what members gave each cause")
    add_shop_commands(sub, command)

"""Sub-commands of ``kiosk`` that talk to or run the central ledger: ``kiosk sync`` and
``kiosk ledger serve|add-device|revoke-device|check``. Kept here so ``kiosk/`` itself
never imports an HTTP stack."""

from __future__ import annotations

import argparse
import gc
import os
import re
import signal
import sys
import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.app.cli_base import DEFAULT_PROGRAM, Output, Parser, code_quantity
from kiosk.app.cli_shop_cards import add_shop_card_commands
from kiosk.app.cli_shop_link import member_arg as _member_id
from kiosk.app.cli_shop_link import shop_client as _shop_client
from kiosk.reports import Basket, PeriodProblem
from kiosk.services import Kiosk
from kiosk.services.errors import InvalidInput, Refusal

if TYPE_CHECKING:
    from sync.client import LedgerClient
    from sync.server.reports import ReportOf

EXIT_OFFLINE = 4


def _now() -> datetime:
    return datetime.now(UTC)


def default_ledger_db(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'ledger.db'}"


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


def _ledger(args: argparse.Namespace, data_dir: Path) -> Any:
    from kiosk.awards import unapplied
    from kiosk.program import load_program
    from sync.server.db import ledger_engine, migrate
    from sync.server.ledger import Ledger

    url = args.db or default_ledger_db(data_dir)
    if url.startswith("sqlite"):
        data_dir.mkdir(parents=True, exist_ok=True)
    engine = ledger_engine(url)
    migrate(engine)
    ledger = Ledger(engine, _now)
    given = getattr(args, "program", None)
    program = load_program(Path(given) if given else DEFAULT_PROGRAM)
    # The shipped default only starts a new ledger: run on a store's ledger, a command
    # without --program (check, add-device, ...) must not make a newer default current.
    if ledger.initialise(program, first_only=not given):
        for part in unapplied(program):
            print(f"note: program {program.version}: {part}", file=sys.stderr)
    return ledger


def cmd_ledger_serve(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    import uvicorn

    from sync.server.app import create_app

    ledger = _ledger(args, data_dir)
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
        # database; migrated and published here, once.
        os.environ[_WORKER_DB] = args.db
        _serve_workers(uvicorn.Config(f"{__name__}:worker_app", factory=True,
                                      workers=args.workers, host=args.host, port=args.port,
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

    app = create_app(Ledger(ledger_engine(os.environ[_WORKER_DB]), _now))
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
    server's CPU per upload fell by a fifth to a third (bench/ledger_ingest.py).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def cmd_ledger_add_device(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.ledger import LedgerRefusal

    ledger = _ledger(args, data_dir)
    try:
        device_id, token = ledger.add_device(args.name, args.kind, args.store)
    except LedgerRefusal as exc:
        raise Refusal(str(exc)) from None
    out.result({"device_id": device_id, "kind": args.kind, "store": args.store,
                "token": token},
               f"Device {device_id} ({args.kind}) added. Its token, shown only now: {token}")
    return 0


def cmd_ledger_device_store(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.ledger import LedgerRefusal

    try:
        _ledger(args, data_dir).set_store(args.name, args.store)
    except LedgerRefusal as exc:
        raise Refusal(str(exc)) from None
    out.result({"device_id": args.name, "store": args.store},
               f"Device {args.name} stands in {args.store}: its store-limited promotions "
               "are judged with that store.")
    return 0


def store_name(text: str) -> str:
    """A store's name as orders carry it (1 to 200 characters, no control characters)."""
    from kiosk.limits import text_problem

    problem = text_problem(text)
    if not 0 < len(text) <= 200 or problem is not None:
        said = "" if problem is None else f": it {problem}"
        raise argparse.ArgumentTypeError(f"a store name is 1 to 200 characters{said}")
    return text


def cmd_ledger_revoke_device(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    _ledger(args, data_dir).revoke_device(args.name)
    out.result({"device_id": args.name, "revoked": True}, f"Device {args.name} revoked.")
    return 0


def cmd_ledger_revoke_card(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    _ledger(args, data_dir).revoke_card(args.card_no)
    out.result({"card_no": args.card_no, "revoked": True},
               f"Card {args.card_no} revoked; kiosks refuse it after their next sync.")
    return 0


def cmd_ledger_check(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    problems = _ledger(args, data_dir).check()
    out.result({"ok": not problems, "problems": problems},
               "Ledger OK." if not problems else "\n".join(problems))
    return 0 if not problems else 1


def cmd_ledger_expire(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    at = _parse_time(args.at) if args.at else None
    report = _ledger(args, data_dir).expire(at)
    out.result({"members": report.members, "entries": report.entries, "points": report.points},
               f"{report.points} points expired in {report.entries} lots "
               f"({report.members} members replayed).")
    return 0


def cmd_ledger_referrals(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    at = _parse_time(args.at) if args.at else None
    report = _referrals(_ledger(args, data_dir)).run(at)
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

    rows = OnlineCounter(_ledger(args, data_dir)).overdrafts()
    out.result({"overdrafts": rows}, "\n".join(
        f"{r['recorded_at']} member {r['member_id']} on {r['channel']}: balance "
        f"{r['balance_after']}" for r in rows) or "No overdrafts.")
    return 0


def cmd_ledger_causes(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.causes import cause_totals

    with _ledger(args, data_dir).engine.connect() as conn:
        rows = cause_totals(conn)
    out.result({"causes": rows}, "\n".join(
        f"{r['cause']}: {r['points']} points in {r['donations']} donations" for r in rows)
        or "No donations.")
    return 0


def cmd_ledger_rejections(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.counter import OnlineCounter

    rows = OnlineCounter(_ledger(args, data_dir)).rejections(args.device)
    out.result({"rejections": [r.model_dump(mode="json") for r in rows]}, "\n".join(
        f"{r.device_id} #{r.device_seq} entry {r.entry_id}: {r.code}: {r.reason}"
        for r in rows) or "No rejections.")
    return 0


def cmd_ledger_clock_flags(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from sync.server.counter import OnlineCounter

    rows = OnlineCounter(_ledger(args, data_dir)).clock_flags(args.device)
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
        found = read_program_report(_ledger(args, data_dir), args.start, args.end)
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
        q: argparse.ArgumentParser = command(name, handler, help, needs_kiosk=False,
                                             into=ledger)
        q.add_argument("--db", help="database URL (default: SQLite in the data folder), "
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
    q = ledger_command("add-device", cmd_ledger_add_device, "register a kiosk or the shop")
    q.add_argument("name")
    q.add_argument("--kind", choices=("kiosk", "shop", "admin"), default="kiosk")
    q.add_argument("--store", type=store_name, help="the store a kiosk stands in (its "
                   "store-limited promotions; else the store it names when it pairs)")
    q = ledger_command("device-store", cmd_ledger_device_store,
                       "set the store a kiosk stands in")
    q.add_argument("name")
    q.add_argument("store", type=store_name)
    q = ledger_command("revoke-device", cmd_ledger_revoke_device,
                       "withdraw a device's token and card key")
    q.add_argument("name")
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


# -- the online shop, played from the command line ----------------------------------------


def _order_out(out: Output, result: Any, verb: str) -> int:
    out.result(result.model_dump(mode="json"),
               f"{verb} {result.order_ref}: {result.points:+d} points; balance "
               f"{result.balance} ({result.tier})"
               + (" (already recorded)" if result.duplicate else "") + ".")
    return 0


def cmd_shop_order(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    """An online order of ``--amount`` (plus ``--shipping``, its own line), with what loyalty
    pays: ``--reward`` (free shipping among them), ``--coupon``, ``--points``."""
    from kiosk.engine.checkout import SHIPPING_LINE
    from kiosk.engine.orders import KEYED_AMOUNT
    from kiosk.money import to_minor
    from kiosk.program import parse_program
    from sync.protocol import OrderLineWire

    member = _member_id(args.member)
    client = _shop_client(args)
    program = parse_program(client.state().program, format="json")
    amount = to_minor(args.amount, program.minor_units)
    lines = []
    if args.shipping is not None:
        shipping = to_minor(args.shipping, program.minor_units)
        lines = [OrderLineWire(code=KEYED_AMOUNT, quantity=1, unit_price_minor=amount),
                 OrderLineWire(code=SHIPPING_LINE, quantity=1, unit_price_minor=shipping)]
        amount += shipping
    coupon = None
    if args.coupon is not None:
        try:
            coupon = uuid.UUID(args.coupon)
        except ValueError:
            raise InvalidInput(f"--coupon: {args.coupon!r} is not a coupon id") from None
    result = client.order(member, amount, args.order_ref, lines, reward_id=args.reward,
                          coupon_id=coupon, points=args.points)
    return _order_out(out, result, "Order")


def cmd_shop_refund(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    return _order_out(out, _shop_client(args).refund(args.order_ref, args.line or ()),
                      "Refund of")


def cmd_shop_redeem(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from kiosk.ledger import EntryKind
    from kiosk.program import parse_program

    client = _shop_client(args)
    program = parse_program(client.state().program, format="json")
    reward = program.reward(args.reward)
    if reward is None:
        raise Refusal(f"there is no reward {args.reward!r} in program {program.version}")
    seq, balance = _spend_online(client, args, member_id=_member_id(args.member),
                                 kind=EntryKind.REDEEM, points=-reward.cost,
                                 program_version=program.version, reward_id=reward.id,
                                 order_ref=args.order_ref)
    out.result({"reward": reward.id, "points": -reward.cost, "seq": seq,
                "balance": balance, "authorised": "online"},
               f"Redeemed {reward.names.en} online for {reward.cost} points; balance {balance}.")
    return 0


def cmd_shop_donate(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    """A member gives points to one of the program's causes through the shop's API: held and
    confirmed like a redemption (the ledger checks the cause and its bounds)."""
    from kiosk.engine.donations import cause_note
    from kiosk.ledger import EntryKind
    from kiosk.program import parse_program

    client = _shop_client(args)
    program = parse_program(client.state().program, format="json")
    cause = next((c for c in program.causes if c.id == args.cause), None)
    if cause is None:
        raise Refusal(f"there is no cause {args.cause!r} in program {program.version}")
    seq, balance = _spend_online(client, args, member_id=_member_id(args.member),
                                 kind=EntryKind.DONATE, points=-args.points,
                                 program_version=program.version, note=cause_note(cause.id))
    out.result({"cause": cause.id, "points": -args.points, "seq": seq, "balance": balance,
                "authorised": "online"},
               f"Thank you: {args.points} points given to {cause.names.en}; "
               f"balance {balance}.")
    return 0


def _spend_online(client: LedgerClient, args: argparse.Namespace, **fields: Any
                  ) -> tuple[int | None, int]:
    """Hold and confirm an entry that spends points (a redemption, a donation) on the
    shop's channel; an option the ledger's wire would refuse is named. Returns the
    entry's seq and the member's balance after it."""
    from pydantic import ValidationError

    from kiosk.ids import new_id
    from sync.protocol import EntryWire

    try:
        entry = EntryWire(id=new_id(), channel=args.channel, occurred_at=_now(), **fields)
    except ValidationError as exc:  # --channel or --order-ref the ledger would refuse
        first = exc.errors()[0]
        option = "--" + "-".join(str(part) for part in first["loc"]).replace("_", "-")
        raise InvalidInput(f"{option}: {first['msg']}") from None
    client.reserve(entry)
    result = client.confirm(entry.id)
    return result.seq, client.balance(entry.member_id)


def cmd_shop_member(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    member = _member_id(args.member)
    history = _shop_client(args).member(member)
    out.result(history.model_dump(mode="json"),
               f"{history.member.name}: {history.balance} points ({history.available} "
               f"available), {history.tier}; {len(history.entries)} recent entries.")
    return 0


def add_shop_commands(sub: Any, command: Any) -> None:
    shop = sub.add_parser("shop", help="play the online shop against a ledger").add_subparsers(
        dest="shop_command", required=True, parser_class=Parser)

    def shop_command(name: str, handler: Any, help: str) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = command(name, handler, help, needs_kiosk=False,
                                             into=shop)
        q.add_argument("--ledger-url", required=True)
        q.add_argument("--token", help="the shop's device token (or COUNTERPOINT_SHOP_TOKEN)")
        return q

    q = shop_command("order", cmd_shop_order, "award points for an online order")
    q.add_argument("--member", required=True, help="member id")
    q.add_argument("--amount", required=True)
    q.add_argument("--order-ref", required=True)
    q.add_argument("--shipping", help="the shipping fee, as its own line (free shipping "
                                      "takes it off)")
    q.add_argument("--reward", help="a reward id from the program (e.g. free shipping)")
    q.add_argument("--coupon", help="a coupon id the member holds")
    q.add_argument("--points", type=int, default=0, help="points used as money")
    q = shop_command("refund", cmd_shop_refund, "refund an online order, whole or by line")
    q.add_argument("--order-ref", required=True)
    q.add_argument("--line", action="append", type=code_quantity, metavar="CODE:QTY",
                   help="refund QTY of the line(s) with product code CODE (repeatable)")
    q = shop_command("redeem", cmd_shop_redeem, "redeem a reward online (held, confirmed)")
    q.add_argument("--member", required=True)
    q.add_argument("--reward", required=True)
    q.add_argument("--order-ref")
    q.add_argument("--channel", default="web", help="the shop's channel name")
    q = shop_command("donate", cmd_shop_donate, "give a member's points to a cause online")
    q.add_argument("--member", required=True)
    q.add_argument("--cause", required=True, help="a cause id from the program")
    q.add_argument("--points", required=True, type=int)
    q.add_argument("--channel", default="web", help="the shop's channel name")
    q = shop_command("member", cmd_shop_member, "a member's unified balance and history")
    q.add_argument("--member", required=True)
    add_shop_card_commands(shop_command)  # member-find, card-reissue: a lost card

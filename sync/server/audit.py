"""The ledger's audit of an upload: the pure rules of ``kiosk/audit.py`` for every entry,
plus the one thing they need the ledger's data for, whether the member could hold the tier
an earn entry claims.

The tier check is an upper bound, not a replay: the counter counted spend in its window
from what it knew; the ledger knows at least that (a kiosk learns other channels' entries
only from the ledger, and its own go up in order), so it adds up the member's purchases
in a window a day wider, without subtracting refunds (one the counter had not heard of yet
must not make an honest claim look false). A claim above that is one no counter could
have made. Only claims above the first tier cost a query, one per upload.

An entry of an order the ledger has (sent with it, or stored) is checked against what the
rules give for that order instead, and a once-only bonus on the ``program`` channel
against the member's facts (``order_audit.py``): a query per upload each, when needed.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Table, and_, func, or_, select

from kiosk.audit import (
    FUTURE_TOLERANCE,
    TIER_WINDOW_SLACK,
    Audited,
    Rejected,
    Rejection,
    audit,
    tier_not_held,
    tier_not_reached,
)
from kiosk.awards import DERIVED_CHANNEL, awards_for_order, expected_entries
from kiosk.engine.orders import Awards
from kiosk.engine.record import OrderRecord
from kiosk.engine.tier_policy import Event
from kiosk.ledger import SPEND_KINDS, EntryKind, entry_problem
from kiosk.program import Program, Tier
from kiosk.program_versions import Timetable
from kiosk.tiers import TIER_POINT_KINDS, earns_tier_points, tier_history_start
from sync.protocol import EntryWire, MemberWire
from sync.server import models as m
from sync.server.bulk import array_type, pg_cursor
from sync.server.checkout_audit import checkout_problems
from sync.server.db import one_statement
from sync.server.entry_rows import as_utc
from sync.server.floor_limits import floor_limit_problems
from sync.server.order_audit import (
    ORDER_KINDS,
    Expected,
    derived_verdict,
    member_facts,
    order_records,
    order_verdict,
    orderless_bonus,
    version_verdict,
)
from sync.server.orders import orders_with_earn
from sync.server.programs import timetable

_ENTRIES: Table = m.Entry.__table__  # type: ignore[assignment]

Programs = Callable[[str, Connection], Program | None]
Worked = dict[tuple[str, str], Awards]
"""The awards the audit worked out for each (channel, order ref) of an upload: the coupons
the orders issue when they are stored come from them (the rules run once an order)."""


def audit_upload(conn: Connection, device: str, entries: Sequence[EntryWire],
                 programs: Programs, now: datetime, *,
                 orders: Mapping[str, OrderRecord] | None = None,
                 members: Sequence[MemberWire] = (),
                 worked: Worked | None = None, held: bool = False,
                 read_ahead: bool = False) -> dict[uuid.UUID, Rejection]:
    """Every entry of the upload the ledger refuses, with the reason (the first copy of an
    id decides; a reversal's original is checked by the caller, which looks it up).
    ``orders`` (as records, by ref: ``orders.sent_records``) and ``members`` are the
    request's: an entry of an order (this request's or
    one stored) is checked against that order's rules (``order_audit.py``), and a derived
    bonus against the member's facts. ``held``: the entries are being held online
    (``counter.hold_points``), so the offline floor limits don't apply. ``read_ahead``:
    the caller's transaction has written nothing yet, so the members' purchases for the
    tier claims may be read on a connection of their own while the rules run
    (:func:`_purchases_ahead`)."""
    out: dict[uuid.UUID, Rejection] = {}
    tiers: list[tuple[EntryWire, Program, Tier]] = []
    seen: set[uuid.UUID] = set()
    versions: dict[str, Program | None] = {}  # an upload names one version, mostly

    def program_of(version: str) -> Program | None:
        if version not in versions:
            versions[version] = programs(version, conn)
        return versions[version]

    todo: list[EntryWire] = []
    for e in entries:
        if e.id in seen:
            continue  # a second copy is answered by comparing it with the first
        seen.add(e.id)
        shape = entry_problem(e.kind, e.points, e.amount_minor, e.channel, e.occurred_at,
                              e.reverses)
        if shape is not None:
            out[e.id] = Rejection(Rejected.ENTRY_RULES, shape)
        else:
            todo.append(e)
    early = _purchases_ahead(conn, todo, program_of) if read_ahead else None
    records = order_records(conn, device, todo, orders or {})
    in_force: Timetable[str] | None = None  # the versions' times, read once if needed
    if records:  # their store and the versions' times in one read
        store, in_force = _store_and_timetable(conn, device)
        records = _at_its_store(store, records)
    derived = {e.member_id for e in todo if e.channel == DERIVED_CHANNEL}
    facts = member_facts(conn, derived, members, orders) if derived else {}
    expected: dict[str, Expected] = {}  # what the rules give for each order, once
    # Per order, once: its program, whether its version was in force at its date, and
    # what its rules give (worked out when its first entry asks). An order has 3-4
    # entries, so judging each of them from scratch did the order's part 3-4 times.
    judged: dict[str, tuple[Program | None, Rejection | None, Callable[[], Expected]]] = {}
    for e in todo:
        record = (records.get(e.order_ref) if e.order_ref is not None and e.channel == device
                  and e.kind in ORDER_KINDS and e.reverses is None else None)
        verdict: Rejection | Audited | None
        if e.channel == DERIVED_CHANNEL:
            program = program_of(e.program_version)
            verdict = derived_verdict(e, program, facts, now)
            if verdict is None and program is not None:
                # Dated by its fact, granted by a sale since: its version was in force at
                # some moment from that date (less the grace) to now, not one replaced
                # before it (second review 27: an old, more generous version's birthday).
                if in_force is None:
                    in_force = timetable(conn)
                verdict = version_verdict(
                    in_force, e.program_version, e.occurred_at, program_of, f"entry {e.id}",
                    early=max(now - e.occurred_at, timedelta(0)) + FUTURE_TOLERANCE)
        elif record is not None:
            ref = record.order.order_ref
            if ref not in judged:
                if in_force is None:
                    in_force = timetable(conn)
                program = program_of(record.program_version)
                judged[ref] = (program, version_verdict(
                    in_force, record.program_version, record.order.occurred_at, program_of,
                    f"order {ref!r}"),
                               partial(_expected, expected, record, program,
                                       {} if worked is None else worked))
            program, out_of_force, rules = judged[ref]
            verdict = out_of_force or order_verdict(e, record, program, rules, now)
        else:
            program = program_of(e.program_version)
            verdict = audit(e, device=device, program=program, received_at=now)
            if isinstance(verdict, Rejection) and verdict.code is Rejected.BONUS:
                verdict = orderless_bonus(e, program) or verdict
            if not isinstance(verdict, Rejection) and program is not None:
                # Held to the version in force at its date as an order is (a sign-up
                # bonus, dated at the enrolment, was in force then too).
                if in_force is None:
                    in_force = timetable(conn)
                verdict = version_verdict(in_force, e.program_version, e.occurred_at,
                                          program_of, f"entry {e.id}") or verdict
        if isinstance(verdict, Rejection):
            out[e.id] = verdict
        elif (verdict is not None and verdict.tier is not None and program is not None
              and verdict.tier is not program.tiers[0]):
            tiers.append((e, program, verdict.tier))
    if tiers:
        out.update(_tiers_not_held(conn, entries, tiers, early))
    # A checkout's order and its redemption agree on the points spent (issue 15).
    out.update(checkout_problems(conn, device, todo, orders or {}, program_of, out))
    # Offline spends and adjustments within the program's daily bounds (floor_limits.py).
    out.update(floor_limit_problems(conn, device, todo, program_of, out, held=held))
    out.update(_without_their_earn(conn, device, todo, records, out))
    return out


def _at_its_store(store: str | None, records: dict[str, OrderRecord]
                  ) -> dict[str, OrderRecord]:
    """The orders as rung up in the store the ledger has for their device (recorded when
    it paired, or by the operator): a store-limited promotion is judged with that, not with
    the store an order names (any kiosk's token could name the flagship's)."""
    return {ref: r if r.order.store == store else replace(r, order=replace(r.order,
                                                                           store=store))
            for ref, r in records.items()}


# The device's store beside every published version, in one read (a row even if no version
# were published): each read of an upload is a round trip to a database the ledger's
# workers share two cores with.
_STORE_AND_TIMES = (
    "SELECT d.store_name, p.effective_from, p.version "
    "FROM (SELECT (SELECT store_name FROM devices WHERE id = %(d)s) AS store_name) d "
    "LEFT JOIN programs p ON true ORDER BY p.effective_from, p.published_at, p.version")


def _store_and_timetable(conn: Connection, device: str
                         ) -> tuple[str | None, Timetable[str]]:
    """The store the ledger has for ``device`` and the versions' timetable. On PostgreSQL
    one statement on the driver's cursor, as the other reads of an upload: through
    SQLAlchemy the statement's compiling and result handling cost more than the read."""
    if conn.dialect.name == "postgresql":
        with pg_cursor(conn, named=False) as cur:
            cur.execute(_STORE_AND_TIMES, {"d": device})
            rows: list[Any] = cur.fetchall()
        return rows[0][0], Timetable.of((as_utc(at), version) for _, at, version in rows
                                        if version is not None)
    found: str | None = conn.execute(select(m.Device.store_name)
                                     .where(m.Device.id == device)).scalar()
    return found, timetable(conn)


def _without_their_earn(conn: Connection, device: str, todo: Sequence[EntryWire],
                        records: Mapping[str, OrderRecord], out: Mapping[uuid.UUID, Rejection]
                        ) -> dict[uuid.UUID, Rejection]:
    """An order is judged once: its other entries (a promotion's points, its stamps) stand
    only with its base earn, accepted in this upload or on the ledger before. Checked alone,
    an order above the sale limit, or at a tier the member doesn't hold, had its earn
    refused and its promotion's points taken."""
    rest: dict[str, list[EntryWire]] = defaultdict(list)
    earns: dict[str, EntryWire] = {}
    for e in todo:
        if (e.channel != device or e.order_ref is None or e.reverses is not None
                or e.order_ref not in records or e.kind not in ORDER_KINDS):
            continue
        if e.kind is EntryKind.EARN and e.note is None:
            earns.setdefault(e.order_ref, e)
        else:
            rest[e.order_ref].append(e)
    if not rest:
        return {}
    stored = orders_with_earn(conn, device, set(rest) - set(earns))
    refused: dict[uuid.UUID, Rejection] = {}
    for ref, others in rest.items():
        earn = earns.get(ref)
        if earn is None:
            why = None if ref in stored else "its earn is not on the ledger"
        else:
            rejection = out.get(earn.id)
            why = None if rejection is None else f"its earn was refused ({rejection.code})"
        if why is not None:
            refused.update({e.id: Rejection(Rejected.ORDER_AWARDS, f"order {ref!r}: {why}, "
                                            "and its other awards go with it")
                            for e in others if e.id not in out})
    return refused


def _expected(cache: dict[str, Expected], record: OrderRecord, program: Program | None,
              worked: Worked) -> Expected:
    """What the rules give for the order, worked out once an upload; its awards are kept
    in ``worked`` for the coupons the order issues when it is stored."""
    ref = record.order.order_ref
    if ref not in cache:
        assert program is not None  # an order under an unknown version is refused first
        awards = awards_for_order(program, record.order, record.state)
        worked[(record.order.channel, ref)] = awards
        cache[ref] = expected_entries(program, record, awards)
    return cache[ref]


def _tiers_not_held(conn: Connection, entries: Sequence[EntryWire],
                    claims: list[tuple[EntryWire, Program, Tier]],
                    early: _Ahead | None = None) -> dict[uuid.UUID, Rejection]:
    out: dict[uuid.UUID, Rejection] = {}
    window = [c for c in claims if c[1].tier_by_window_spend]
    if window:
        out.update(_window_tiers_not_held(conn, entries, window, early))
    replayed = [c for c in claims if not c[1].tier_by_window_spend]
    if replayed:
        out.update(_policy_tiers_not_held(conn, entries, replayed))
    return out


def _window_tiers_not_held(conn: Connection, entries: Sequence[EntryWire],
                           claims: list[tuple[EntryWire, Program, Tier]],
                           early: _Ahead | None = None) -> dict[uuid.UUID, Rejection]:
    since = min(_window_start(e, p) for e, p, _ in claims)
    members = {e.member_id for e, _, _ in claims}
    # Read ahead for the same window and these members (a member's sum is the same
    # whichever others are read with it), or read now.
    known = (early.known.result() if early is not None and early.since == since
             and members <= early.members and early.reading()
             else _purchases_since(conn, members, since))
    # Purchases earlier in this same upload count too (a sale that lifted the member into
    # silver, then a sale at silver). Ones already on the ledger (a replay) are counted
    # above as well, which only makes the bound looser.
    ahead: dict[uuid.UUID, int] = {}
    running: dict[uuid.UUID, int] = defaultdict(int)
    for e in entries:
        ahead.setdefault(e.id, running[e.member_id])
        if e.kind is EntryKind.EARN and e.amount_minor > 0:
            running[e.member_id] += e.amount_minor
    out: dict[uuid.UUID, Rejection] = {}
    for e, program, tier in claims:
        spend = int(known.get(e.member_id) or 0) + ahead[e.id]
        problem = tier_not_held(program, tier, spend)
        if problem is not None:
            out[e.id] = problem
    return out


def _window_start(e: EntryWire, program: Program) -> datetime:
    return e.occurred_at - timedelta(days=program.tier_rule.window_days) - TIER_WINDOW_SLACK


# The window's purchases read ahead (PostgreSQL): the query is a look-up of each claiming
# member's entries, ~140 in a busy upload (2.3-2.6 ms of PostgreSQL), and the upload waited
# for it between the rules' run and its orders' insert; read on a connection of its own as
# soon as the entries are known, it runs while the rules do. Its snapshot is taken a few
# ms earlier than the transaction's would have been, both before the head's lock, where
# no order between them is promised to a concurrent upload.
_READS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="purchases")


@dataclass(frozen=True)
class _Ahead:
    since: datetime
    members: frozenset[uuid.UUID]
    known: Future[dict[uuid.UUID, int]]
    connected: threading.Event = field(default_factory=threading.Event)

    def reading(self) -> bool:
        """Whether the read has its connection (so its answer is on its way): one still
        waiting for the pool, which every upload's own transaction may be holding, is
        never waited for; the audit reads on its own connection instead."""
        return self.known.done() or self.connected.is_set()


def _purchases_ahead(conn: Connection, todo: Sequence[EntryWire],
                     program_of: Callable[[str], Program | None]) -> _Ahead | None:
    """The purchases the window's tier claims will ask for, read now on another
    connection: for every earn that could claim a tier above its program's first (its
    tier named and not the first, or not named: a legacy entry's is the lowest that gives
    its points), from the earliest window start among them. The claims the audit finds
    are among these; :func:`_window_tiers_not_held` uses the read only if their window
    starts at the same instant, and reads again otherwise."""
    if conn.dialect.name != "postgresql":
        return None
    since: datetime | None = None
    members: set[uuid.UUID] = set()
    for e in todo:
        if e.kind is not EntryKind.EARN or e.channel == DERIVED_CHANNEL:
            continue
        program = program_of(e.program_version)
        if (program is None or not program.tier_by_window_spend
                or e.tier == program.tiers[0].id):
            continue
        start = _window_start(e, program)
        since = start if since is None or start < since else since
        members.add(e.member_id)
    if since is None:
        return None
    connected = threading.Event()
    return _Ahead(since, frozenset(members),
                  _READS.submit(_read_purchases, conn.engine, members, since, connected),
                  connected)


def _read_purchases(engine: Engine, members: set[uuid.UUID], since: datetime,
                    connected: threading.Event) -> dict[uuid.UUID, int]:
    with one_statement(engine) as conn:
        connected.set()
        return _purchases_since(conn, members, since)


def _policy_tiers_not_held(conn: Connection, entries: Sequence[EntryWire],
                           claims: list[tuple[EntryWire, Program, Tier]]
                           ) -> dict[uuid.UUID, Rejection]:
    """Under a tier policy other than the window's spend: the policy replayed at the
    entry's own instant (the counter's clock when it worked the tier out) over the
    member's gross events, the ledger's since the policy's history bound and this
    upload's earlier ones. The tier only rises with more spend or points, so leaving out
    refunds (and counting a replayed entry twice) makes this an upper bound on what any
    counter could have worked out, as for the window's spend."""
    out: dict[uuid.UUID, Rejection] = {}
    by_basis: dict[str, list[tuple[EntryWire, Program, Tier]]] = defaultdict(list)
    for claim in claims:
        by_basis[claim[1].tier_rule.basis].append(claim)
    for basis, group in by_basis.items():
        since = min(tier_history_start(p, e.occurred_at) for e, p, _ in group)
        known = member_tier_events(conn, {e.member_id for e, _, _ in group}, since,
                                   "points" if basis == "points" else "spend", gross=True)
        ahead: dict[uuid.UUID, int] = {}  # how many of the member's upload events precede
        running: dict[uuid.UUID, list[Event]] = defaultdict(list)
        for e in entries:
            ahead.setdefault(e.id, len(running[e.member_id]))
            amount = _gross_event(e, basis)
            if amount:
                running[e.member_id].append((e.occurred_at, amount))
        for e, program, tier in group:
            events = known.get(e.member_id, []) + running[e.member_id][:ahead[e.id]]
            problem = tier_not_reached(program, tier, events, e.occurred_at)
            if problem is not None:
                out[e.id] = problem
    return out


def _gross_event(e: EntryWire, basis: str) -> int:
    if basis == "points":
        counts = earns_tier_points(e.kind, e.points, e.order_ref) and e.points > 0
        return e.points if counts else 0
    return max(e.amount_minor, 0) if e.kind is EntryKind.EARN else 0


def member_tier_events(conn: Connection, members: set[uuid.UUID], since: datetime,
                       basis: Literal["spend", "points"], *, gross: bool
                       ) -> dict[uuid.UUID, list[Event]]:
    """Each member's qualifying events on the ledger dated ``since`` or later, as
    :func:`kiosk.tiers.tier_standing` takes them: (occurred_at, spend) of each entry
    with a spend, or (occurred_at, points) of the entries
    :func:`kiosk.tiers.earns_tier_points` counts. ``gross``: purchases only, refunds
    left out (the audit's upper bound). Read only under a tier policy other than the
    rolling window's spend."""
    e = _ENTRIES.c
    if basis == "spend":
        query = select(e.member_id, e.occurred_at, e.amount_minor).where(
            e.amount_minor > 0 if gross else e.amount_minor != 0,
            e.kind.in_([k.value for k in SPEND_KINDS]))  # a sale's spend, no other
    else:
        earned = e.kind.in_([k.value for k in TIER_POINT_KINDS])
        query = select(e.member_id, e.occurred_at, e.points).where(
            e.order_ref.is_not(None),
            and_(earned, e.points > 0) if gross else or_(
                earned, and_(e.kind == EntryKind.REVERSE.value, e.points < 0)))
    out: dict[uuid.UUID, list[Event]] = defaultdict(list)
    for member, at, amount in conn.execute(query.where(e.member_id.in_(members),
                                                       e.occurred_at >= since)):
        out[member].append((as_utc(at), int(amount)))
    return dict(out)


def _purchases_since(conn: Connection, members: set[uuid.UUID], since: datetime
                     ) -> dict[uuid.UUID, int]:
    """Each member's purchases (earns' amounts above zero) dated ``since`` or later. On PostgreSQL
    the ids go as one binary array (an IN list of a few hundred parameters cost more to
    build than the query took), each member's entries summed by a look-up of their own:
    ``member_id = ANY(...)`` was planned as a scan of every entry while a new ledger's
    table had no statistics yet (5-9 ms an upload)."""
    e = _ENTRIES.c
    if conn.dialect.name == "postgresql":
        with pg_cursor(conn, named=False) as cur:
            cur.execute(
                "SELECT q.member, (SELECT sum(amount_minor) FROM entries "
                "WHERE member_id = q.member AND amount_minor > 0 AND kind = 'earn' "
                "AND occurred_at >= %(since)s) "
                f"FROM unnest(CAST(%(v)b AS {array_type(_ENTRIES, 'member_id', conn.dialect)})) "
                "AS q(member)", {"v": list(members), "since": since})
            return {row[0]: int(row[1]) for row in cur.fetchall() if row[1] is not None}
    return {row[0]: int(row[1]) for row in conn.execute(
        select(e.member_id, func.sum(e.amount_minor))
        .where(e.member_id.in_(members), e.amount_minor > 0, e.occurred_at >= since,
               e.kind == EntryKind.EARN.value)
        .group_by(e.member_id))}

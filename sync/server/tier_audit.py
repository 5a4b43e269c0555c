"""The audit's tier check: whether the member could hold the tier an earn entry claims,
the one rule of an upload's audit (``audit.py``) that needs the member's history on the
ledger. Separate for that read, and for reading it ahead on a connection of its own while
the rules run.

The tier check is an upper bound, not a replay: the counter counted spend in its window
from what it knew; the ledger knows at least that (a kiosk learns other channels' entries
only from the ledger, and its own go up in order), so it adds up the member's purchases
in a window a day wider, without subtracting refunds (one the counter had not heard of yet
must not make an honest claim look false). A claim above that is one no counter could
have made. Only claims above the first tier cost a query, one per upload.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Connection, Engine, Table, and_, func, or_, select

from kiosk.audit import TIER_WINDOW_SLACK, Rejection, tier_not_held, tier_not_reached
from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.tier_policy import Event
from kiosk.ledger import SPEND_KINDS, EntryKind
from kiosk.program import Program, Tier
from kiosk.tiers import TIER_POINT_KINDS, earns_tier_points, tier_history_start
from sync.protocol import EntryWire
from sync.server import models as m
from sync.server.bulk import array_type, pg_cursor
from sync.server.db import one_statement
from sync.server.entry_rows import as_utc

_ENTRIES: Table = m.Entry.__table__  # type: ignore[assignment]


def tiers_not_held(conn: Connection, entries: Sequence[EntryWire],
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


def purchases_ahead(conn: Connection, todo: Sequence[EntryWire],
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

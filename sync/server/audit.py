"""The ledger's audit of an upload: the pure rules of ``kiosk/audit.py`` for every entry,
plus what they need the ledger's data for: whether the member could hold the tier an earn
entry claims (``tier_audit.py``), and, for an entry of an order the ledger has (sent with
it, or stored), what the rules give for that order instead, and for a once-only bonus on
the ``program`` channel, the member's facts (``order_audit.py``): a query per upload each,
when needed. Then a checkout's redemption against its order (``checkout_audit.py``), the
offline floor limits (``floor_limits.py``), and an order's other awards only with its earn.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Connection, select

from kiosk.audit import FUTURE_TOLERANCE, Audited, Rejected, Rejection, audit
from kiosk.awards import DERIVED_CHANNEL, awards_for_order, expected_entries
from kiosk.engine.bonuses import FIRST_PURCHASE
from kiosk.engine.orders import Awards
from kiosk.engine.record import OrderRecord
from kiosk.ledger import EntryKind, entry_problem
from kiosk.program import Program, Tier
from kiosk.program_versions import Timetable
from sync.protocol import EntryWire, MemberWire
from sync.server import models as m
from sync.server.bulk import pg_cursor
from sync.server.checkout_audit import checkout_problems
from sync.server.entry_rows import as_utc
from sync.server.floor_limits import floor_limit_problems
from sync.server.order_audit import (
    ORDER_KINDS,
    Expected,
    MemberFacts,
    derived_verdict,
    member_facts,
    order_records,
    order_verdict,
    orderless_bonus,
    version_verdict,
)
from sync.server.orders import orders_with_earn
from sync.server.programs import timetable
from sync.server.tier_audit import purchases_ahead, tiers_not_held

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
    (``tier_audit.purchases_ahead``)."""
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
    early = purchases_ahead(conn, todo, program_of) if read_ahead else None
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
                since = _granted_since(e, facts.get(e.member_id), now)
                verdict = version_verdict(
                    in_force, e.program_version, since, program_of, f"entry {e.id}",
                    early=max(now - since, timedelta(0)) + FUTURE_TOLERANCE)
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
        out.update(tiers_not_held(conn, entries, tiers, early))
    # A checkout's order and its redemption agree on the points spent (issue 15).
    out.update(checkout_problems(conn, device, todo, orders or {}, program_of, out))
    # Offline spends and adjustments within the program's daily bounds (floor_limits.py).
    out.update(floor_limit_problems(conn, device, todo, program_of, out, held=held))
    out.update(_without_their_earn(conn, device, todo, records, out))
    return out


def _granted_since(e: EntryWire, facts: MemberFacts | None, now: datetime) -> datetime:
    """The moment from which a derived bonus's version must have been in force: its date;
    for a first-purchase bonus, which may be dated before enrolment (the purchase, when a
    clock ran ahead at enrolment), not before the enrolment as far as it has happened
    (second review 28: dated years back, it named a version replaced before the member
    enrolled, 500 points where the program gives 30)."""
    if e.note != FIRST_PURCHASE or facts is None or facts.enrolled_at is None:
        return e.occurred_at
    return max(e.occurred_at, min(as_utc(facts.enrolled_at), now))


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

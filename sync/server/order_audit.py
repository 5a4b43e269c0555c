"""The ledger's check of entries that belong to a recorded order, and of entries with a
derived id (DESIGN, the program engine, points 3, 4 and 8).

An entry that names an order the ledger has (uploaded with it, or before) is compared with
what the rules give for that order, re-run under the version the order names with the
member state it records (``kiosk.awards.expected_entries``): by the entry's note (None for
the base earn), its kind, points and spend must match, and its version, tier, member and
date must be the order's. An entry on the ``program`` channel (a once-only bonus under a
derived id) may come from any device, and is checked against the member's birthday,
enrolment and orders as the ledger holds them (``kiosk.awards.derived_problem``).

Each needs one query per upload at most: the orders the entries name, and the members of
the derived entries.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, func, select

from kiosk.audit import (
    FUTURE_TOLERANCE,
    SIGNUP,
    Audited,
    Rejected,
    Rejection,
    loyalty_problem,
)
from kiosk.awards import derived_problem
from kiosk.engine.record import OrderRecord
from kiosk.ledger import EntryKind
from kiosk.program import Program
from kiosk.program_versions import Timetable, version_problem
from sync.protocol import EntryWire, MemberWire
from sync.server import models as m
from sync.server.orders import records_of

ORDER_KINDS = frozenset({EntryKind.EARN, EntryKind.BONUS, EntryKind.STAMP})
"""The kinds an order's entries are (``kiosk.awards.order_entries``); a stamp entry is
one only as an order's (a refund's, which reverses one, is checked against that one)."""

ProgramOf = Callable[[str], Program | None]
Expected = dict[str | None, tuple[EntryKind, int, int]]


def order_records(conn: Connection, device: str, entries: Sequence[EntryWire],
                  sent: Mapping[str, OrderRecord]) -> dict[str, OrderRecord]:
    """The orders on ``device``'s channel the entries name, by ref: this request's
    (``sent``, by ref: ``orders.sent_records``), and the rest as the ledger stores them
    (one query)."""
    named = {e.order_ref for e in entries
             if e.order_ref is not None and e.channel == device and e.kind in ORDER_KINDS}
    if not named:
        return {}
    out = {ref: r for ref, r in sent.items() if r.order.channel == device and ref in named}
    out.update(records_of(conn, device, named - out.keys()))
    return out


@dataclass(frozen=True, slots=True)
class MemberFacts:
    birthday: date | None
    enrolled_at: datetime | None
    purchased_minor: int = 0  # the most they paid in one order the ledger has: 0, none


def member_facts(conn: Connection, ids: Collection[uuid.UUID],
                 members: Sequence[MemberWire],
                 sent: Mapping[str, OrderRecord] | None = None
                 ) -> dict[uuid.UUID, MemberFacts]:
    """The stable facts of these members as the ledger holds them (one query), with their
    largest order's net paid (a first-purchase bonus needs a purchase; an order stored with
    this upload counts, on the path that stores orders before the audit); a member in
    this request counts when the ledger has none, or only a card's pending profile, which
    the request's complete one replaces."""
    if not ids:
        return {}
    c, o = m.Member.__table__.c, m.Order.__table__.c
    paid = select(func.max(o.net_paid_minor)).where(o.member_id == c.id).scalar_subquery()
    out: dict[uuid.UUID, MemberFacts] = {}
    pending: set[uuid.UUID] = set()
    for row in conn.execute(select(c.id, c.birthday, c.enrolled_at, c.profile_pending,
                                   paid.label("paid")).where(c.id.in_(list(ids)))):
        # A pending profile's facts are no one's word (a card's scanner guessed them).
        out[row.id] = (MemberFacts(None, None) if row.profile_pending
                       else MemberFacts(row.birthday, row.enrolled_at, row.paid or 0))
        if row.profile_pending:
            pending.add(row.id)
    for w in members:
        if w.id in ids and (w.id not in out or (w.id in pending and not w.profile_pending)):
            out[w.id] = MemberFacts(w.birthday, w.enrolled_at)
    # The upload's own orders count as the stored ones do (both are the device's word):
    # else a first purchase sent with its order was refused on the path that audits
    # before it stores, and went again one entry at a time.
    for record in (sent or {}).values():
        member = record.order.member_id
        facts = None if member is None else out.get(member)
        if member is not None and facts is not None:
            out[member] = replace(facts, purchased_minor=max(facts.purchased_minor,
                                                             record.order.net_paid_minor))
    return out


def _future(e: EntryWire, now: datetime) -> Rejection | None:
    if e.occurred_at > now + FUTURE_TOLERANCE:
        return Rejection(Rejected.FUTURE, f"dated {e.occurred_at.isoformat()}, after the "
                         f"ledger's clock ({now.isoformat()}): check the device's clock")
    return None


def _unknown(version: str) -> Rejection:
    return Rejection(Rejected.UNKNOWN_VERSION, f"program version {version!r} was never "
                     "published")


def _awards(message: str) -> Rejection:
    return Rejection(Rejected.ORDER_AWARDS, message)


def version_verdict(timetable: Timetable[str], version: str, at: datetime,
                    program_of: Callable[[str], Program | None], subject: str,
                    early: timedelta = FUTURE_TOLERANCE) -> Rejection | None:
    """An order or entry (``subject``, as the refusal names it) under a version not in
    force at its date ``at``, nor replaced within the grace before it
    (``kiosk.program_versions.version_problem``): a stolen token can't ring up under a
    superseded, more generous version, and an honest kiosk that was offline when the next
    one was announced is not refused."""

    def grace(successor: str) -> timedelta:
        program = program_of(successor)
        return timedelta(hours=0 if program is None else program.offline.version_grace_hours)

    problem = version_problem(timetable, version, at, grace, early=early)
    return None if problem is None else Rejection(
        Rejected.VERSION_NOT_IN_FORCE, f"{subject}: {problem}")


def order_verdict(e: EntryWire, record: OrderRecord, program: Program | None,
                  expected: Callable[[], Expected], now: datetime) -> Rejection | Audited:
    """An entry of a recorded order, against what the rules give for that order."""
    order, state, ref = record.order, record.state, record.order.order_ref
    if program is None:
        return _unknown(record.program_version)
    future = _future(e, now)
    if future is not None:
        return future
    if state is None or order.member_id != e.member_id:
        return _awards(f"order {ref!r} is not this member's: it earns them nothing")
    if e.program_version != record.program_version:
        return _awards(f"order {ref!r} was rung up under program {record.program_version}, "
                       f"not {e.program_version}")
    if e.tier != state.tier:
        return _awards(f"order {ref!r} was rung up at tier {state.tier}, not {e.tier}")
    if e.occurred_at != order.occurred_at:
        return _awards(f"order {ref!r} was rung up at {order.occurred_at.isoformat()}")
    if e.kind is EntryKind.EARN and e.note is None:  # the order's base earn: first, is the
        loyalty = loyalty_problem(program, order)  # order's own discount what its loyalty
        if loyalty is not None:  # gives? One it doesn't earns on money never paid
            return Rejection(Rejected.LOYALTY, f"order {ref!r}: {loyalty}")
    rule = e.note or "earn"
    want = expected().get(e.note)
    if want is None:
        return _awards(f"program {program.version} gives nothing for {rule!r} on order "
                       f"{ref!r}")
    kind, points, amount = want
    if (e.kind, e.points, e.amount_minor) != (kind, points, amount):
        return _awards(f"program {program.version} gives {points} points ({kind}, spend "
                       f"{amount}) for {rule!r} on order {ref!r}, not {e.points} ({e.kind}, "
                       f"spend {e.amount_minor})")
    if e.kind is not EntryKind.EARN:
        return Audited()
    if not 0 <= e.amount_minor <= program.max_sale_minor:
        return Rejection(Rejected.AMOUNT, f"a sale is 0 to {program.max_sale_minor} in minor "
                         f"units, not {e.amount_minor}")
    tier = program.find_tier(state.tier)
    if tier is None:
        return Rejection(Rejected.UNKNOWN_TIER,
                         f"tier {state.tier!r} is not in program {program.version}")
    return Audited(tier)


def derived_verdict(e: EntryWire, program: Program | None,
                    facts: dict[uuid.UUID, MemberFacts], now: datetime) -> Rejection | None:
    """A once-only bonus under a derived id, from any device: one the program grants this
    member, dated by the stable fact the ledger holds, under a version that has taken
    effect. (It is dated by that fact, not by the sale that granted it under the sale's
    version, so it is not held to the version in force at its date: a first purchase is
    dated at an enrolment years before; but the sale was rung up by now.)"""
    if program is None:
        return _unknown(e.program_version)
    future = _future(e, now)
    if future is not None:
        return future
    starts = program.effective_from
    if starts is not None and starts > now + FUTURE_TOLERANCE:
        return Rejection(Rejected.VERSION_NOT_IN_FORCE, f"entry {e.id}: program "
                         f"{program.version} takes effect at {starts.isoformat()}, after the "
                         f"ledger's clock ({now.isoformat()})")
    member = facts.get(e.member_id)
    if member is None:
        return Rejection(Rejected.UNKNOWN_MEMBER,
                         "unknown member: upload the member with the entry")
    if e.kind is not EntryKind.BONUS or e.amount_minor != 0:
        return Rejection(Rejected.DERIVED, "an entry on the program's channel is a bonus "
                         "with no spend")
    problem = derived_problem(program, entry_id=e.id, member_id=e.member_id,
                              points=e.points, note=e.note, occurred_at=e.occurred_at,
                              birthday=member.birthday, enrolled_at=member.enrolled_at,
                              purchased_minor=member.purchased_minor)
    return None if problem is None else Rejection(Rejected.DERIVED, problem)


def orderless_bonus(e: EntryWire, program: Program | None) -> Rejection | None:
    """A bonus that names an order the ledger doesn't have, other than the sign-up bonus:
    the rule that gave it needs the order (an older kiosk sends none, and its only bonus
    is the sign-up one)."""
    if (program is None or e.kind is not EntryKind.BONUS or e.order_ref is None
            or e.note == SIGNUP):
        return None
    return Rejection(Rejected.BONUS, f"{e.note or 'a bonus'!r} is given by the rules for an "
                     f"order: upload order {e.order_ref!r} with its entries")

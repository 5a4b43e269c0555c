"""The ledger's expiry run (DESIGN, engine point 6): points expire lot by lot, and only the
ledger decides it, so every kiosk agrees (they pull the expiry entries like any other).

A run replays each member who may have a lot due (``kiosk/engine/lots.py``: spending takes
lots in expiry order, so expiry never takes a spent point) and records an ``expire`` entry
per lot with points left, under an id derived from the lot (a second run, or two runs at
once, make the same entry and the primary key keeps one), on the ``program`` channel,
dated when the lot expired. No spending may land between a member's replay and their
expiry entries: on PostgreSQL members go in ranges over worker processes, each replayed
without a lock and re-checked under the ``ledger_head`` lock every append takes
(``expiry_bulk.py`` says how, and why that is enough); on SQLite (the demo ledger) in
chunks, each in one transaction that takes that lock before its replay.

A lot that a live hold (reserved, not yet confirmed, voided or past its time) may have
promised is left out of the run: the hold's points are promised to its redemption, which
the ledger records only when the hold is confirmed, after the run. A hold promises only
lots spendable when it was made (``Holds.available_points``), so one made after a lot
expired spares none of it: else a hold made before each run and voided after would keep
expired points for ever. A reservation keeps no time it was made, only ``expires_at``, at
most ``expiry_bulk.LONGEST_HOLD`` after it: a lot due later than that less the longest
hold is spared (a lot due up to that long before the hold was made is too: one run's
delay at most). The run does not count the held points as spent instead: a hold may still
be voided, and an expiry of the rest would take the lot's derived id, so the voided points
could never expire. Left out, the lot is expired by the
first run after the hold ends, which makes the entry a run with no hold would have made
(dated when the lot expired), the confirmed redemption spent first. The cost: that lot's
points expire a run late (a hold lasts at most ``holds.MAX_HOLD``); an expired
lot can't be spent meanwhile all the same (``Lot.spendable``). A hold made after the run
starts can't promise a lot due by then (``Holds.available_points`` counts only lots
spendable at the hold's time).

Lot dates come from the current program's ``points`` policy, as on the kiosks
(``kiosk/wallets.py``). A received transfer's lot may expire by the giver's points it came
from, so long before its own date says: a member who received one is always replayed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.lots import Movement, expiry_due, replay
from kiosk.engine.points_policy import ExpireAfterMonths, PointsPolicy
from kiosk.engine.transfers import RECEIVED_NOTE
from kiosk.ledger import EntryKind
from kiosk.program import Program
from kiosk.services.context import Clock
from kiosk.wallets import EXPIRE_NOTE, entry_movement
from sync.protocol import EntryWire
from sync.server import expiry_bulk
from sync.server import models as m
from sync.server.entry_rows import ENTRIES
from sync.server.ingest import Ingest
from sync.server.programs import Programs

CHUNK = 5_000  # SQLite: members replayed per transaction


@dataclass(frozen=True, slots=True)
class ExpiryReport:
    members: int  # replayed (those who might have a lot due)
    entries: int  # expiry entries recorded
    points: int  # points expired, positive


def earliest_unexpired(policy: PointsPolicy, at: datetime, zone: Any) -> datetime:
    """Points earned at or after this can't have expired by ``at``: only members with a
    positive entry before it (or a received transfer, which may carry an older expiry) are
    replayed. Conservative (a few days early is harmless)."""
    expiry = policy.expiry
    if isinstance(expiry, ExpireAfterMonths):
        return at - timedelta(days=28 * expiry.months)
    local = at.astimezone(zone).date()  # end of next year: earned before 1 Jan of last year
    return datetime.combine(date(local.year - 1, 1, 1), time(0), zone).astimezone(UTC)


class Expiry:
    def __init__(self, engine: Engine, clock: Clock, programs: Programs, ingest: Ingest
                 ) -> None:
        self.engine, self.clock, self.programs, self.ingest = engine, clock, programs, ingest

    def run(self, at: datetime | None = None, chunk: int | None = None,
            workers: int | None = None) -> ExpiryReport:
        """Expire every lot due by ``at``. ``chunk``: members per transaction (SQLite) or
        per range (PostgreSQL); ``workers``: processes for the ranges (default: the cores,
        at most ``expiry_bulk.MAX_WORKERS``)."""
        at = at or self.clock()
        program = self.programs.current_program()
        if program.points.expiry is None:
            return ExpiryReport(0, 0, 0)
        since = earliest_unexpired(program.points, at, program.zone)
        if self.engine.dialect.name == "postgresql":
            url = self.engine.url.set(drivername="postgresql")
            job = expiry_bulk.Job(url.render_as_string(hide_password=False), program, at,
                                  since, self.clock())
            return ExpiryReport(*expiry_bulk.run(job, chunk or expiry_bulk.RANGE, workers))
        chunk = chunk or CHUNK
        e = ENTRIES.c
        with self.engine.connect() as conn:
            members = list(conn.execute(select(e.member_id).distinct().where(
                e.points > 0, e.kind.not_in([EntryKind.REVERSE.value, EntryKind.STAMP.value]),
                or_(e.occurred_at < since, and_(e.kind == EntryKind.TRANSFER.value,
                                                 e.note.startswith(RECEIVED_NOTE))))
                .order_by(e.member_id)).scalars())
        made = points = 0
        for start in range(0, len(members), chunk):
            with self.engine.begin() as conn:
                conn.execute(select(m.LedgerHead.last_seq).where(m.LedgerHead.id == 1)
                             .with_for_update())  # no upload lands mid-replay
                due = _not_held(conn, list(self._due(conn, program,
                                                     members[start:start + chunk], at)),
                                self.clock())
                if due:
                    self.ingest.append_trusted(conn, DERIVED_CHANNEL, due)
            made += len(due)
            points -= sum(e.points for e in due)
        return ExpiryReport(len(members), made, points)

    def _due(self, conn: Connection, program: Program, members: Sequence[uuid.UUID],
             at: datetime) -> Iterator[EntryWire]:
        current: uuid.UUID | None = None
        movements: list[Movement] = []
        for row in _entries_of(conn, members):
            if row[0] != current:
                if current is not None:
                    yield from _expiries(program, current, movements, at)
                current, movements = row[0], []
            _, entry_id, kind, pts, occurred_at, reverses, note, order_ref = row
            movements.append(entry_movement(program, entry_id, EntryKind(kind), pts,
                                            occurred_at, reverses, note, order_ref is not None))
        if current is not None:
            yield from _expiries(program, current, movements, at)


def _expiries(program: Program, member: uuid.UUID, movements: list[Movement],
              at: datetime) -> Iterator[EntryWire]:
    for due in expiry_due(replay(movements), member, at, program.zone):
        yield EntryWire(id=due.id, member_id=member, kind=EntryKind.EXPIRE,
                        points=due.award.points, channel=DERIVED_CHANNEL, occurred_at=due.at,
                        program_version=program.version, note=f"{EXPIRE_NOTE}{due.lot}")


def _not_held(conn: Connection, due: list[EntryWire], now: datetime) -> list[EntryWire]:
    """``due`` less the expiries of lots a live hold may have promised (the module's
    docstring): each member's earliest live hold, made at the earliest ``LONGEST_HOLD``
    before its end, spares the lots due after that."""
    r = m.Reservation.__table__.c
    members = sorted({e.member_id for e in due})
    made: dict[uuid.UUID, datetime] = {}
    for i in range(0, len(members), 500):  # SQLite's parameter limit
        made.update((member, ends - expiry_bulk.LONGEST_HOLD) for member, ends in conn.execute(
            select(r.member_id, func.min(r.expires_at)).where(
                r.member_id.in_(members[i:i + 500]), r.state == "held", r.expires_at > now)
            .group_by(r.member_id)))
    return [e for e in due if e.member_id not in made or e.occurred_at <= made[e.member_id]]


def _entries_of(conn: Connection, members: Sequence[uuid.UUID]) -> Iterator[Any]:
    """The members' entries in the ledger's order (member, then seq)."""
    e = ENTRIES.c
    for i in range(0, len(members), 500):  # SQLite's parameter limit
        yield from conn.execute(select(e.member_id, e.id, e.kind, e.points, e.occurred_at,
                                       e.reverses, e.note, e.order_ref)
                                .where(e.member_id.in_(members[i:i + 500]))
                                .order_by(e.member_id, e.seq))

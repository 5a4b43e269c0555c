"""The program versions the ledger has published (DESIGN rule 8: every one is kept and
answered for), each parsed once: a document never changes once published, so only which
version is in force is asked of the database per call. Shared by the device state, the
audit of an upload and the shop's orders, which each name or need a version.

A version takes effect at its document's ``effective_from``, or when it is published;
the one in force at a moment is told by ``kiosk.program_versions``, the same rule a kiosk
applies. A version taking effect before the ledger's clock is refused (except the first):
it would reach back over orders already rung up under the version then in force, and an
honest kiosk's order would stop counting after the fact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, select

from kiosk.program import Program, ProgramError, parse_program, program_json
from kiosk.program_versions import Timetable
from kiosk.services.context import Clock
from sync.server import models as m
from sync.server.bulk import insert_ignore, pg_cursor
from sync.server.db import reading
from sync.server.entry_rows import as_utc

Standing = Literal["superseded", "current", "announced"]


@dataclass(frozen=True, slots=True)
class Published:
    """A version as the ledger holds it, and where it stands now."""

    version: str
    effective_from: datetime
    published_at: datetime
    standing: Standing
    new: bool = False  # published by this call (False: the ledger had it already)


def timetable(conn: Connection) -> Timetable[str]:
    """Every published version by when it takes effect (ties: by publication); one query
    of a table of a few rows, which an upload makes: on PostgreSQL on the driver's cursor
    (through SQLAlchemy 0.17 ms, 0.08 ms so)."""
    rows: list[Any]
    if conn.dialect.name == "postgresql":
        with pg_cursor(conn, named=False) as cur:
            cur.execute("SELECT effective_from, version FROM programs "
                        "ORDER BY effective_from, published_at, version")
            rows = cur.fetchall()
    else:
        p = m.Program.__table__.c
        rows = list(conn.execute(select(p.effective_from, p.version).order_by(
            p.effective_from, p.published_at, p.version)))
    return Timetable.of((as_utc(at), version) for at, version in rows)


class Programs:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self._parsed: dict[str, tuple[str, Program]] = {}

    def publish(self, conn: Connection, program: Program) -> Published:
        """Publish ``program`` in the caller's transaction; a version published before is
        kept as it was. :class:`ProgramError` if it would take effect in the past."""
        now = self.clock()
        effective = program.effective_from or now
        known = set(conn.execute(select(m.Program.version)).scalars())
        if effective < now and known and program.version not in known:
            raise ProgramError(
                f"program: effective_from: {effective.isoformat()} has passed (the ledger's "
                f"clock reads {now.isoformat()}): a version takes effect when it is "
                f"published or later, never over orders already rung up; leave "
                f"effective_from out to start it now")
        new = bool(insert_ignore(conn, m.Program.__table__, [{
            "version": program.version, "document": program_json(program),
            "published_at": now, "effective_from": effective}],
            returning=m.Program.__table__.c.version))
        found = next(v for v in self.versions(conn) if v.version == program.version)
        return Published(found.version, found.effective_from, found.published_at,
                         found.standing, new)

    def any_published(self, conn: Connection) -> bool:
        return conn.execute(select(m.Program.version).limit(1)).first() is not None

    def versions(self, conn: Connection | None = None) -> list[Published]:
        """Every version, in the order they take effect, with where each stands now."""
        now = self.clock()
        p = m.Program.__table__.c
        with reading(self.engine, conn) as c:
            rows = c.execute(select(p.version, p.effective_from, p.published_at).order_by(
                p.effective_from, p.published_at, p.version)).all()
        if not rows:
            return []
        current = Timetable.of((r.effective_from, r.version) for r in rows).at(now)
        out: list[Published] = []
        for r in rows:
            standing: Standing = ("current" if r.version == current else
                                  "announced" if r.effective_from > now else "superseded")
            out.append(Published(r.version, r.effective_from, r.published_at, standing))
        return out

    def program(self, version: str, conn: Connection | None = None) -> Program | None:
        """A published version of the program (every one is kept), or None."""
        with reading(self.engine, conn) as c:
            found = self.published(c, version)
        return None if found is None else found[1]

    def current_program(self, conn: Connection | None = None) -> Program:
        """The version in force now."""
        with reading(self.engine, conn) as c:
            return self.current(c)[1]

    def current(self, conn: Connection, at: datetime | None = None) -> tuple[str, Program]:
        """The canonical document of the version in force ``at`` (default now), and the
        program parsed from it."""
        found = self.published(conn, timetable(conn).at(at or self.clock()))
        assert found is not None  # just read, and versions are never deleted
        return found

    def announced(self, conn: Connection, at: datetime | None = None
                  ) -> list[tuple[datetime, str, str]]:
        """The versions published to take effect after ``at`` (default now), in order:
        (effective_from, version, canonical document)."""
        out = []
        table, moment = timetable(conn), at or self.clock()
        for start, version in table.after(moment):
            if version == table.at(moment):
                continue  # a new ledger's first version, in force before its time too
            found = self.published(conn, version)
            assert found is not None
            out.append((start, version, found[0]))
        return out

    def published(self, conn: Connection, version: str) -> tuple[str, Program] | None:
        """A version's canonical document and the program parsed from it, cached."""
        cached = self._parsed.get(version)
        if cached is None:
            document = conn.execute(select(m.Program.document).where(
                m.Program.version == version)).scalar()
            if document is None:
                return None
            cached = self._parsed.setdefault(
                version, (document, parse_program(document, format="json")))
        return cached

"""The program versions the ledger has published (DESIGN rule 8: every one is kept and
answered for), each parsed once: a document never changes once published, so only which
version is current is asked of the database per call. Shared by the device state, the
audit of an upload and the shop's orders, which each name or need a version."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select

from kiosk.program import Program, parse_program, program_json
from kiosk.services.context import Clock
from sync.server import models as m
from sync.server.bulk import insert_ignore
from sync.server.db import reading


class Programs:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self._parsed: dict[str, tuple[str, Program]] = {}

    def publish(self, conn: Connection, program: Program) -> None:
        """Publish ``program`` in the caller's transaction; a version published before is
        kept as it was."""
        insert_ignore(conn, m.Program.__table__, [{
            "version": program.version, "document": program_json(program),
            "published_at": self.clock()}])

    def any_published(self, conn: Connection) -> bool:
        return conn.execute(select(m.Program.version).limit(1)).first() is not None

    def program(self, version: str, conn: Connection | None = None) -> Program | None:
        """A published version of the program (every one is kept), or None."""
        with reading(self.engine, conn) as c:
            found = self.published(c, version)
        return None if found is None else found[1]

    def current_program(self, conn: Connection | None = None) -> Program:
        """The version that applies now: the latest published."""
        with reading(self.engine, conn) as c:
            return self.current(c)[1]

    def current(self, conn: Connection) -> tuple[str, Program]:
        """The current version's canonical document and the program parsed from it."""
        version = conn.execute(select(m.Program.version).order_by(
            m.Program.published_at.desc(), m.Program.version.desc()).limit(1)).scalar_one()
        found = self.published(conn, version)
        assert found is not None  # just read, and versions are never deleted
        return found

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

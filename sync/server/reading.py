"""What the ledger answers from what it holds, writing nothing: the pull of entries after a
cursor (how kiosks hear of other channels, DESIGN invariant 5), a member's balance, and the
check of the server-side invariants. Apart from ingest because none of it takes the
ledger's head lock or numbers anything; the shop's look-ups and the reports are in
``counter.py``."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, func, select

from kiosk.ledger import EntryKind, balance_mismatches
from sync.protocol import CardWire, MemberWire, PullResponse
from sync.server import models as m
from sync.server.bulk import select_where_in
from sync.server.entry_rows import ENTRIES, wire_of_row


class Reading:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def pull(self, after: int, limit: int, *, skip_device: str | None = None) -> PullResponse:
        """Entries after ``after`` in seq order, with their members and cards. A kiosk
        already holds the entries it uploaded (and their seqs, from the upload's answer),
        so ``skip_device`` leaves them out; the cursor still moves past them."""
        with self.engine.connect() as conn:
            # The head first: every seq up to it is committed (seqs become visible in
            # order), so the cursor may move to it even if nothing below it is sent.
            head = conn.execute(select(m.LedgerHead.last_seq)).scalar_one()
            wanted = [ENTRIES.c.seq > after, ENTRIES.c.seq <= head]
            if skip_device is not None:
                wanted.append(ENTRIES.c.device_id.is_distinct_from(skip_device))
            rows = conn.execute(select(ENTRIES).where(*wanted)
                                .order_by(ENTRIES.c.seq).limit(limit + 1)).all()
            more = len(rows) > limit
            rows = rows[:limit]
            member_ids = {r.member_id for r in rows}
            members = select_where_in(conn, m.Member.__table__, "id", member_ids)
            cards = select_where_in(conn, m.Card.__table__, "member_id", member_ids)
        return PullResponse(
            entries=[wire_of_row(r) for r in rows],
            members=[MemberWire.model_validate(r._asdict()) for r in members],
            cards=[CardWire.model_validate(r._asdict()) for r in cards],
            next_after=rows[-1].seq if more else max(head, after), more=more)

    def balance(self, member_id: uuid.UUID) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(m.Balance.points).where(
                m.Balance.member_id == member_id)).scalar() or 0)

    def check(self) -> list[str]:
        """The server-side invariants: seq gap-free, balances equal sums of entries; on
        SQLite, every page readable too (the sums go through the indexes, so a damaged
        table page went unread and the check passed)."""
        with self.engine.connect() as conn:
            damaged = [] if conn.dialect.name != "sqlite" else [
                f"sqlite: {row[0]}" for row in conn.exec_driver_sql("PRAGMA quick_check")
                if row[0] != "ok"]
            if damaged:
                return damaged
            count, low, high = conn.execute(select(func.count(), func.min(ENTRIES.c.seq),
                                                   func.max(ENTRIES.c.seq))).one()
            head = conn.execute(select(m.LedgerHead.last_seq)).scalar_one()
            problems = []
            if count and (low != 1 or high != count or head != high):
                problems.append(f"seq is not gap-free: {count} entries in {low}..{high}, "
                                f"head {head}")
            sums = dict(conn.execute(select(ENTRIES.c.member_id, func.sum(ENTRIES.c.points))
                                     .where(ENTRIES.c.kind != EntryKind.STAMP.value)
                                     .group_by(ENTRIES.c.member_id)).all())
            cached = dict(conn.execute(select(m.Balance.member_id, m.Balance.points)).all())
        return problems + balance_mismatches(sums, cached)


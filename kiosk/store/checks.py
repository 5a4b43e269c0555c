"""``kiosk verify`` over the local store (``tx.checks``): every way the store breaks the
ledger's invariants, recomputed from the entries themselves."""

from __future__ import annotations

from sqlalchemy import func, select

from kiosk.ledger import EntryKind, LedgerError, balance_mismatches
from kiosk.records import ACKED_THROUGH
from kiosk.store import models as m
from kiosk.store.columns import ENTRY_LIST, entry_of_params
from kiosk.store.order_rows import order_of_row
from kiosk.store.session import Rows
from kiosk.store.settings_rows import get_setting
from kiosk.store.types import row_key

_ENTRIES = m.LedgerEntry.__table__
_E = _ENTRIES.c
_BALANCES = m.Balance.__table__
_OUTBOX = m.Outbox.__table__


class SqliteChecks(Rows):
    __slots__ = ()

    def problems(self) -> list[str]:
        """Empty when all is well."""
        found = [f"sqlite: {r[0]}" for r in self.conn.exec_driver_sql("PRAGMA quick_check")
                 if r[0] != "ok"]
        found += [f"sqlite foreign key: {tuple(r)}" for r in
                  self.conn.exec_driver_sql("PRAGMA foreign_key_check")]
        refused = select(m.Rejection.entry_id)  # not on the ledger: not in the balance
        sums = {r[0]: r[1] for r in self.conn.execute(
            select(_E.member_id, func.sum(_E.points)).where(
                _E.id.not_in(refused), _E.kind != EntryKind.STAMP.value)
            .group_by(_E.member_id))}
        cached = {r[0]: r[1] for r in self.conn.execute(
            select(_BALANCES.c.member_id, _BALANCES.c.points))}
        found += balance_mismatches(sums, cached)
        original = _ENTRIES.alias("original")
        backs = (select(_E.reverses.label("id"), _E.member_id.label("member"),
                        func.sum(_E.points).label("points"),
                        func.sum(_E.amount_minor).label("amount"))
                 .where(_E.reverses.is_not(None)).group_by(_E.reverses, _E.member_id)
                 .subquery())
        bad_reversals = self.conn.execute(
            select(backs.c.id).join(original, original.c.id == backs.c.id).where(
                (original.c.member_id != backs.c.member)
                | (original.c.points * backs.c.points > 0)
                | (func.abs(backs.c.points) > func.abs(original.c.points))
                | (original.c.amount_minor * backs.c.amount > 0)
                | (func.abs(backs.c.amount) > func.abs(original.c.amount_minor))))
        found += [f"entry {r.id}: its reversals go beyond the entry they reverse"
                  for r in bad_reversals]
        # Stored values as they are (a time that doesn't decode names its row), each entry
        # read as every read of it does (kiosk.store.columns).
        for row in self.conn.exec_driver_sql(f"SELECT {ENTRY_LIST} FROM entries"):
            try:
                entry_of_params(row)
            except LedgerError as exc:
                found.append(f"entry {row_key(row[0])}: {exc}")
        # Every order's record reads (a refund or a retry of it needs it): one that doesn't
        # is a DamagedValue naming it, as when a refund reads it.
        for record, channel, order_ref in self.conn.exec_driver_sql(
                "SELECT record, channel, order_ref FROM orders"):
            order_of_row(record, channel, order_ref)
        # Above the ledger's last mark nothing has been cleared, so every number is there.
        mark = int(get_setting(self.conn, ACKED_THROUGH) or 0)
        seqs = self.conn.execute(select(func.min(_OUTBOX.c.device_seq),
                                        func.max(_OUTBOX.c.device_seq), func.count())
                                 .where(_OUTBOX.c.device_seq > mark)).one()
        if seqs[2] and seqs[1] - seqs[0] + 1 != seqs[2]:
            found.append(f"outbox: device sequence has gaps ({seqs[2]} rows in "
                         f"{seqs[0]}..{seqs[1]})")
        return found

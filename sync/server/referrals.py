"""The ledger's referral run (issue 14, point 4): a referrer earns ``bonuses.referral``'s
``referrer_points`` once per member they brought, once that member's first qualifying
purchase (at least ``min_amount``, not refunded) is past the return window
(``points.pending_days``). Only the ledger sees every kiosk's and the shop's purchases and
refunds, so only the ledger grants it, as it runs expiry (``expiry.py``): a kiosk that
uploads one is refused (``kiosk.awards.derived_problem``), and kiosks pull the bonus like
any other entry.

A run finds, in one set-based query, the referred members whose referrer is on the ledger
(not themselves), who have a purchase that qualifies and is past the window, and whose
referrer has no bonus for them yet; then, a chunk at a time, in one transaction that first
takes the ``ledger_head`` lock uploads take, it re-reads those members' purchases, lets the
pure rule decide (``kiosk.engine.bonuses.referral_due``) and records a ``bonus`` entry for
the referrer on the ``program`` channel, noted ``referral:<referred id>``, under the id
derived from the referrer and that note, dated when the qualifying purchase's return
window closed. A second run, or two at once, make the same entry and keep one.

A purchase is an ``earn`` entry with its spend (any channel); refunded means its earn
entry is reversed. A refund that reaches the ledger after the bonus was granted doesn't
take it back (the return window was the time for it). The rule comes from the current
program, as expiry's lot dates do.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Table, and_, exists, literal, select
from sqlalchemy import cast as sql_cast
from sqlalchemy import func as sql_func
from sqlalchemy.types import String

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.bonuses import Purchase, Referral, ReferralDue, referral_due
from kiosk.ledger import EntryKind
from kiosk.program import Program
from kiosk.services.context import Clock
from sync.protocol import EntryWire
from sync.server import models as m
from sync.server.bulk import keys_present
from sync.server.entry_rows import ENTRIES
from sync.server.ingest import Ingest
from sync.server.programs import Programs

CHUNK = 1_000  # referred members decided per transaction (and per IN list)
MEMBERS: Table = m.Member.__table__  # type: ignore[assignment]
NOTE_PREFIX = "referral:"


@dataclass(frozen=True, slots=True)
class ReferralReport:
    members: int  # referred members found due (a concurrent run may have granted some)
    entries: int  # referral bonuses recorded
    points: int  # points granted


class Referrals:
    def __init__(self, engine: Engine, clock: Clock, programs: Programs, ingest: Ingest
                 ) -> None:
        self.engine, self.clock, self.programs, self.ingest = engine, clock, programs, ingest

    def run(self, at: datetime | None = None, chunk: int = CHUNK) -> ReferralReport:
        at = at or self.clock()
        program = self.programs.current_program()
        rule = program.bonuses.referral
        if rule is None or not rule.referrer_points:
            return ReferralReport(0, 0, 0)
        least = max(program.minor(rule.min_amount), 1)
        cutoff = at - timedelta(days=program.points.pending_days)
        with self.engine.connect() as conn:
            candidates = [(row[0], row[1]) for row in
                          conn.execute(_candidates(conn, least, cutoff))]
        made = points = 0
        for start in range(0, len(candidates), chunk):
            with self.engine.begin() as conn:
                conn.execute(select(m.LedgerHead.last_seq).where(m.LedgerHead.id == 1)
                             .with_for_update())  # no upload lands mid-decision
                due = self._due(conn, program, rule, candidates[start:start + chunk], at)
                granted = keys_present(conn, ENTRIES, "id", [d.id for d in due])
                new = [_entry(program, d) for d in due if d.id not in granted]
                if new:
                    self.ingest.append_trusted(conn, DERIVED_CHANNEL, new)
            made += len(new)
            points += sum(e.points for e in new)
        return ReferralReport(len(candidates), made, points)

    def _due(self, conn: Connection, program: Program, rule: Referral,
             candidates: Sequence[tuple[uuid.UUID, uuid.UUID]], at: datetime
             ) -> list[ReferralDue]:
        least = max(program.minor(rule.min_amount), 1)
        bought: dict[uuid.UUID, list[Purchase]] = {}
        for member, when, amount, refunded in _purchases(conn, [c[0] for c in candidates],
                                                         least):
            bought.setdefault(member, []).append(Purchase(when, amount, bool(refunded)))
        out = []
        for referred, referrer in candidates:
            due = referral_due(rule, referrer, referred, bought.get(referred, ()),
                               program.points.pending_days, least, at)
            if due is not None:
                out.append(due)
        return out


def _entry(program: Program, due: ReferralDue) -> EntryWire:
    return EntryWire(id=due.id, member_id=due.referrer_id, kind=EntryKind.BONUS,
                     points=due.award.points, channel=DERIVED_CHANNEL, occurred_at=due.at,
                     program_version=program.version, note=due.award.once)


def _candidates(conn: Connection, least: int, cutoff: datetime) -> Any:
    """(referred, referrer) of every referred member whose referrer is on the ledger and
    is someone else, who made a purchase of at least ``least`` by ``cutoff`` that was not
    refunded below it (:func:`_kept`), and whose referrer has no referral bonus for them
    yet. One statement; the look-ups go by member (``ix_entries_member_seq``) and by the
    reversed entry (``ix_entries_reverses``)."""
    referred, referrer = MEMBERS.alias("referred"), MEMBERS.alias("referrer")
    earn, bonus = ENTRIES.alias("earn"), ENTRIES.alias("bonus")
    bought = exists().where(earn.c.member_id == referred.c.id,
                            earn.c.kind == EntryKind.EARN.value, earn.c.amount_minor >= least,
                            earn.c.occurred_at <= cutoff, _kept(earn) >= least)
    granted = exists().where(bonus.c.member_id == referred.c.referrer_id,
                             bonus.c.kind == EntryKind.BONUS.value,
                             bonus.c.channel == DERIVED_CHANNEL,
                             bonus.c.note == _note_of(referred.c.id, conn))
    return (select(referred.c.id, referred.c.referrer_id)
            .join(referrer, referrer.c.id == referred.c.referrer_id)
            .where(referred.c.referrer_id.is_not(None),
                   referred.c.referrer_id != referred.c.id, bought, ~granted)
            .order_by(referred.c.id))


def _kept(earn: Any) -> ColumnElement[Any]:
    """An earn's spend less what its reversals took back (refunds by line reverse it in
    parts; a whole refund leaves 0)."""
    back = ENTRIES.alias("back")
    taken: ColumnElement[Any] = select(sql_func.coalesce(sql_func.sum(back.c.amount_minor), 0)
                                       ).where(back.c.reverses == earn.c.id).scalar_subquery()
    kept: ColumnElement[Any] = earn.c.amount_minor + taken
    return kept


def _note_of(member_id: Any, conn: Connection) -> ColumnElement[Any]:
    """``referral:<member id>`` in SQL, as ``kiosk.engine.bonuses.referral_note`` writes
    it (a UUID's hyphenated text): PostgreSQL casts its uuid; SQLite holds the 32 hex
    digits, hyphenated here."""
    if conn.dialect.name == "postgresql":
        return literal(NOTE_PREFIX) + sql_cast(member_id, String)
    digits = sql_cast(member_id, String)
    parts = [sql_func.substr(digits, start, length)
             for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))]
    text: ColumnElement[Any] = literal(NOTE_PREFIX) + parts[0]
    for part in parts[1:]:
        text = text + "-" + part
    return text


def _purchases(conn: Connection, members: Sequence[uuid.UUID], least: int
               ) -> Iterator[tuple[uuid.UUID, datetime, int, Any]]:
    """The members' purchases that may qualify: member, time, the spend its refunds left
    (by line: a refunded cup doesn't undo the purchase of a kettle), and whether they took
    it below ``least``."""
    earn = ENTRIES.alias("earn")
    kept = _kept(earn)
    for i in range(0, len(members), CHUNK):
        for row in conn.execute(
                select(earn.c.member_id, earn.c.occurred_at, kept, (kept < least))
                .where(and_(earn.c.member_id.in_(members[i:i + CHUNK]),
                            earn.c.kind == EntryKind.EARN.value, earn.c.amount_minor >= least))
                .order_by(earn.c.member_id, earn.c.occurred_at)):
            yield row[0], row[1], row[2], row[3]

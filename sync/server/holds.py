"""Redemption holds on the ledger (reserve, then confirm or void, like a card authorisation)
for kiosks and the shop: how a balance can't go negative online. A reservation is granted
only while the member's available points, less every live hold, cover it; its id is the
redeem entry's own, so confirming it, or a kiosk later uploading that same entry, records
it exactly once. A hold past its time still promises its points to its entry until a
taker needs them (``take_over_lapsed``; ``floor_limits._held``).

The ledger's lock order (PostgreSQL), so that no two writers each wait on the other (a
deadlock it breaks after a second: a 503, the head held all that time): the ledger's head
(``ledger_head``, taken by every append), then members' balance rows (:meth:`Holds.
lock_member`; several in id order), then holds, then coupons. An upload takes the head and
then moves its members' balances, so a writer here that appends (the shop's order, a
transfer, a confirm) takes the head before the member (:meth:`Holds.lock_head`), and a
hold, which appends nothing, only the member. Not the other way round (an upload locking
its members' rows before the head): that costs the busiest call a statement on every batch
(~5% of a 500-entry upload for 300 members) and takes the single-statement path from it,
and the expiry and referral runs, which take the head first to hold uploads off while they
decide, would deadlock with it. The cost this way: a shop order holds the head while it
prices (about half of its time), and uploads wait that much longer behind it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.ledger import EntryKind
from kiosk.wallets import lean_points_summary, spendable
from sync.protocol import EntryResult, EntryWire
from sync.server import models as m
from sync.server.audit import audit_upload
from sync.server.calls import Caller, LedgerRefusal
from sync.server.entry_rows import ENTRIES, member_entries, member_lot_rows
from sync.server.floor_limits import LAPSED
from sync.server.ledger import Ledger
from sync.wire_holds import Hold

MAX_HOLD = timedelta(minutes=10)


@dataclass(frozen=True)
class Holds:
    """The ledger's holds on members' points, for a device that waits on them."""

    ledger: Ledger

    def reserve(self, caller: Caller, entry: EntryWire, hold_seconds: int) -> Hold:
        with self.ledger.engine.begin() as conn:
            return self._hold(conn, self.hold_points(conn, caller, entry, hold_seconds))

    def hold_points(self, conn: Connection, caller: Caller, entry: EntryWire,
                    hold_seconds: int) -> Any:
        """Hold a redeem entry's points in the caller's transaction; the reservation row."""
        if entry.kind not in (EntryKind.REDEEM, EntryKind.DONATE) or entry.points >= 0:
            raise LedgerRefusal(422, "not_a_redemption", "only redemptions and donations can "
                                "be held")
        expires = self.ledger.clock() + min(timedelta(seconds=hold_seconds), MAX_HOLD)
        # Held points are points spent: the same audit as an uploaded redemption.
        refused = audit_upload(conn, caller.device_id, [entry], self.ledger.program,
                               self.ledger.clock(), held=True)
        if refused:
            [why] = refused.values()
            raise LedgerRefusal(422, why.code.value, why.message)
        self.lock_member(conn, entry.member_id)
        existing = conn.execute(select(m.Reservation).where(
            m.Reservation.id == entry.id)).first()
        if existing is not None:
            if existing.entry != entry.model_dump_json():
                raise LedgerRefusal(409, "conflict", "another hold has this id")
            return existing
        if conn.execute(select(ENTRIES.c.id).where(ENTRIES.c.id == entry.id)).first():
            raise LedgerRefusal(409, "already_recorded", "this redemption is recorded")
        available = self.available_points(conn, entry.member_id)
        if available + entry.points < 0:
            raise LedgerRefusal(409, "not_enough_points",
                                f"{-entry.points} points needed, {available} available")
        self.take_over_lapsed(conn, entry.member_id, -entry.points)
        conn.execute(insert(m.Reservation).values(
            id=entry.id, member_id=entry.member_id, device_id=caller.device_id,
            points=entry.points, entry=entry.model_dump_json(), state="held",
            expires_at=expires))
        return conn.execute(select(m.Reservation).where(m.Reservation.id == entry.id)).one()

    def confirm(self, caller: Caller, hold_id: uuid.UUID) -> EntryResult:
        with self.ledger.engine.begin() as conn:
            result = self.confirm_points(conn, caller, hold_id)
        refused = refusal(result)
        if refused is not None:  # committed: the hold voided, nothing recorded
            raise refused
        return result

    def confirm_points(self, conn: Connection, caller: Caller, hold_id: uuid.UUID
                       ) -> EntryResult:
        """Record a held redemption in the caller's transaction. One the ledger refuses
        (its audit, at the confirm, finds it spends what is spent already) voids its hold,
        so its points are free again, and is answered "rejected": the caller commits that
        and answers the :func:`refusal`, writing nothing else."""
        found = conn.execute(select(m.Reservation.device_id, m.Reservation.member_id).where(
            m.Reservation.id == hold_id)).first()
        if found is None or found.device_id != caller.device_id:  # a hold is its maker's
            raise LedgerRefusal(404, "unknown_hold", "no such hold")
        self.lock_head(conn)  # it appends: the head, the member, the hold (the lock order)
        self.lock_member(conn, found.member_id)
        row = conn.execute(select(m.Reservation).where(
            m.Reservation.id == hold_id).with_for_update()).one()
        recorded = conn.execute(select(ENTRIES.c.seq).where(
            ENTRIES.c.id == hold_id)).scalar()
        if recorded is not None:  # confirmed before, or uploaded by the kiosk
            return EntryResult(id=hold_id, status="duplicate", seq=recorded)
        if row.state == "voided" or row.expires_at <= self.ledger.clock():
            raise LedgerRefusal(410, "hold_expired", "this hold was voided or expired")
        entry = EntryWire.model_validate_json(row.entry)
        [result] = self.ledger.append(conn, caller, [entry])
        if result.status == "rejected":
            conn.execute(update(m.Reservation).where(m.Reservation.id == hold_id)
                         .values(state="voided"))
        return result

    def void(self, caller: Caller, hold_id: uuid.UUID) -> Hold:
        with self.ledger.engine.begin() as conn:
            self.void_points(conn, caller, hold_id)
            return self._hold(conn, conn.execute(select(m.Reservation).where(
                m.Reservation.id == hold_id)).one())

    def void_points(self, conn: Connection, caller: Caller, hold_id: uuid.UUID) -> None:
        """Release a hold in the caller's transaction. The hold is read locked: a confirm of
        it under way is waited for, then refused here (409), never overwritten as voided
        with its redemption recorded."""
        row = conn.execute(select(m.Reservation).where(m.Reservation.id == hold_id)
                           .with_for_update()).first()
        if row is None or row.device_id != caller.device_id:
            raise LedgerRefusal(404, "unknown_hold", "no such hold")
        recorded = conn.execute(select(ENTRIES.c.id).where(ENTRIES.c.id == hold_id)).first()
        if row.state == "confirmed" or recorded is not None:  # (a lapsed hold's entry too)
            raise LedgerRefusal(409, "already_confirmed",
                                "this redemption is recorded; refund it instead")
        conn.execute(update(m.Reservation).where(m.Reservation.id == hold_id)
                     .values(state="voided"))

    def lock_head(self, conn: Connection) -> None:
        """The ledger's head, locked: the first lock of a writer here that appends (the lock
        order, above); its append (``Ingest.append``) finds it held already."""
        conn.execute(select(m.LedgerHead.last_seq).where(m.LedgerHead.id == 1)
                     .with_for_update())

    def lock_member(self, conn: Connection, member_id: uuid.UUID) -> None:
        """Serialise holds per member (the balance row, as a lock), never across members."""
        if conn.execute(select(m.Member.id).where(m.Member.id == member_id)).first() is None:
            raise LedgerRefusal(404, "unknown_member", "the ledger does not know this member")
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(m.Balance.__table__).values(member_id=member_id, points=0)
                     .on_conflict_do_nothing())
        conn.execute(select(m.Balance.points).where(m.Balance.member_id == member_id)
                     .with_for_update())

    def available_points(self, conn: Connection, member_id: uuid.UUID) -> int:
        """The points a hold may take: the balance (or, with pending days or expiry in the
        program, what is available now), less what other holds have taken."""
        balance = conn.execute(select(m.Balance.points).where(
            m.Balance.member_id == member_id)).scalar() or 0
        program, now = self.ledger.current_program(conn), self.ledger.clock()
        if program.points.has_lots:
            summary = lean_points_summary(program, member_lot_rows(conn, member_id), now)
            balance = (summary.available if summary is not None  # else: a reversal in it
                       else spendable(program, int(balance),
                                      lambda: member_entries(conn, member_id), now))
        held = conn.execute(select(func.coalesce(func.sum(m.Reservation.points), 0)).where(
            m.Reservation.member_id == member_id, m.Reservation.state == "held",
            m.Reservation.expires_at > self.ledger.clock())).scalar_one()
        return int(balance) + int(held)

    def take_over_lapsed(self, conn: Connection, member_id: uuid.UUID, points: int) -> None:
        """A taker of ``points`` the member has available (a hold, an order's points as
        money, a transfer; the member locked). Holds past their time and not confirmed
        still promise theirs to their entries, which may come later (``floor_limits._held``),
        unless this taker needs those points: only then, the soonest lapsed first, are they
        marked lapsed, their entries then spent without a yes (held to the floor limits)."""
        r = m.Reservation.__table__.c
        lapsed = conn.execute(select(r.id, r.points).where(
            r.member_id == member_id, r.state == "held", r.expires_at <= self.ledger.clock())
            .order_by(r.expires_at, r.id)).all()
        if not lapsed:
            return
        free = self.available_points(conn, member_id) + sum(int(p) for _, p in lapsed)
        taken = []
        for hold_id, held in lapsed:  # held < 0: the points its entry may still take
            if free >= points:
                break
            free -= int(held)
            taken.append(hold_id)
        if taken:
            conn.execute(update(m.Reservation).where(m.Reservation.id.in_(taken))
                         .values(state=LAPSED))

    def _hold(self, conn: Connection, row: Any) -> Hold:
        state = row.state
        if state == LAPSED or (state == "held" and row.expires_at <= self.ledger.clock()):
            state = "expired"
        return Hold(id=row.id, member_id=row.member_id, points=row.points, state=state,
                    expires_at=row.expires_at.isoformat(),
                    available_after=self.available_points(conn, row.member_id))


def refusal(result: EntryResult) -> LedgerRefusal | None:
    """A confirm's answer when the ledger refused the held redemption: 422 with the
    audit's code and reason (not "200, rejected", nor a checkout "confirmed")."""
    if result.status != "rejected":
        return None
    return LedgerRefusal(422, result.code or "rejected", result.reason or "refused")

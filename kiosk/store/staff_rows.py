"""Staff and the audit trail in the local store: one small repository on the open
transaction (the services reach it as ``tx.staff``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from kiosk.records import PinState
from kiosk.staff import AuditAction, AuditEvent, Role, StaffMember
from kiosk.store import models as m
from kiosk.store.session import Rows

_S = m.Staff.__table__.c
_A = m.AuditEventRow.__table__.c


def _member(row: Any) -> StaffMember:
    return StaffMember(row.id, row.name, Role(row.role))


class StaffRows(Rows):
    __slots__ = ()

    def active(self) -> list[StaffMember]:
        """Everyone who may sign in, managers first, then by name."""
        rows = self.conn.execute(select(_S.id, _S.name, _S.role).where(_S.active)
                                 .order_by(_S.role.desc(), _S.name_key))
        return [_member(r) for r in rows]

    def by_name(self, name: str) -> StaffMember | None:
        row = self.conn.execute(select(_S.id, _S.name, _S.role)
                                .where(_S.active, _S.name_key == name.casefold())).first()
        return None if row is None else _member(row)

    def pin(self, staff_id: uuid.UUID) -> PinState | None:
        row = self.conn.execute(select(_S.id, _S.name, _S.role, _S.pin_hash, _S.wrong_pins,
                                       _S.last_wrong_pin)
                                .where(_S.active, _S.id == staff_id)).first()
        return None if row is None else PinState(_member(row), row.pin_hash, row.wrong_pins,
                                                 row.last_wrong_pin)

    def count_wrong_pin(self, staff_id: uuid.UUID, at: datetime) -> int:
        """One more wrong PIN for this person in a row; returns how many now."""
        return int(self.conn.execute(
            update(m.Staff).where(_S.id == staff_id)
            .values(wrong_pins=_S.wrong_pins + 1, last_wrong_pin=at)
            .returning(_S.wrong_pins)).scalar_one())

    def forgive_wrong_pins(self, staff_id: uuid.UUID) -> None:
        self.conn.execute(update(m.Staff).where(_S.id == staff_id, _S.wrong_pins != 0)
                          .values(wrong_pins=0))

    def add(self, person: StaffMember, pin_hash: str, at: datetime) -> None:
        self.conn.execute(insert(m.Staff).values(
            id=person.id, name=person.name, name_key=person.name.casefold(),
            role=person.role.value, pin_hash=pin_hash, active=True, created_at=at))

    def set_pin(self, staff_id: uuid.UUID, pin_hash: str) -> None:
        """A new PIN starts with no wrong tries against it."""
        self.conn.execute(update(m.Staff).where(_S.id == staff_id)
                          .values(pin_hash=pin_hash, wrong_pins=0))

    def deactivate(self, staff_id: uuid.UUID) -> None:
        """Kept, not deleted: the trail and the entries still name them."""
        self.conn.execute(update(m.Staff).where(_S.id == staff_id).values(active=False))

    def record(self, event: AuditEvent) -> None:
        self.conn.execute(insert(m.AuditEventRow).values(
            id=event.id, at=event.at, action=event.action.value, staff=event.staff,
            approved_by=event.approved_by, detail=event.detail))

    def trail(self, limit: int, since: datetime | None = None) -> list[AuditEvent]:
        """Newest first."""
        query = select(_A.id, _A.at, _A.action, _A.staff, _A.approved_by, _A.detail)
        if since is not None:
            query = query.where(_A.at >= since)
        rows = self.conn.execute(query.order_by(_A.at.desc()).limit(limit))
        return [AuditEvent(r.id, r.at, AuditAction(r.action), r.staff, r.approved_by,
                           r.detail) for r in rows]

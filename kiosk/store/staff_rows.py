"""Staff and the audit trail in the local store: one small repository on the open
transaction (the services reach it as ``tx.staff``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from kiosk.staff import AuditAction, AuditEvent, Role, StaffMember
from kiosk.store import models as m

_S = m.Staff.__table__.c
_A = m.AuditEventRow.__table__.c


def _member(row: Any) -> StaffMember:
    return StaffMember(row.id, row.name, Role(row.role))


class StaffRows:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def active(self) -> list[StaffMember]:
        """Everyone who may sign in, managers first, then by name."""
        rows = self.conn.execute(select(_S.id, _S.name, _S.role).where(_S.active)
                                 .order_by(_S.role.desc(), _S.name_key))
        return [_member(r) for r in rows]

    def by_name(self, name: str) -> StaffMember | None:
        row = self.conn.execute(select(_S.id, _S.name, _S.role)
                                .where(_S.active, _S.name_key == name.casefold())).first()
        return None if row is None else _member(row)

    def pin_hash(self, staff_id: uuid.UUID) -> tuple[StaffMember, str] | None:
        row = self.conn.execute(select(_S.id, _S.name, _S.role, _S.pin_hash)
                                .where(_S.active, _S.id == staff_id)).first()
        return None if row is None else (_member(row), row.pin_hash)

    def add(self, person: StaffMember, pin_hash: str, at: datetime) -> None:
        self.conn.execute(insert(m.Staff).values(
            id=person.id, name=person.name, name_key=person.name.casefold(),
            role=person.role.value, pin_hash=pin_hash, active=True, created_at=at))

    def set_pin(self, staff_id: uuid.UUID, pin_hash: str) -> None:
        self.conn.execute(update(m.Staff).where(_S.id == staff_id).values(pin_hash=pin_hash))

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

"""Callers and wire records for tests that call the ledger's operations directly: a kiosk
and a shop as the ledger knows them, members and earn entries as they arrive in an upload."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sync.protocol import EntryWire, MemberWire
from sync.server.ledger import Caller

KIOSK = Caller("till-1", "kiosk")
SHOP = Caller("web", "shop")


def members(n: int) -> list[MemberWire]:
    return [MemberWire(id=uuid.uuid4(), name=f"M{i}", phone=f"0912{i:06d}",
                       enrolled_at=datetime.now(UTC), channel="till-1") for i in range(n)]


def sale(member: MemberWire, seq: int | None, points: int = 5, **changes: Any) -> EntryWire:
    """An earn entry of till-1 as the rules give it: ``points`` for ``points`` x NT$100."""
    fields = dict(id=uuid.uuid4(), member_id=member.id, kind="earn", points=points,
                  amount_minor=points * 100, channel="till-1", program_version="2026.2",
                  occurred_at=datetime.now(UTC), order_ref=f"O-{uuid.uuid4().hex[:8]}",
                  device_seq=seq)
    fields.update(changes)
    return EntryWire.model_validate(fields)

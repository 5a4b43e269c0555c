"""An entry as the ledger's ``entries`` table holds it, and back: the one mapping between
the wire's :class:`~sync.protocol.EntryWire` and a row, shared by ingest (which writes and
compares rows), the pull and the shop's look-ups (which read them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table

from sync.protocol import EntryWire
from sync.server import models as m

ENTRIES: Table = m.Entry.__table__  # type: ignore[assignment]


def wire_row(e: EntryWire) -> dict[str, Any]:
    """The row's columns that the entry's sender decides (not seq, device or receipt)."""
    return {"id": e.id, "member_id": e.member_id, "kind": e.kind.value, "points": e.points,
            "amount_minor": e.amount_minor, "channel": e.channel, "order_ref": e.order_ref,
            "program_version": e.program_version, "occurred_at": e.occurred_at,
            "reverses": e.reverses, "reward_id": e.reward_id, "note": e.note, "tier": e.tier,
            "staff": e.staff}


def wire_of_row(row: Any) -> EntryWire:
    return EntryWire(id=row.id, member_id=row.member_id, kind=row.kind, points=row.points,
                     amount_minor=row.amount_minor, channel=row.channel,
                     occurred_at=row.occurred_at, program_version=row.program_version,
                     order_ref=row.order_ref, reverses=row.reverses,
                     reward_id=row.reward_id, note=row.note, tier=row.tier,
                     staff=row.staff, seq=row.seq)

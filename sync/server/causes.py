"""What members gave each cause (issue 15): donations less the ones reversed, per cause,
for the back office (``GET /v1/reports/causes``, ``kiosk ledger causes``)."""


from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import aliased

from kiosk.engine.donations import cause_of
from kiosk.ledger import EntryKind
from sync.server import models as m
from sync.server.calls import Caller
from sync.server.openapi import refusals


def cause_totals(conn: Connection) -> list[dict[str, object]]:
    """Each cause with the points given (net of reversals) and the donations made."""
    e, original = m.Entry, aliased(m.Entry)
    given = dict(conn.execute(select(e.note, -func.sum(e.points)).where(
        e.kind == EntryKind.DONATE.value).group_by(e.note)).all())
    counts = dict(conn.execute(select(e.note, func.count()).where(
        e.kind == EntryKind.DONATE.value).group_by(e.note)).all())
    back = conn.execute(select(original.note, func.sum(e.points)).join(
        original, original.id == e.reverses).where(
        original.kind == EntryKind.DONATE.value).group_by(original.note)).all()
    for note, points in back:
        given[note] = given.get(note, 0) - points
    return [{"cause": cause_of(note), "points": int(points), "donations": int(counts[note])}
            for note, points in sorted(given.items(), key=lambda kv: str(kv[0]))]


def add_cause_route(app: FastAPI, engine: Any, admin: Callable[..., Any]) -> None:
    @app.get("/v1/reports/causes", responses=refusals(403))
    def causes(who: Annotated[Caller, Depends(admin)]) -> list[dict[str, object]]:
        """The points members gave each cause, net of reversed donations."""
        with engine.connect() as conn:
            return cause_totals(conn)

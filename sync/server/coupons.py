"""Coupons as instruments (DESIGN, engine point 5): issued by the ledger itself, single use.

The ledger issues a coupon from the rules it re-runs on an order it stores (the order's
version, the member state it records: ``kiosk.awards.awards_for_order``), never from a
device's list, so a device can't mint one by saying so. Its id is derived from what issued
it (a full punch card on an order, a quarter's spend, a birthday year), so two kiosks that
issued it offline issue one, and the primary key keeps it.

A use is one conditional update (``used_at IS NULL``): of two devices spending one coupon
at once, one wins and the other is told where and when it went (409 ``coupon_used``); the
same order spending it again is a retry, answered as before.
"""


import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from sqlalchemy import Connection, Table, select, update

from kiosk.awards import awards_for_order, enrolment_coupons
from kiosk.engine.coupons import coupon_payload
from kiosk.engine.orders import Awards
from kiosk.engine.record import OrderRecord
from kiosk.program import Program
from sync.protocol import CouponUse, CouponWire, MemberWire
from sync.server import models as m
from sync.server.bulk import insert_rows
from sync.server.calls import Caller, LedgerRefusal
from sync.server.openapi import json_body, refusals

COUPONS: Table = m.Coupon.__table__  # type: ignore[assignment]
ENROLMENT = "enrolment"  # the "order" a welcome coupon was issued by
ProgramOf = Callable[[str, Connection], Program | None]


def issue_for_orders(conn: Connection, channel: str, records: Iterable[OrderRecord],
                     program_of: ProgramOf, worked: Mapping[tuple[str, str], Awards]) -> None:
    """The coupons the rules give for these newly stored orders of ``channel`` (in the
    caller's transaction); one issued before (another kiosk's copy) is kept as it was.
    ``worked``: awards the audit already worked out, by (channel, order ref)."""
    rows: list[dict[str, Any]] = []
    for record in records:
        member, state = record.order.member_id, record.state
        if member is None or state is None:
            continue  # a non-member order earns nothing
        program = program_of(record.program_version, conn)
        if program is None or not program.coupons:
            continue  # an unknown version's entries are refused; it issues nothing either
        awards = (worked.get((channel, record.order.order_ref))
                  or awards_for_order(program, record.order, state))
        rows += [{"id": c.id_for(member), "member_id": member, "rule": c.rule,
                  "program_version": record.program_version, "valid_from": c.valid_from,
                  "expires_at": c.expires_at, "issued_channel": channel,
                  "issued_order_ref": record.order.order_ref}
                 for c in awards.coupons]
    if rows:
        insert_rows(conn, COUPONS, rows)


def issue_on_enrolment(conn: Connection, members: Sequence[MemberWire], program: Program
                       ) -> None:
    """The welcome coupons of members whose profile the ledger now has (the program in
    force: the enrolment's own version isn't sent with the member); a second upload of
    the member issues nothing new (derived ids)."""
    if not program.coupons:
        return
    rows = [{"id": c.id_for(w.id), "member_id": w.id, "rule": c.rule,
             "program_version": program.version, "valid_from": c.valid_from,
             "expires_at": c.expires_at, "issued_channel": w.channel,
             "issued_order_ref": ENROLMENT}
            for w in members
            for c in enrolment_coupons(program, enrolled_at=w.enrolled_at,
                                       referred=w.referrer_id is not None)]
    if rows:
        insert_rows(conn, COUPONS, rows)


def _wire(row: Any) -> CouponWire:
    return CouponWire(id=row.id, member_id=row.member_id, rule=row.rule,
                      program_version=row.program_version, valid_from=row.valid_from,
                      expires_at=row.expires_at, issued_channel=row.issued_channel,
                      issued_order_ref=row.issued_order_ref, used_at=row.used_at,
                      used_channel=row.used_channel, used_order_ref=row.used_order_ref,
                      payload=coupon_payload(row.id))


class Coupons:
    def __init__(self, engine: Any, clock: Callable[[], datetime]) -> None:
        self.engine, self.clock = engine, clock

    def of_member(self, member_id: uuid.UUID) -> list[CouponWire]:
        """Every coupon the member was issued, used or not, soonest to expire first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(COUPONS).where(COUPONS.c.member_id == member_id)
                                .order_by(COUPONS.c.expires_at, COUPONS.c.id)).all()
        return [_wire(r) for r in rows]

    def use(self, caller: Caller, coupon_id: uuid.UUID, order_ref: str) -> CouponWire:
        """Spend the coupon on the caller's order ``order_ref``, once across every channel."""
        now, c = self.clock(), COUPONS.c
        with self.engine.begin() as conn:
            row = conn.execute(select(COUPONS).where(c.id == coupon_id)).first()
            if row is None:
                raise LedgerRefusal(404, "unknown_coupon", f"no coupon {coupon_id}")
            if row.used_at is not None:
                if (row.used_channel, row.used_order_ref) == (caller.device_id, order_ref):
                    return _wire(row)  # a retry of this very use
                raise LedgerRefusal(409, "coupon_used", f"coupon {coupon_id} was used on "
                                    f"{row.used_channel}, order {row.used_order_ref}, at "
                                    f"{row.used_at.isoformat()}")
            if not row.valid_from < now < row.expires_at:
                when = ("is valid from " + row.valid_from.isoformat() if now <= row.valid_from
                        else "expired at " + row.expires_at.isoformat())
                raise LedgerRefusal(422, "coupon_not_valid", f"coupon {coupon_id} {when}")
            won = conn.execute(update(COUPONS).where(c.id == coupon_id, c.used_at.is_(None))
                               .values(used_at=now, used_channel=caller.device_id,
                                       used_order_ref=order_ref)
                               .returning(*COUPONS.c)).first()
            if won is None:  # another device's use committed since the read above
                raise LedgerRefusal(409, "coupon_used", f"coupon {coupon_id} was just used "
                                    "on another order")
        return _wire(won)


def add_coupon_routes(app: FastAPI, coupons: Coupons, caller: Callable[..., Any],
                      request_body: Callable[[type[CouponUse]], dict[str, Any]]) -> None:
    """``GET /v1/members/{id}/coupons`` and ``POST /v1/coupons/{id}/use`` on ``app``, with
    the app's own caller dependency and request-body documentation."""

    @app.get("/v1/members/{member_id}/coupons")
    def member_coupons(member_id: uuid.UUID,
                       who: Annotated[Caller, Depends(caller)]) -> list[CouponWire]:
        """The member's coupons, used or not (a used one says where and when)."""
        return coupons.of_member(member_id)

    @app.post("/v1/coupons/{coupon_id}/use", openapi_extra=request_body(CouponUse),
              responses=refusals(404, 409, 422))
    def use_coupon(coupon_id: uuid.UUID,
                   body: Annotated[CouponUse, Depends(json_body(CouponUse))],
                   who: Annotated[Caller, Depends(caller)]) -> CouponWire:
        """Spend the coupon on one of the caller's orders: once across every kiosk and the
        shop (409 ``coupon_used`` names where it went), inside its validity window (422
        ``coupon_not_valid``); the same order again is answered as the first time."""
        return coupons.use(who, coupon_id, body.order_ref)

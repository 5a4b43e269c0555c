"""A checkout's hold (issue 15): its points and its coupon held in one transaction, then
confirmed with the order or released, like a card authorisation.

Points go through the redemption holds (``counter.OnlineCounter.hold_points``: the same
audit and the same "available" sum). A coupon is held by marking it with the order and a
time the hold lapses: while held, no other order may hold or use it (409
``coupon_held``); confirming spends it on the order, once across every channel.

An order that reaches the ledger by upload records its coupons' use too
(``coupon_uses.record_uses``).
"""


import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from sqlalchemy import Connection, select, update

from sync.server import models as m
from sync.server.calls import Caller, LedgerRefusal
from sync.server.counter import OnlineCounter
from sync.server.coupon_uses import COUPONS, coupon_refusal, double_uses
from sync.server.holds import MAX_HOLD, refusal
from sync.server.openapi import json_body, refusals
from sync.wire_holds import CheckoutHold, CheckoutHoldRequest, CheckoutRef


class CheckoutHolds:
    def __init__(self, counter: OnlineCounter) -> None:
        self.counter = counter
        self.ledger = counter.ledger

    def hold(self, caller: Caller, req: CheckoutHoldRequest) -> CheckoutHold:
        now = self.ledger.clock()
        expires = now + min(timedelta(seconds=req.hold_seconds), MAX_HOLD)
        entry = req.entry
        if entry is not None and (entry.member_id != req.member_id
                                  or entry.order_ref != req.order_ref):
            raise LedgerRefusal(422, "checkout_mismatch", "the redeem entry is for another "
                                "member or order than the checkout")
        with self.ledger.engine.begin() as conn:
            points = 0
            if entry is not None:
                row = self.counter.hold_points(conn, caller, entry, req.hold_seconds)
                points, expires = row.points, row.expires_at
            else:
                self.counter.lock_member(conn, req.member_id)
            for coupon_id in req.coupon_ids:
                found = self._coupon(conn, coupon_id)
                refused = coupon_refusal(found, req.member_id, caller.device_id,
                                         req.order_ref, now,
                                         self.ledger.current_program(conn).zone)
                if refused is not None:
                    raise refused
                if found.used_at is None:
                    conn.execute(update(COUPONS).where(COUPONS.c.id == coupon_id).values(
                        held_channel=caller.device_id, held_order_ref=req.order_ref,
                        held_until=expires))
        return CheckoutHold(order_ref=req.order_ref, state="held", points=points,
                            coupon_ids=req.coupon_ids, expires_at=expires)

    def confirm(self, caller: Caller, ref: CheckoutRef) -> CheckoutHold:
        """Spend what is held: the redemption recorded, the coupons used by the order. A
        redemption the ledger refuses is the checkout's refusal (422, ``holds.refusal``):
        its hold is voided (its points free again) and no coupon is used; the coupons'
        holds stay, till released or lapsed."""
        with self.ledger.engine.begin() as conn:
            points, refused = 0, None
            if ref.entry_id is not None:
                refused = refusal(self.counter.confirm_points(conn, caller, ref.entry_id))
                points = conn.execute(select(m.Reservation.points).where(
                    m.Reservation.id == ref.entry_id)).scalar_one()
            if refused is None:
                self._use_coupons(conn, caller, ref)
        if refused is not None:  # committed: the hold voided, nothing else
            raise refused
        return CheckoutHold(order_ref=ref.order_ref, state="confirmed", points=points,
                            coupon_ids=ref.coupon_ids)

    def _use_coupons(self, conn: Connection, caller: Caller, ref: CheckoutRef) -> None:
        now, c = self.ledger.clock(), COUPONS.c
        for coupon_id in ref.coupon_ids:
            found = self._coupon(conn, coupon_id)
            if (found.used_channel, found.used_order_ref) == (caller.device_id,
                                                             ref.order_ref):
                continue  # confirmed before, or the order's upload recorded it
            if (found.held_channel, found.held_order_ref) != (caller.device_id,
                                                             ref.order_ref) \
                    or found.held_until is None or found.held_until <= now:
                raise LedgerRefusal(410, "hold_expired", f"the hold on coupon "
                                    f"{coupon_id} lapsed or was released")
            conn.execute(update(COUPONS).where(c.id == coupon_id, c.used_at.is_(None))
                         .values(used_at=now, used_channel=caller.device_id,
                                 used_order_ref=ref.order_ref, held_channel=None,
                                 held_order_ref=None, held_until=None))

    def release(self, caller: Caller, ref: CheckoutRef) -> CheckoutHold:
        """Let go of what is held (a checkout the counter could not write)."""
        c = COUPONS.c
        with self.ledger.engine.begin() as conn:
            if ref.entry_id is not None:
                self.counter.void_points(conn, caller, ref.entry_id)
            if ref.coupon_ids:
                conn.execute(update(COUPONS).where(
                    c.id.in_(ref.coupon_ids), c.held_channel == caller.device_id,
                    c.held_order_ref == ref.order_ref).values(
                        held_channel=None, held_order_ref=None, held_until=None))
        return CheckoutHold(order_ref=ref.order_ref, state="released", points=0,
                            coupon_ids=ref.coupon_ids)

    @staticmethod
    def _coupon(conn: Connection, coupon_id: uuid.UUID) -> Any:
        row = conn.execute(select(COUPONS).where(COUPONS.c.id == coupon_id)
                           .with_for_update()).first()
        if row is None:
            raise LedgerRefusal(404, "unknown_coupon", f"no coupon {coupon_id}")
        return row


def add_checkout_routes(app: FastAPI, holds: CheckoutHolds, caller: Callable[..., Any],
                        admin: Callable[..., Any],
                        request_body: Callable[[type[Any]], dict[str, Any]]) -> None:
    """``POST /v1/checkouts`` (hold), ``/v1/checkouts/confirm``, ``/v1/checkouts/release``
    and the admins' ``GET /v1/reports/coupon-double-uses``."""

    @app.post("/v1/checkouts", status_code=201, openapi_extra=request_body(CheckoutHoldRequest),
              responses=refusals(404, 409, 422))
    def hold_checkout(body: Annotated[CheckoutHoldRequest,
                                      Depends(json_body(CheckoutHoldRequest, keys_once=True))],
                      who: Annotated[Caller, Depends(caller)]) -> CheckoutHold:
        """Hold a checkout's points and coupon for the caller's order until it is confirmed
        or released (or the hold lapses): 409 ``not_enough_points``, ``coupon_used``,
        ``coupon_held``, ``coupon_void``; 422 ``coupon_not_valid``."""
        return holds.hold(who, body)

    @app.post("/v1/checkouts/confirm", openapi_extra=request_body(CheckoutRef),
              responses=refusals(404, 410, 422))
    def confirm_checkout(body: Annotated[CheckoutRef, Depends(json_body(CheckoutRef,
                                                                        keys_once=True))],
                         who: Annotated[Caller, Depends(caller)]) -> CheckoutHold:
        """Spend what the checkout held (410 ``hold_expired`` if it lapsed)."""
        return holds.confirm(who, body)

    @app.post("/v1/checkouts/release", openapi_extra=request_body(CheckoutRef),
              responses=refusals(404, 409, 422))
    def release_checkout(body: Annotated[CheckoutRef, Depends(json_body(CheckoutRef,
                                                                        keys_once=True))],
                         who: Annotated[Caller, Depends(caller)]) -> CheckoutHold:
        """Let go of what the checkout held."""
        return holds.release(who, body)

    @app.get("/v1/reports/coupon-double-uses", responses=refusals(403))
    def coupon_double_uses(who: Annotated[Caller, Depends(admin)]) -> list[dict[str, object]]:
        """Coupons two orders used (taken at two counters while offline): the second use
        stands and is listed here, like an overdraft."""
        with holds.ledger.engine.connect() as conn:
            return double_uses(conn)

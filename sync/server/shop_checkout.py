"""The shop's checkout (issue 15, points 1, 7 and 8 on ``/v1``): a shop order may use a
reward (free shipping is the shop's own), a coupon and points as money, priced by the
counter's engine (``kiosk.engine.checkout.price_checkout``), spent in the order's own
transaction with the member locked, so nothing is held and nothing can be spent twice.

The order then goes through the ledger's audit like a kiosk's upload: its discount must be
what its loyalty gives, and its checkout redemption what the loyalty spent.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from kiosk.engine.checkout import (
    CHECKOUT_NOTE,
    CheckoutProblem,
    CouponTerms,
    Priced,
    price_checkout,
)
from kiosk.engine.coupons import coupon_problem
from kiosk.engine.orders import Order, OrderLine
from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program
from sync.server.calls import LedgerRefusal
from sync.server.coupon_uses import COUPONS, coupon_refusal


@dataclass(frozen=True, slots=True)
class ShopLoyalty:
    """What a shop order asks its loyalty to pay."""

    reward_id: str | None = None
    coupon_id: uuid.UUID | None = None
    points: int = 0

    @property
    def used(self) -> bool:
        return self.reward_id is not None or self.coupon_id is not None or self.points > 0


def price_shop_order(conn: Connection, program: Program, *, channel: str, order_ref: str,
                     member_id: uuid.UUID, lines: Sequence[OrderLine], at: datetime,
                     reward_id: str | None, coupon_id: uuid.UUID | None, points: int,
                     available: int) -> Priced:
    """The shop order's lines as its loyalty leaves them; a refusal names what is wrong
    (an unknown reward, a coupon that can't be used on it, points beyond the program's
    limits or the member's available points)."""
    reward = None
    if reward_id is not None:
        reward = program.reward_terms(reward_id)
        if reward is None:
            raise LedgerRefusal(422, "unknown_reward",
                                f"there is no reward {reward_id!r} in program {program.version}")
    coupon = None
    if coupon_id is not None:
        coupon = _coupon_terms(conn, program, channel=channel, order_ref=order_ref,
                               member_id=member_id, coupon_id=coupon_id, lines=lines, at=at)
    try:
        priced = price_checkout(lines, minor_units=program.minor_units, reward=reward,
                                coupon=coupon, points=points, policy=program.points_as_money)
    except CheckoutProblem as exc:
        raise LedgerRefusal(422, "checkout_refused", str(exc)) from None
    if priced.points_cost > available:
        raise LedgerRefusal(409, "not_enough_points", f"the member has {available} points "
                            f"available, the order's loyalty costs {priced.points_cost}")
    return priced


def _coupon_terms(conn: Connection, program: Program, *, channel: str, order_ref: str,
                  member_id: uuid.UUID, coupon_id: uuid.UUID, lines: Sequence[OrderLine],
                  at: datetime) -> CouponTerms:
    row = conn.execute(select(COUPONS).where(COUPONS.c.id == coupon_id)
                       .with_for_update()).first()
    if row is None:
        raise LedgerRefusal(404, "unknown_coupon", f"no coupon {coupon_id}")
    refused = coupon_refusal(row, member_id, channel, order_ref, at, program.zone)
    if refused is not None:
        raise refused
    rule = next((r for r in program.coupons if r.id == row.rule), None)
    if rule is None:
        raise LedgerRefusal(409, "coupon_rule_gone", f"coupon {coupon_id}'s rule {row.rule!r} "
                            f"is not in program {program.version}")
    problem = coupon_problem(rule, valid_from=row.valid_from, expires_at=row.expires_at,
                             used=False, order=Order(channel, order_ref, at, tuple(lines)),
                             at=at, zone=program.zone, minor_units=program.minor_units)
    if problem is not None:
        raise LedgerRefusal(422, "coupon_not_valid", f"coupon {coupon_id}: {problem}")
    return CouponTerms(coupon_id, rule)


def checkout_redemption(priced: Priced, *, member_id: uuid.UUID, channel: str,
                        order_ref: str, at: datetime, version: str) -> Entry | None:
    """The order's one redeem entry for what its loyalty spent (None: it spent no points),
    as a counter's checkout makes it (``kiosk.services.checkout``)."""
    if not priced.points_cost:
        return None
    return Entry(uuid.uuid4(), member_id, EntryKind.REDEEM, -priced.points_cost, channel, at,
                 version, order_ref, reward_id=priced.loyalty.reward_id, note=CHECKOUT_NOTE)

"""Orders and refunds on the wire, as a kiosk uploads them and the ledger reads them back
(``kiosk.engine.record.OrderRecord``, ``kiosk.engine.refunds.Refund``): out of
``sync/protocol.py``, being the bulk of an upload's body and the rules' whole input, so
the ledger can re-run the rules from them (DESIGN, the program engine, 3). Their lines
are :class:`RecordedLineWire`, as a counter took them; a shop's new lines are
``sync.wire_shop``'s.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

from pydantic import Field, field_validator

from kiosk.engine.orders import (
    Award,
    CouponIssue,
    LoyaltyUsed,
    MemberState,
    Order,
    OrderLine,
)
from kiosk.engine.record import OrderRecord
from kiosk.engine.refunds import Refund, RefundLine
from kiosk.ledger import EntryKind
from sync.wire_types import Text, Text64, UtcTime, Wire

MAX_LINES = 500
Money = Annotated[int, Field(strict=True, ge=0, le=10**13)]  # minor units, never negative
SignedMoney = Annotated[int, Field(strict=True, ge=-(10**13), le=10**13)]
Points = Annotated[int, Field(strict=True, ge=-(10**9), le=10**9)]
Key = Annotated[Text, Field(min_length=1, max_length=200)]  # a derived award's once key


class RecordedLineWire(Wire):
    """An order's line as a counter took it (:class:`OrderWire`: a kiosk's upload, an
    order read back): its code is :data:`Text64`, as a counter before ``check_code`` took
    it, so an order queued then still goes up and one stored then still reads back."""

    code: Text64
    quantity: int = Field(strict=True, ge=1, le=10**6)
    unit_price_minor: Money
    category: Text64 | None = None



class LoyaltyWire(Wire):
    """What loyalty paid for on the order (it earns nothing)."""

    reward_id: Annotated[Text, Field(max_length=32)] | None = None
    coupon_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    points_used: int = Field(default=0, strict=True, ge=0, le=10**9)
    discount_minor: Money = 0
    coupon_rules: list[Text64] = Field(default_factory=list, max_length=100)
    reward_minor: Money = 0  # a reward off some lines only: its part of the discount...
    reward_lines: list[Annotated[int, Field(strict=True, ge=0, lt=MAX_LINES)]] = Field(
        default_factory=list, max_length=MAX_LINES)  # ...and those lines


class MemberStateWire(Wire):
    """What the counter knew of the member when it rang the order up."""

    tier: Annotated[Text, Field(min_length=1, max_length=32)]
    enrolled_at: UtcTime | None = None
    birthday: date | None = None
    referrer_id: uuid.UUID | None = None
    purchases_before: int = Field(default=0, strict=True, ge=0, le=10**9)
    stamps: list[tuple[Text64, Points]] = Field(default_factory=list, max_length=100)
    period_spend: list[tuple[Text64, SignedMoney]] = Field(default_factory=list, max_length=100)


class AwardWire(Wire):
    kind: EntryKind
    points: Points
    rule: Text64
    line: int | None = Field(default=None, strict=True, ge=0, lt=MAX_LINES)
    amount_minor: SignedMoney = 0
    wallet: Text64 = "points"
    once: Key | None = None
    at: UtcTime | None = None


class CouponIssueWire(Wire):
    rule: Text64
    once: Key
    valid_from: UtcTime
    expires_at: UtcTime


_SHARED: dict[tuple[object, ...], object] = {}
_MOST_SHARED = 50_000
V = TypeVar("V")


def shared(kind: Callable[..., V], *fields: object) -> V:
    """``kind(*fields)``, one object for equal fields: the domain's values are frozen, so
    equal ones may be one. (Fields are the wire's validated values: no ``True`` where a
    1 belongs, which would share a key with it.) Forgotten all at once when there are many.
    """
    key = (kind, *fields)
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) >= _MOST_SHARED:
            _SHARED.clear()
        found = _SHARED[key] = kind(*fields)
    return found  # type: ignore[return-value]


class OrderWire(Wire):
    """An order as the ledger keeps it (``kiosk.engine.record.OrderRecord``): the order's
    own fields, the member state the counter knew (None: a non-member order), the program
    version it ran and the awards of each line. It goes up with the upload that carries its
    entries, and the ledger re-runs the rules with it (DESIGN, the program engine, 3)."""

    channel: Text64
    order_ref: Text64
    occurred_at: UtcTime
    lines: list[RecordedLineWire] = Field(max_length=MAX_LINES)
    member_id: uuid.UUID | None = None
    store: Annotated[Text, Field(max_length=200)] | None = None
    loyalty: LoyaltyWire = LoyaltyWire()
    cashier: Annotated[Text, Field(max_length=40)] | None = None
    state: MemberStateWire | None = None
    program_version: Annotated[Text, Field(min_length=1, max_length=40)]
    awards: list[AwardWire] = Field(default_factory=list, max_length=4 * MAX_LINES)
    coupons: list[CouponIssueWire] = Field(default_factory=list, max_length=100)

    @field_validator("lines")
    @classmethod
    def _gross(cls, lines: list[RecordedLineWire]) -> list[RecordedLineWire]:
        gross = sum(line.quantity * line.unit_price_minor for line in lines)
        if gross > 10**13:
            raise ValueError(f"the lines add up to {gross}, more than 10**13 minor units")
        return lines

    @property
    def key(self) -> tuple[str, str]:
        return self.channel, self.order_ref

    def to_record(self) -> OrderRecord:
        """The record; its lines, awards and loyalty are :func:`shared` (an upload's
        ~600 awards are a few dozen distinct ones, and each built anew cost 0.4 ms)."""
        loyalty = self.loyalty
        order = Order(self.channel, self.order_ref, self.occurred_at,
                      tuple(shared(OrderLine, x.code, x.quantity, x.unit_price_minor,
                                   x.category) for x in self.lines),
                      self.member_id, self.store,
                      shared(LoyaltyUsed, loyalty.reward_id, tuple(loyalty.coupon_ids),
                             loyalty.points_used, loyalty.discount_minor,
                             tuple(loyalty.coupon_rules), loyalty.reward_minor,
                             tuple(loyalty.reward_lines)),
                      self.cashier)
        s = self.state
        state = None if s is None else MemberState(
            s.tier, s.enrolled_at, s.birthday, s.referrer_id, s.purchases_before,
            tuple(s.stamps), tuple(s.period_spend))
        return OrderRecord(
            order, state, self.program_version,
            tuple(shared(Award, a.kind, a.points, a.rule, a.line, a.amount_minor, a.wallet,
                         a.once, a.at) for a in self.awards),
            tuple(CouponIssue(c.rule, c.once, c.valid_from, c.expires_at)
                  for c in self.coupons))

    @classmethod
    def of(cls, record: OrderRecord) -> OrderWire:
        o, s = record.order, record.state
        return cls.model_validate({
            "channel": o.channel, "order_ref": o.order_ref, "occurred_at": o.occurred_at,
            "lines": [{"code": x.code, "quantity": x.quantity,
                       "unit_price_minor": x.unit_price_minor, "category": x.category}
                      for x in o.lines],
            "member_id": o.member_id, "store": o.store, "cashier": o.cashier,
            "loyalty": {"reward_id": o.loyalty.reward_id,
                        "coupon_ids": list(o.loyalty.coupon_ids),
                        "points_used": o.loyalty.points_used,
                        "discount_minor": o.loyalty.discount_minor,
                        "coupon_rules": list(o.loyalty.coupon_rules),
                        "reward_minor": o.loyalty.reward_minor,
                        "reward_lines": list(o.loyalty.reward_lines)},
            "state": None if s is None else {
                "tier": s.tier, "enrolled_at": s.enrolled_at, "birthday": s.birthday,
                "referrer_id": s.referrer_id, "purchases_before": s.purchases_before,
                "stamps": list(s.stamps), "period_spend": list(s.period_spend)},
            "program_version": record.program_version,
            "awards": [{"kind": a.kind, "points": a.points, "rule": a.rule, "line": a.line,
                        "amount_minor": a.amount_minor, "wallet": a.wallet, "once": a.once,
                        "at": a.at} for a in record.awards],
            "coupons": [{"rule": c.rule, "once": c.once, "valid_from": c.valid_from,
                         "expires_at": c.expires_at} for c in record.coupons]})


class RefundLineWire(Wire):
    line: int = Field(strict=True, ge=0, lt=MAX_LINES)  # the order line's index
    quantity: int = Field(strict=True, gt=0, le=10**6)


class RefundWire(Wire):
    """A refund of some of an order's lines (``kiosk.engine.refunds.Refund``): it goes up
    with the reversals it makes, and the ledger checks them against it (never more than
    the order's stored awards give back)."""

    id: uuid.UUID
    channel: Text64
    order_ref: Text64
    occurred_at: UtcTime
    lines: list[RefundLineWire] = Field(min_length=1, max_length=MAX_LINES)
    approved_by: Annotated[Text, Field(max_length=40)] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.channel, self.order_ref

    def to_refund(self) -> Refund:
        return Refund(self.id, self.channel, self.order_ref, self.occurred_at,
                      tuple(RefundLine(x.line, x.quantity) for x in self.lines),
                      self.approved_by)

    @classmethod
    def of(cls, refund: Refund) -> RefundWire:
        return cls.model_validate({
            "id": refund.id, "channel": refund.channel, "order_ref": refund.order_ref,
            "occurred_at": refund.occurred_at, "approved_by": refund.approved_by,
            "lines": [{"line": x.line, "quantity": x.quantity} for x in refund.lines]})

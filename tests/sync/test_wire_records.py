"""An uploaded order as the record the ledger checks and keeps (``OrderWire.to_record``):
equal lines, awards and loyalty are one object (``sync.wire_orders.shared``), and the record
is the same value as the counter's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from kiosk.engine.orders import Award, LoyaltyUsed, MemberState, Order, OrderLine
from kiosk.engine.record import OrderRecord
from kiosk.ledger import EntryKind
from sync.protocol import OrderWire

AT = datetime(2026, 11, 20, 10, tzinfo=UTC)


def _record(ref: str, points: int = 10) -> OrderRecord:
    lines = (OrderLine("TEA", 2, 65, "tea"), OrderLine("AMOUNT", 1, 330))
    order = Order("till-1", ref, AT, lines, uuid.uuid4(), None, LoyaltyUsed(), "Ann")
    return OrderRecord(order, MemberState("bronze", AT, None, None, 3, (("tea-card", 2),), ()),
                       "2026.1", (Award(EntryKind.EARN, 4, "earn", 0, 130),
                                  Award(EntryKind.BONUS, points, "promo:tea", 0)))


def test_an_order_comes_back_as_the_counters_record() -> None:
    record = _record("S-1")
    assert OrderWire.of(record).to_record() == record


def test_equal_parts_of_orders_are_one_object_and_others_are_not() -> None:
    one, two = (OrderWire.of(_record(ref)).to_record() for ref in ("S-1", "S-2"))
    assert one.order.lines[0] is two.order.lines[0]
    assert one.awards[1] is two.awards[1] and one.order.loyalty is two.order.loyalty
    other = OrderWire.of(_record("S-3", points=11)).to_record()
    assert other.awards[1] is not one.awards[1] and other.awards[1].points == 11
    assert other.awards[0] is one.awards[0]


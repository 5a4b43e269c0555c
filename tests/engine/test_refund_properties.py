"""Refunds by line, as properties (issue 15): any sequence of partial refunds never takes
back more than an entry of the order gave, nor gives back more than it spent, never the
wrong way, and once every line is back the order is undone exactly, to the point, the
stamp and the minor unit of spend and money."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.awards import order_entries, record_for
from kiosk.engine.orders import LoyaltyUsed, MemberState, Order, OrderLine
from kiosk.engine.refunds import (
    RefundLine,
    after,
    coupons_back,
    money_back,
    refund_problem,
    still_to_undo,
    whole,
)
from kiosk.ledger import Entry, EntryKind
from kiosk.program import parse_program
from tests.helpers.program import COFFEE_CARD, PROMOTIONS, program_text

PROGRAM = parse_program(program_text(PROMOTIONS + COFFEE_CARD.replace(
    'size = 4', 'size = 4\nper = "item"')))
MEMBER = uuid.UUID("11111111-2222-3333-4444-555555555555")
FRIDAY = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # tea earns double on Fridays

lines = st.lists(st.tuples(st.sampled_from([("TEA", "tea"), ("LATTE", "coffee"),
                                             ("MUG", "kitchen"), ("AMOUNT", None)]),
                           st.integers(1, 6), st.integers(0, 3000)),
                 min_size=1, max_size=5)


def ids():  # type: ignore[no-untyped-def]
    n = iter(range(1, 10**6))
    return lambda: uuid.UUID(int=next(n))


@settings(max_examples=200, deadline=None)
@given(basket=lines, stamps=st.integers(0, 3), discount=st.integers(0, 100),
       points_used=st.integers(0, 500), coupon=st.booleans(), data=st.data())
def test_partial_refunds_never_undo_more_and_all_of_them_undo_exactly(
        basket, stamps, discount, points_used, coupon, data) -> None:  # type: ignore[no-untyped-def]
    order_lines = tuple(OrderLine(code, qty, price, category)
                        for (code, category), qty, price in basket)
    gross = sum(line.total_minor for line in order_lines)
    loyalty = LoyaltyUsed(coupon_ids=(uuid.uuid4(),) if coupon else (),
                          points_used=points_used, discount_minor=gross * discount // 100)
    order = Order("k1", "R-1", FRIDAY, order_lines, MEMBER, loyalty=loyalty)
    record = record_for(PROGRAM, order, MemberState("basic", stamps=(("coffee", stamps),)))
    entries = list(order_entries(record, new_id=ids(), staff=None))
    entries.append(Entry(uuid.uuid4(), MEMBER, EntryKind.REDEEM, -points_used, "k1",
                         FRIDAY, PROGRAM.version, "R-1", note="checkout"))
    back = {e.id: (0, 0) for e in entries}
    done: dict[int, int] = {}
    paid_back = 0
    # Hand the lines back in a random order and in random pieces, until nothing is left.
    while not whole(order, done):
        left = [(i, line.quantity - done.get(i, 0)) for i, line in enumerate(order_lines)
                if line.quantity > done.get(i, 0)]
        picked = data.draw(st.lists(st.sampled_from(left), min_size=1, unique=True))
        refund = tuple(RefundLine(i, data.draw(st.integers(1, n))) for i, n in picked)
        assert refund_problem(order, done, refund) is None
        paid_back += money_back(order, done, refund)
        assert coupons_back(order, done) == ()  # a coupon comes back with the whole order
        done = after(done, refund)
        for e in entries:
            more = still_to_undo(record, done, kind=e.kind, note=e.note, points=e.points,
                                 amount_minor=e.amount_minor, back_points=back[e.id][0],
                                 back_amount=back[e.id][1])
            total = (back[e.id][0] + more[0], back[e.id][1] + more[1])
            # Never the wrong way, never past the entry.
            assert -e.points * total[0] >= 0 and abs(total[0]) <= abs(e.points)
            assert -e.amount_minor * total[1] >= 0 and abs(total[1]) <= abs(e.amount_minor)
            back[e.id] = total
        # Asking for one more than is left of any line is refused.
        i, n = left[0]
        assert refund_problem(order, done, (RefundLine(i, n + 1),)) is not None
    assert all(back[e.id] == (-e.points, -e.amount_minor) for e in entries)
    assert paid_back == order.net_paid_minor
    assert coupons_back(order, done) == loyalty.coupon_ids

"""The refund list: this kiosk's recent sales, newest first, each with what a refund of it
would take back, and whether it is refunded already."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.ledger import Entry, EntryKind
from kiosk.services import (
    Enrolment,
    Sale,
    enrol,
    find_order,
    recent_orders,
    redeem,
    refund_order,
    ring_up_sale,
)


def test_the_kiosks_sales_are_listed_newest_first_with_amount_and_points(kiosk, member, clock):
    ring_up_sale(kiosk, Sale(member.member.id, 12000, "L-1"))  # 120 points
    clock.advance(minutes=5)
    ring_up_sale(kiosk, Sale(member.member.id, 480, "L-2"))  # 7 points: silver by now
    orders = recent_orders(kiosk, None)
    assert [(o.order_ref, o.amount_minor, o.points, o.refunded) for o in orders] == [
        ("L-2", 480, 7, False), ("L-1", 12000, 120, False)]
    assert orders[0].when == clock.now and orders[0].when.utcoffset() == timedelta(0)
    assert (orders[0].member_id, orders[0].member_name) == (member.member.id, "陳美玲")


def test_the_enrolment_bonus_and_redemptions_without_an_order_are_not_orders(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 2000, "L-3"))
    redeem(kiosk, member.member.id, "coffee")
    assert [o.order_ref for o in recent_orders(kiosk)] == ["L-3"]


def test_a_member_at_the_counter_sees_only_their_orders(kiosk, member, clock):
    other = enrol(kiosk, Enrolment("Alice Wong", "0987-654-321", consent=True))
    ring_up_sale(kiosk, Sale(member.member.id, 1000, "M-1"))
    clock.advance(seconds=1)
    ring_up_sale(kiosk, Sale(other.member.id, 3000, "A-1"))
    assert [o.order_ref for o in recent_orders(kiosk, member.member.id)] == ["M-1"]
    assert [o.order_ref for o in recent_orders(kiosk, other.member.id)] == ["A-1"]
    assert [o.order_ref for o in recent_orders(kiosk)] == ["A-1", "M-1"]


def test_the_list_is_bounded_and_keeps_the_newest(kiosk, member, clock):
    for i in range(5):
        ring_up_sale(kiosk, Sale(member.member.id, 100 * (i + 1), f"B-{i}"))
        clock.advance(days=1)  # earlier days are listed too, not only today's
    assert [o.order_ref for o in recent_orders(kiosk, limit=3)] == ["B-4", "B-3", "B-2"]
    with pytest.raises(ValueError):
        recent_orders(kiosk, limit=0)


def test_a_refunded_order_is_listed_as_refunded(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 5000, "R-1"))
    refund_order(kiosk, "R-1")
    [order] = recent_orders(kiosk)
    assert (order.order_ref, order.refunded, order.points) == ("R-1", True, 50)


def test_an_order_that_used_a_reward_shows_what_its_refund_takes_back(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 5000, "R-4"))  # 100 points
    redeem(kiosk, member.member.id, "nt100-off", order_ref="R-4")  # -100
    [order] = recent_orders(kiosk)
    result = refund_order(kiosk, "R-4")
    assert order.points == -result.points


def test_another_channels_order_with_the_same_number_is_not_this_kiosks(kiosk, member, clock):
    ring_up_sale(kiosk, Sale(member.member.id, 1000, "X-1"))
    elsewhere = Entry(kiosk.new_id(), member.member.id, EntryKind.EARN, 77, "web", clock.now,
                      kiosk.program.version, "X-1", 7700)
    shop_only = Entry(kiosk.new_id(), member.member.id, EntryKind.EARN, 5, "web", clock.now,
                      kiosk.program.version, "W-9", 500)
    with kiosk.store.write() as tx:
        tx.entries.append([elsewhere, shop_only])
    assert [(o.order_ref, o.amount_minor, o.points) for o in recent_orders(kiosk)] == [
        ("X-1", 1000, 10)]
    assert find_order(kiosk, "W-9") is None


def test_a_typed_order_number_is_found_as_the_list_shows_it(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 2500, "T-1"))
    found = find_order(kiosk, "T-1")
    assert found is not None and (found.amount_minor, found.points) == (2500, 25)
    assert find_order(kiosk, "NOPE") is None


def test_the_refund_names_the_manager_who_approved_it(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 1000, "N-1"))
    result = refund_order(kiosk, "N-1", "returned", approved_by="Mei")
    assert [e.note for e in result.entries] == ["returned (approved by Mei)"]
    ring_up_sale(kiosk, Sale(member.member.id, 1000, "N-2"))
    [entry] = refund_order(kiosk, "N-2", "x" * 300, approved_by="Mei").entries
    assert entry.note is not None and len(entry.note) == 200
    ring_up_sale(kiosk, Sale(member.member.id, 1000, "N-3"))
    [entry] = refund_order(kiosk, "N-3", approved_by="Mei").entries
    assert entry.note == "refund (approved by Mei)"

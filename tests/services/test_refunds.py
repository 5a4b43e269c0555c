"""Refunds reverse an order's points with new entries."""

from __future__ import annotations

import pytest

from kiosk.ledger import EntryKind
from kiosk.services import Sale, identify, redeem, refund_order, ring_up_sale, verify_store
from kiosk.services.errors import AlreadyRefunded, UnknownOrder


def test_refunding_an_order_brings_the_balance_back(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 12000, "R-1"))
    result = refund_order(kiosk, "R-1", "customer returned the kettle")
    assert (result.points, result.balance) == (-120, 50)
    [entry] = result.entries
    assert (entry.kind, entry.amount_minor, entry.note) == (EntryKind.REVERSE, -12000,
                                                           "customer returned the kettle")
    view = identify(kiosk, member.card.payload)
    assert (view.balance, view.progress.spend_minor) == (50, 0)
    assert verify_store(kiosk).ok


def test_an_order_is_refunded_once(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 500, "R-2"))
    refund_order(kiosk, "R-2")
    with pytest.raises(AlreadyRefunded):
        refund_order(kiosk, "R-2")
    assert identify(kiosk, member.card.payload).balance == 50


def test_an_unknown_order_is_refused(kiosk, member):
    with pytest.raises(UnknownOrder):
        refund_order(kiosk, "NOPE")


def test_a_refund_after_the_points_were_spent_leaves_a_visible_debt(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 2000, "R-3"))  # 50 + 20
    redeem(kiosk, member.member.id, "coffee")  # 10 left
    result = refund_order(kiosk, "R-3")
    assert result.balance == -10  # recovered from future earnings, never hidden
    assert verify_store(kiosk).ok


def test_refunding_an_order_that_used_a_reward_gives_the_reward_points_back(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 5000, "R-4"))  # 100 points
    redeem(kiosk, member.member.id, "nt100-off", order_ref="R-4")
    result = refund_order(kiosk, "R-4")
    assert (result.points, result.balance) == (-50 + 100, 50)

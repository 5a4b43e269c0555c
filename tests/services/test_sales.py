"""Ringing up sales at the counter."""

from __future__ import annotations

import pytest

from kiosk.ids import new_id
from kiosk.services import Sale, SaleLine, identify, ring_up_sale
from kiosk.services.errors import InvalidInput, UnknownMember


def test_a_sale_awards_points_and_the_member_view_shows_the_new_balance(kiosk, member, clock):
    clock.advance(minutes=1)  # bought after joining (the activity is newest first)
    result = ring_up_sale(kiosk, Sale(member.member.id, 480, "T-1"))
    assert (result.points, result.balance, result.tier.id, result.duplicate) == (4, 54, "bronze",
                                                                                 False)
    view = identify(kiosk, member.card.payload)
    assert view.balance == 54
    assert [e.points for e in view.recent[:2]] == [4, 50]


def test_ringing_up_the_same_order_twice_awards_once(kiosk, member):
    first = ring_up_sale(kiosk, Sale(member.member.id, 1000, "T-9"))
    again = ring_up_sale(kiosk, Sale(member.member.id, 1000, "T-9"))
    assert again.duplicate and again.entries == first.entries
    assert again.balance == first.balance == 60


def test_the_same_order_number_with_another_amount_is_refused(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 1000, "T-9"))
    with pytest.raises(InvalidInput, match="different"):
        ring_up_sale(kiosk, Sale(member.member.id, 2000, "T-9"))
    assert identify(kiosk, member.card.payload).balance == 60


def test_spend_moves_the_member_up_a_tier_for_the_next_sale(kiosk, member):
    assert ring_up_sale(kiosk, Sale(member.member.id, 10000)).tier.id == "bronze"
    assert ring_up_sale(kiosk, Sale(member.member.id, 100)).tier.id == "silver"
    view = identify(kiosk, member.card.payload)
    assert (view.progress.tier.id, view.progress.remaining_minor) == ("silver", 19900)


def test_tier_spend_is_a_rolling_window(kiosk, member, clock):
    ring_up_sale(kiosk, Sale(member.member.id, 10000))
    clock.advance(days=366)
    assert identify(kiosk, member.card.payload).progress.tier.id == "bronze"


def test_a_basket_earns_on_its_total(kiosk, member):
    lines = (SaleLine("4710001", 2, 150), SaleLine("4710002", 1, 250))
    result = ring_up_sale(kiosk, Sale.of_basket(member.member.id, lines))
    assert (result.points, result.entries[0].amount_minor) == (5, 550)


@pytest.mark.parametrize("amount", [0, -100])
def test_a_sale_needs_a_positive_amount(kiosk, member, amount):
    with pytest.raises(InvalidInput):
        ring_up_sale(kiosk, Sale(member.member.id, amount))


def test_a_sale_for_an_unknown_member_records_nothing(kiosk, member):
    with pytest.raises(UnknownMember):
        ring_up_sale(kiosk, Sale(new_id(), 500))
    with kiosk.store.read() as tx:
        assert tx.outbox.size() == 1  # only the sign-up bonus

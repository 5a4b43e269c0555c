"""Sales are orders: the engine's awards at the counter (promotions, once-only bonuses),
non-member sales kept for the reports, and the preview saying what confirming will do."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.orders import derived_id
from kiosk.ledger import EntryKind
from kiosk.program import Program, parse_program
from kiosk.services import Enrolment, Sale, SaleLine, enrol, preview_sale, ring_up_sale
from kiosk.services.errors import InvalidInput
from tests.helpers.program import program_text

TEA = SaleLine("TEA-OOLONG", 4, 65, "tea")
CAKE = SaleLine("CAKE-SUN", 5, 40, "cake")


@pytest.fixture
def program() -> Program:
    return parse_program(program_text())


@pytest.fixture
def member(kiosk):  # born in November: the test clock's month
    return enrol(kiosk, Enrolment("陳美玲", "0912-345-678", birthday=date(1991, 11, 3),
                                  consent=True)).member


def test_a_friday_tea_sale_earns_the_promotion_and_the_once_only_bonuses(kiosk, member):
    result = ring_up_sale(kiosk, Sale.of_basket(member.id, (TEA, CAKE)))  # NT$460, Friday
    assert [(e.kind, e.note, e.points, e.amount_minor) for e in result.entries] == [
        (EntryKind.EARN, None, 4, 460), (EntryKind.BONUS, "promo:tea-friday", 2, 0),
        (EntryKind.BONUS, "birthday:2026", 100, 0),
        (EntryKind.BONUS, "first_purchase", 30, 0)]
    assert result.applied == ("tea-friday",)
    assert result.balance == 50 + 4 + 2 + 100 + 30
    birthday = result.entries[2]
    assert birthday.id == derived_id(member.id, "birthday:2026")
    assert birthday.channel == DERIVED_CHANNEL and birthday.order_ref is None
    with kiosk.store.read() as tx:
        kept = tx.orders.get(kiosk.channel, result.order_ref)
    assert kept is not None and kept.state is not None
    assert [(x.code, x.category, x.quantity) for x in kept.order.lines] == [
        ("TEA-OOLONG", "tea", 4), ("CAKE-SUN", "cake", 5)]
    assert kept.state.birthday == date(1991, 11, 3) and kept.program_version == "2026.2"


def test_the_birthday_and_first_purchase_bonuses_come_once(kiosk, member, clock):
    ring_up_sale(kiosk, Sale.of_basket(member.id, (CAKE,)))
    clock.advance(days=3)
    again = ring_up_sale(kiosk, Sale.of_basket(member.id, (CAKE,)))
    assert [e.note for e in again.entries] == [None]  # Monday: no promotion either


def test_the_preview_is_what_ringing_up_makes(kiosk, member):
    sale = Sale.of_basket(member.id, (TEA, CAKE))
    preview = preview_sale(kiosk, sale)
    result = ring_up_sale(kiosk, sale)
    assert preview.points == result.points == 136
    assert [p.id for p in preview.promotions] == ["tea-friday"]


def test_a_non_member_sale_is_an_order_with_no_points(kiosk):
    sale = Sale.of_basket(None, (TEA,), order_ref="WALK-IN-1")
    result = ring_up_sale(kiosk, sale)
    assert (result.entries, result.points, result.duplicate) == ((), 0, False)
    assert ring_up_sale(kiosk, sale).duplicate  # a double tap records nothing new
    with pytest.raises(InvalidInput, match="different member or amount"):
        ring_up_sale(kiosk, Sale.of_basket(None, (CAKE,), order_ref="WALK-IN-1"))
    with kiosk.store.read() as tx:
        kept = tx.orders.unsent(10)
    assert [(r.order.order_ref, r.order.member_id, r.state, r.order.gross_minor)
            for r in kept] == [("WALK-IN-1", None, None, 260)]


def test_a_member_known_only_by_another_stores_card_gets_no_once_only_bonus(kiosk):
    """Their birthday and enrolment are their store's to say: a bonus dated by a guess
    would be kept here and refused by the ledger (balances apart)."""
    from kiosk.members import Member

    stranger = Member(uuid.uuid4(), "", "", kiosk.clock(), "other-till", profile_pending=True)
    with kiosk.store.write() as tx:
        tx.members.add(stranger)
    result = ring_up_sale(kiosk, Sale.of_basket(stranger.id, (TEA,)))
    assert [e.note for e in result.entries] == [None, "promo:tea-friday"]


def test_a_walk_in_sales_number_cannot_be_rung_up_again_for_a_member(kiosk, member):
    ring_up_sale(kiosk, Sale.of_basket(None, (TEA,), order_ref="R-7"))
    with pytest.raises(InvalidInput, match="already rung up"):
        ring_up_sale(kiosk, Sale.of_basket(member.id, (TEA,), order_ref="R-7"))

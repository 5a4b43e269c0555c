"""Punch cards: which lines stamp, when a card fills, what carries over."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from kiosk.engine.coupons import CouponRule
from kiosk.engine.orders import Award, LoyaltyUsed, MemberState, Order, OrderLine
from kiosk.engine.punch_cards import PunchCard, check_punch_cards, punch, punch_all
from kiosk.ledger import EntryKind

TAIPEI = ZoneInfo("Asia/Taipei")
MEMBER = uuid.UUID("11111111-2222-3333-4444-555555555555")
NAMES = {"en": "Card", "zh-TW": "集點卡", "zh-CN": "集点卡"}
AT = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # 15:00 in Taipei


def coupon(id: str, item: str, on: str = "punch_card") -> CouponRule:
    return CouponRule.model_validate({
        "id": id, "names": NAMES, "valid_days": 30,
        "value": {"kind": "free_item", "item": item},
        "trigger": {"on": on} if on != "order" else {"on": "order", "min_amount": "100"}})


def card(id: str, size: int, **more: Any) -> PunchCard:
    return PunchCard.model_validate({"id": id, "names": NAMES, "size": size,
                                     "coupon": more.pop("coupon", f"free-{id}"), **more})


def order(*lines: tuple[str, int, int] | tuple[str, int, int, str], ref: str = "7",
          member: uuid.UUID | None = MEMBER, discount: int = 0) -> Order:
    return Order(channel="k1", order_ref=ref, occurred_at=AT,
                 lines=tuple(OrderLine(*line) for line in lines), member_id=member,
                 loyalty=LoyaltyUsed(discount_minor=discount))


COFFEE_CARD = card("coffee", 9, products=["COFFEE", "LATTE"])  # buy 9, the 10th free
BACKPACK_CARD = card("bag", 4, categories=["backpacks"])  # every 5th backpack free
FREE_COFFEE, FREE_BAG = coupon("free-coffee", "COFFEE"), coupon("free-bag", "BAG-1")
RULES = [FREE_COFFEE, FREE_BAG]


def earn(card_id: str, stamps: int, line: int | None = 0) -> Award:
    """The stamps a line earns (a refund of the line takes them back)."""
    return Award(kind=EntryKind.STAMP, points=stamps, rule=f"card:{card_id}", line=line,
                 wallet=f"card:{card_id}")


def full(card_id: str, stamps: int) -> Award:
    return Award(kind=EntryKind.STAMP, points=-stamps, rule=f"card:{card_id}",
                 wallet=f"card:{card_id}")


@pytest.mark.parametrize(("the_card", "the_order", "held", "awards", "coupons"), [
    # buy 9 coffees, the 10th is free
    (COFFEE_CARD, order(("COFFEE", 3, 120)), 0, [earn("coffee", 3)], 0),
    (COFFEE_CARD, order(("COFFEE", 1, 120)), 8, [earn("coffee", 1), full("coffee", 9)], 1),
    (COFFEE_CARD, order(("COFFEE", 2, 120), ("LATTE", 1, 140)), 7,
     [earn("coffee", 2), earn("coffee", 1, 1), full("coffee", 9)], 1),  # the 10th carries over
    (COFFEE_CARD, order(("COFFEE", 14, 120)), 5, [earn("coffee", 14), full("coffee", 18)], 2),
    (COFFEE_CARD, order(("CAKE", 1, 90)), 8, [], 0),
    # every 5th backpack free: 4 stamps fill the card
    (BACKPACK_CARD, order(("BAG-1", 1, 1990, "backpacks")), 3,
     [earn("bag", 1), full("bag", 4)], 1),
    (BACKPACK_CARD, order(("BAG-1", 1, 1990, "backpacks"), ("BAG-2", 1, 2490, "backpacks")),
     1, [earn("bag", 1), earn("bag", 1, 1)], 0),
    (BACKPACK_CARD, order(("TENT", 1, 5990, "tents")), 3, [], 0),
    # no stamps for a non-member sale, or for what loyalty paid for in full
    (COFFEE_CARD, order(("COFFEE", 1, 120), member=None), 8, [], 0),
    (COFFEE_CARD, order(("COFFEE", 1, 120), discount=120), 8, [], 0),
    (COFFEE_CARD, order(("COFFEE", 1, 0), ("CAKE", 1, 90)), 8, [], 0),  # a free coffee
    (COFFEE_CARD, order(("COFFEE", -1, 120)), 8, [], 0),  # a coffee handed back
])
def test_stamps_and_full_cards(the_card: PunchCard, the_order: Order, held: int,
                               awards: list[Award], coupons: int) -> None:
    rule = FREE_COFFEE if the_card is COFFEE_CARD else FREE_BAG
    got, issued = punch(the_card, the_order, held, coupon=rule, zone=TAIPEI, minor_units=0)
    assert got == awards
    assert [c.once for c in issued] == [f"card:{the_card.id}:k1:7:{n}"
                                        for n in range(1, coupons + 1)]
    assert all(c.rule == rule.id for c in issued)


def test_the_free_coffee_is_for_the_next_visit_and_lasts_30_days() -> None:
    _, (issued,) = punch(COFFEE_CARD, order(("COFFEE", 1, 120)), 8, coupon=FREE_COFFEE,
                         zone=TAIPEI, minor_units=0)
    assert issued.valid_from == AT
    assert issued.expires_at == datetime(2026, 12, 20, 16, 0, tzinfo=UTC)  # 21 Dec in Taipei
    assert issued.id_for(MEMBER) != issued.id_for(uuid.uuid4())


@pytest.mark.parametrize(("per", "min_amount", "the_order", "stamps"), [
    ("order", "0", order(("COFFEE", 3, 120)), 1),
    ("order", "0", order(("CAKE", 3, 90)), 0),
    ("item", "300", order(("COFFEE", 2, 120), ("CAKE", 1, 500)), 0),  # coffees total 240
    ("item", "300", order(("COFFEE", 3, 120)), 3),
    ("order", "300", order(("COFFEE", 3, 120), ("LATTE", 1, 140)), 1),
    ("item", "300", order(("COFFEE", 3, 120), discount=60), 3),  # the member paid 300
    ("item", "300", order(("COFFEE", 3, 120), discount=61), 0),  # ... and here 299
])
def test_per_order_cards_and_a_minimum_amount(per: str, min_amount: str, the_order: Order,
                                              stamps: int) -> None:
    the_card = card("coffee", 9, products=["COFFEE", "LATTE"], per=per, min_amount=min_amount)
    got, _ = punch(the_card, the_order, 0, coupon=FREE_COFFEE, zone=TAIPEI, minor_units=0)
    assert sum(a.points for a in got if a.points > 0) == stamps


def test_two_cards_at_once() -> None:
    the_order = order(("COFFEE", 2, 120), ("BAG-1", 1, 1990, "backpacks"), ref="A9")
    state = MemberState(tier="basic", stamps=(("bag", 3), ("coffee", 8)))
    awards, coupons = punch_all([COFFEE_CARD, BACKPACK_CARD], RULES, the_order, state,
                                zone=TAIPEI, minor_units=0)
    assert awards == (earn("coffee", 2), full("coffee", 9), earn("bag", 1, 1), full("bag", 4))
    assert [(c.rule, c.once) for c in coupons] == [
        ("free-coffee", "card:coffee:k1:A9:1"), ("free-bag", "card:bag:k1:A9:1")]


def test_a_card_a_member_never_stamped_starts_empty() -> None:
    awards, coupons = punch_all([COFFEE_CARD], RULES, order(("COFFEE", 9, 120)),
                                MemberState(tier="basic"), zone=TAIPEI, minor_units=0)
    assert awards == (earn("coffee", 9), full("coffee", 9))
    assert len(coupons) == 1


@pytest.mark.parametrize(("cards", "message"), [
    ([card("x", 5, coupon="free-coffee")], r"punch_cards\[0\]\.products: the card qualifies"),
    ([COFFEE_CARD, card("tea", 5, products=["TEA"], coupon="free-tea")],
     r"punch_cards\[1\]\.coupon: unknown coupon 'free-tea'"),
    ([card("tea", 5, products=["TEA"], coupon="next")],
     r"punch_cards\[0\]\.coupon: coupon 'next' is issued on 'order', not by a punch card"),
    ([card("coffee", 5, products=["TEA"], coupon="free-coffee", min_amount="0.5")],
     r"punch_cards\[0\]\.min_amount: 0\.5 has more than 0 decimals"),
    ([COFFEE_CARD, BACKPACK_CARD, card("coffee", 5, products=["TEA"], coupon="free-bag")],
     "punch_cards: duplicate id 'coffee'"),
])
def test_check_names_the_bad_field(cards: list[PunchCard], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_punch_cards(cards, [*RULES, coupon("next", "COFFEE", on="order")], minor_units=0)
    check_punch_cards([COFFEE_CARD, BACKPACK_CARD], RULES, minor_units=0)


@pytest.mark.parametrize("size", [1, 101])
def test_a_card_fills_with_2_to_100_stamps(size: int) -> None:
    with pytest.raises(ValidationError, match="size"):
        card("x", size, products=["COFFEE"])


@given(held=st.integers(0, 99), size=st.integers(2, 100), per=st.sampled_from(["item", "order"]),
       quantities=st.lists(st.integers(0, 30), max_size=5))
def test_stamps_carry_over_and_each_full_card_is_one_coupon(
        held: int, size: int, per: str, quantities: list[int]) -> None:
    held %= size  # a card is never held full: it turns into a coupon when it fills
    the_card = card("coffee", size, products=["COFFEE"], per=per)
    the_order = order(*[("COFFEE", q, 120) for q in quantities], ("CAKE", 1, 90))
    new = sum(quantities) if per == "item" else int(sum(quantities) > 0)
    awards, coupons = punch(the_card, the_order, held, coupon=FREE_COFFEE, zone=TAIPEI,
                            minor_units=0)
    after = held + sum(a.points for a in awards)
    assert after == (held + new) % size
    assert len(coupons) == (held + new) // size
    assert len({c.once for c in coupons}) == len(coupons)
    assert all(a.wallet == "card:coffee" and a.amount_minor == 0 for a in awards)


def test_stamps_a_refund_took_back_from_a_full_card_are_made_up_first() -> None:
    """Held -3: a refund took back three stamps that had filled a card (its coupon is
    out). The next 9 coffees make those up, then 6 stand on the card: no second coupon."""
    awards, coupons = punch_all([COFFEE_CARD], RULES, order(("COFFEE", 9, 120)),
                                MemberState(tier="basic", stamps=(("coffee", -3),)),
                                zone=TAIPEI, minor_units=0)
    assert awards == (earn("coffee", 9),) and coupons == ()
    awards, coupons = punch_all([COFFEE_CARD], RULES, order(("COFFEE", 1, 120)),
                                MemberState(tier="basic", stamps=(("coffee", -3),)),
                                zone=TAIPEI, minor_units=0)
    assert awards == (earn("coffee", 1),) and coupons == ()

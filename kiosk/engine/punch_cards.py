"""The ``punch_cards`` section of the program document, and the rule that stamps them.

A punch card's stamps are units in the card's own wallet (``card:<id>``) of the same
append-only ledger as points (DESIGN, engine point 5): entries of kind ``stamp``, whose
note names the card, which no points balance counts (``kiosk.ledger.moves_points``). An
order's new stamps are a stamp award in that wallet; a full card takes ``size`` stamps
back (a negative stamp award) and issues a coupon (a
:class:`~kiosk.engine.coupons.CouponRule` with trigger ``punch_card``) for the next
visit. Stamps beyond a full card carry over. The order's entry for the card is the net
of the two, one per card per order like every rule's.

"Buy 9 coffees, the 10th is free" is ``size = 9``, ``per = "item"``, coupon = a free
coffee; "every 5th backpack free" is ``size = 4``. The stamps held before the order come
from :meth:`MemberState.stamps_on`, as the counter knew them, so the ledger re-runs the
same stamps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from kiosk.engine.coupons import CouponRule, OnPunchCard, coupon_expiry
from kiosk.engine.doc import Code, Doc, Identifier, Money, Names, check_unique_ids, to_minor
from kiosk.engine.orders import (
    CARD_WALLET,
    Award,
    CouponIssue,
    MemberState,
    Order,
    OrderLine,
    card_wallet,
)
from kiosk.ledger import EntryKind

_STAMP = EntryKind.STAMP

MAX_FILLS = 100
"""The most full cards one order fills (a bigger basket of one card's products is a typing
slip; the rules stay bounded whatever an order claims)."""


class PunchCard(Doc):
    id: Identifier
    names: Names
    size: int = Field(ge=2, le=100, strict=True)  # stamps that fill the card
    products: tuple[Code, ...] = ()  # a line qualifies if its code is listed ...
    categories: tuple[Code, ...] = ()  # ... or its category
    per: Literal["item", "order"] = "item"  # a stamp per item, or one per order
    min_amount: Money = Decimal(0)  # the qualifying lines must total at least this
    coupon: Identifier  # the CouponRule (trigger punch_card) a full card issues


def check_punch_cards(cards: Sequence[PunchCard], coupon_rules: Sequence[CouponRule], *,
                      minor_units: int) -> None:
    """Refuse a card that qualifies nothing, names an unknown coupon or one not meant for
    punch cards, an amount finer than the currency, and duplicate ids; the message names
    the field (``punch_cards[1].coupon: unknown coupon 'free-tea'``)."""
    rules = {r.id: r for r in coupon_rules}
    step = Decimal(1).scaleb(-minor_units)
    for i, card in enumerate(cards):
        if not card.products and not card.categories:
            raise ValueError(f"punch_cards[{i}].products: the card qualifies nothing "
                             "(list products or categories)")
        if card.min_amount % step:
            raise ValueError(f"punch_cards[{i}].min_amount: {card.min_amount} has more "
                             f"than {minor_units} decimals")
        rule = rules.get(card.coupon)
        if rule is None:
            raise ValueError(f"punch_cards[{i}].coupon: unknown coupon {card.coupon!r}")
        if not isinstance(rule.trigger, OnPunchCard):
            raise ValueError(f"punch_cards[{i}].coupon: coupon {card.coupon!r} is issued "
                             f"on {rule.trigger.on!r}, not by a punch card")
    check_unique_ids("punch_cards", [c.id for c in cards])


def qualifies(card: PunchCard, line: OrderLine) -> bool:
    return line.code in card.products or (line.category is not None
                                          and line.category in card.categories)


def stamps_for_order(card: PunchCard, order: Order, *, minor_units: int) -> int:
    """The stamps ``order`` puts on ``card`` (see :func:`stamps_by_line`)."""
    return sum(n for _, n in stamps_by_line(card, order, minor_units=minor_units))


def stamps_by_line(card: PunchCard, order: Order, *, minor_units: int
                   ) -> tuple[tuple[int | None, int], ...]:
    """The stamps ``order`` puts on ``card``, by the line that earns them (None: the visit
    as a whole, a per-order card with several qualifying lines): a refund of a line takes
    its stamps back (DESIGN, engine point 7). None for a non-member order, and none for a
    line the member paid nothing for (a free item through loyalty) or a returned one. The
    qualifying lines' net paid must reach ``min_amount``."""
    if order.member_id is None:
        return ()
    return _stamps_by_line(card, order.lines, order.line_nets(),
                           to_minor(card.min_amount, minor_units))


def _stamps_by_line(card: PunchCard, lines: Sequence[OrderLine], nets: Sequence[int],
                    min_minor: int) -> tuple[tuple[int | None, int], ...]:
    got = [i for i, (line, net) in enumerate(zip(lines, nets, strict=True))
           if net > 0 and line.quantity > 0 and qualifies(card, line)]
    if not got or sum([nets[i] for i in got]) < min_minor:
        return ()
    if card.per == "item":
        return tuple([(i, lines[i].quantity) for i in got])
    return ((got[0] if len(got) == 1 else None, 1),)


def punch(card: PunchCard, order: Order, held: int, *, coupon: CouponRule, zone: ZoneInfo,
          minor_units: int) -> tuple[list[Award], list[CouponIssue]]:
    """What ``order`` does to ``card`` when the member held ``held`` stamps: the new
    stamps in the card's wallet, an award per line that earns them; for each time the
    card fills, ``size`` stamps taken back (one negative award for all fills) and a
    coupon for the next visit, once key
    ``card:<card>:<channel>:<order ref>:<n>`` (n = 1, 2, ...). Stamps held after are
    ``(held + new) % size``. ``held`` is below zero when a refund took back stamps that
    had already filled a card (its coupon issued): the next stamps make that up first."""
    return _punch(card, order, stamps_by_line(card, order, minor_units=minor_units), held,
                  coupon, zone)


def _punch(card: PunchCard, order: Order, by_line: tuple[tuple[int | None, int], ...],
           held: int, coupon: CouponRule, zone: ZoneInfo
           ) -> tuple[list[Award], list[CouponIssue]]:
    new = sum([n for _, n in by_line])
    if new == 0:
        return [], []
    # An honest counter never holds a full card (it turns into its coupon at once), and no
    # order fills more than MAX_FILLS cards: a recorded state or basket beyond that is a
    # corrupt or forged record, and the rules must not build a coupon per claimed fill.
    held = min(held, card.size - 1)
    rule = wallet = card_wallet(card.id)  # the card's rule is its wallet: card:<id>
    if new > card.size * MAX_FILLS:
        new, by_line = card.size * MAX_FILLS, ((None, card.size * MAX_FILLS),)
    awards = [Award(_STAMP, n, rule, line, 0, wallet) for line, n in by_line]
    fills = max(0, (held + new) // card.size)
    if fills == 0:
        return awards, []
    awards.append(Award(_STAMP, -card.size * fills, rule, None, 0, wallet))
    expires = coupon_expiry(order.occurred_at, coupon.valid_days, zone)
    coupons = [CouponIssue(coupon.id, f"card:{card.id}:{order.channel}:{order.order_ref}:{n}",
                           order.occurred_at, expires)
               for n in range(1, fills + 1)]
    return awards, coupons


@dataclass(frozen=True, slots=True)
class CardPlan:
    """A punch card as every order reads it, worked out once per program: the coupon it
    issues and its minimum in minor units."""

    card: PunchCard
    coupon: CouponRule
    min_minor: int


def card_plans(cards: Sequence[PunchCard], coupon_rules: Sequence[CouponRule], *,
               minor_units: int) -> tuple[CardPlan, ...]:
    """Each card's :class:`CardPlan`, in document order. The cards must have passed
    :func:`check_punch_cards` (a card whose coupon is missing is a KeyError)."""
    rules = {r.id: r for r in coupon_rules}
    return tuple(CardPlan(card, rules[card.coupon], to_minor(card.min_amount, minor_units))
                 for card in cards)


def punch_all(cards: Sequence[PunchCard], coupon_rules: Sequence[CouponRule], order: Order,
              state: MemberState, *, zone: ZoneInfo,
              minor_units: int) -> tuple[tuple[Award, ...], tuple[CouponIssue, ...]]:
    """Every card's awards and coupons for ``order``, in document order, with the stamps
    held from ``state.stamps_on``. The cards must have passed :func:`check_punch_cards`
    (a card whose coupon is missing is a KeyError)."""
    if order.member_id is None:
        return (), ()
    return stamp_cards(card_plans(cards, coupon_rules, minor_units=minor_units), order,
                       order.line_nets(), state, zone=zone)


def stamp_cards(cards: Sequence[CardPlan], order: Order, nets: Sequence[int],
                state: MemberState, *, zone: ZoneInfo
                ) -> tuple[tuple[Award, ...], tuple[CouponIssue, ...]]:
    """:func:`punch_all` for a member ``order`` with the cards planned once per program
    (``nets``: the order's ``line_nets()``, worked out once)."""
    held = dict(state.stamps)
    awards: list[Award] = []
    coupons: list[CouponIssue] = []
    for plan in cards:
        card = plan.card
        by_line = _stamps_by_line(card, order.lines, nets, plan.min_minor)
        if by_line:
            got, issued = _punch(card, order, by_line, held.get(card.id, 0), plan.coupon,
                                 zone)
            awards += got
            coupons += issued
    return tuple(awards), tuple(coupons)


def stamps_after(state: MemberState, awards: Sequence[Award]) -> tuple[tuple[str, int], ...]:
    """The stamps on each card an order stamped, after it: what the counter knew (the
    recorded state) plus the order's stamp awards; for the receipt, by card id."""
    moved: dict[str, int] = {}
    for a in awards:
        if a.wallet.startswith(CARD_WALLET):
            card = a.wallet.removeprefix(CARD_WALLET)
            moved[card] = moved.get(card, 0) + a.points
    if not moved:
        return ()
    held = dict(state.stamps)
    return tuple([(card, held.get(card, 0) + n) for card, n in moved.items()])

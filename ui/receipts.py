"""What the counter prints: a sale's, a redemption's or a donation's receipt and a new
member's card slip, as ``devices.receipt.Receipt`` data in the counter's current language.

The printer knows nothing of the loyalty program and the services know nothing of paper,
so the words and amounts are put together here, from what a flow's result already holds;
nothing is read from the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from devices.receipt import CAPTIONS, Receipt
from kiosk.cards import grouped_card_number
from kiosk.engine.checkout import REWARD_LINE
from kiosk.engine.coupons import coupon_payload, last_day
from kiosk.engine.order_codes import order_payload
from kiosk.ledger import Entry, moves_points
from kiosk.program import rewards_within_reach
from kiosk.services import EnrolmentResult, RedemptionResult, SaleResult
from kiosk.services.checkout import CheckoutResult
from kiosk.services.donations import DonationResult
from ui.context import ScreenContext

RECEIPT_REWARDS = 3  # a receipt lists at most this many rewards within reach


def _when(counter: ScreenContext, moment: datetime) -> str:
    return moment.astimezone(counter.kiosk.program.zone).strftime("%Y-%m-%d %H:%M")


def _within_reach(counter: ScreenContext, balance: int) -> tuple[str, ...]:
    offers = rewards_within_reach(counter.kiosk.program, balance)
    return tuple(f"{counter.name(o.reward.names)} ({o.reward.cost:,})"
                 for o in offers if o.affordable)[:RECEIPT_REWARDS]


def sale_receipt(counter: ScreenContext, checkout: CheckoutResult,
                 lines: Sequence[tuple[str, str]], total_minor: int,
                 card_payload: str | None) -> Receipt:
    """``lines``: the basket as the sale screen showed it, (label, amount text); what
    loyalty paid follows it (a free item at zero, each discount, the amount to pay)."""
    result, priced = checkout.sale, checkout.priced
    moment = result.entries[0].occurred_at if result.entries else counter.kiosk.clock()
    language = counter.languages.current
    basket = tuple(lines) or ((CAPTIONS[language]["amount"], counter.money(total_minor)),)
    free = tuple((_reward_name(counter, line.code.removeprefix(REWARD_LINE)),
                  counter.money(0)) for line in priced.lines
                 if line.code.startswith(REWARD_LINE))
    discounts = tuple((_discount_label(counter, d.source, priced.loyalty.points_used),
                       "-" + counter.money(d.amount_minor)) for d in priced.discounts)
    return Receipt(
        store=counter.kiosk.device.store_name, lines=basket + free,
        total=counter.money(total_minor), discounts=discounts,
        to_pay=counter.money(priced.net_minor) if discounts else "",
        points_used=None if checkout.redemption is None else -checkout.redemption.points,
        points_earned=result.points,
        points_lines=tuple((_source(counter, e), e.points) for e in result.entries
                           if moves_points(e.kind)),
        **_points_after(result), **_cards_and_coupons(counter, result, moment),
        balance=result.balance, tier=counter.name(result.tier.names),
        rewards=_within_reach(counter, result.balance), card_payload=card_payload,
        language=language, order_ref=result.order_ref, when=_when(counter, moment),
        order_code=order_payload(counter.kiosk.channel, result.order_ref))


def _reward_name(counter: ScreenContext, reward_id: str) -> str:
    reward = counter.kiosk.program.reward(reward_id)
    return reward_id if reward is None else counter.name(reward.names)


def _discount_label(counter: ScreenContext, source: str, points: int) -> str:
    """A discount line's words: the reward's or the coupon's name, or the points used."""
    kind, _, name = source.partition(":")
    if kind == "reward":
        return _reward_name(counter, name)
    if kind == "coupon":
        rule = next((r for r in counter.kiosk.program.coupons if r.id == name), None)
        return name if rule is None else counter.name(rule.names)
    return CAPTIONS[counter.languages.current]["with_points"].format(n=f"{points:,}")


def _points_after(result: SaleResult) -> dict[str, Any]:
    """Available, pending and expiring points, when the program has them."""
    after = result.points_after
    if after is None:
        return {}
    return {"available": after.available,
            "pending": tuple((day.isoformat(), n) for day, n in after.pending),
            "expiring": tuple((day.isoformat(), n) for day, n in after.expiring)}


def _cards_and_coupons(counter: ScreenContext, result: SaleResult, moment: datetime
                       ) -> dict[str, Any]:
    """The punch cards this visit stamped (held after, of the card's size) and the coupons
    it issued (name, first day if it starts after this visit's day, last usable day, the
    QR that names it), in the receipt's language."""
    program = counter.kiosk.program
    cards = {c.id: c for c in program.punch_cards}
    rules = {r.id: r for r in program.coupons}
    stamps = tuple((counter.name(cards[card].names), held, cards[card].size)
                   for card, held in result.stamps if card in cards)
    member = result.entries[0].member_id if result.entries else None
    today = moment.astimezone(program.zone).date()
    coupons = tuple((counter.name(rules[c.rule].names) if c.rule in rules else c.rule,
                     _first_day(c.valid_from, today, counter),
                     last_day(c.expires_at, program.zone).isoformat(),
                     coupon_payload(c.id_for(member)))
                    for c in result.coupons if member is not None)
    return {"stamps": stamps, "coupons": coupons}


def _first_day(valid_from: datetime, today: date, counter: ScreenContext) -> str:
    """A coupon's first local day, when it is after ``today`` (else "": usable next time)."""
    day = valid_from.astimezone(counter.kiosk.program.zone).date()
    return day.isoformat() if day > today else ""


def _source(counter: ScreenContext, entry: Entry) -> str:
    """Where an entry's points came from, in the receipt's language."""
    words = CAPTIONS[counter.languages.current]
    if entry.note is None:
        return words["earned"]
    promo = next((p for p in counter.kiosk.program.promotions if p.rule == entry.note), None)
    if promo is not None:
        return counter.name(promo.names)
    return words.get(entry.note.partition(":")[0], entry.note)


def redemption_receipt(counter: ScreenContext, result: RedemptionResult, tier: str | None,
                       card_payload: str | None) -> Receipt:
    entry = result.entry
    return Receipt(
        store=counter.kiosk.device.store_name,
        lines=((counter.name(result.reward.names), f"{entry.points:+,}"),),
        points_earned=entry.points, balance=result.balance, tier=tier,
        rewards=_within_reach(counter, result.balance), card_payload=card_payload,
        language=counter.languages.current, order_ref=entry.order_ref,
        when=_when(counter, entry.occurred_at))


def donation_receipt(counter: ScreenContext, result: DonationResult,
                     card_payload: str | None) -> Receipt:
    """The member's gift on paper: the cause, the points given, the balance left, and a
    thank-you that names both."""
    entry, cause = result.entry, counter.name(result.cause.names)
    given = -entry.points
    words = CAPTIONS[counter.languages.current]
    return Receipt(
        store=counter.kiosk.device.store_name,
        lines=((cause, words["gift"].format(n=f"{given:,}")),),
        points_earned=entry.points, balance=result.balance, card_payload=card_payload,
        donated=(cause, given), language=counter.languages.current,
        when=_when(counter, entry.occurred_at))


def card_slip(counter: ScreenContext, result: EnrolmentResult) -> Receipt:
    """A new member's card on receipt paper: their name and card number, and the QR the
    kiosk scans."""
    return Receipt(
        store=counter.kiosk.device.store_name,
        lines=((result.member.name, grouped_card_number(result.card.card_no)),),
        balance=result.balance, card_payload=result.card.payload,
        language=counter.languages.current, when=_when(counter, result.member.enrolled_at))

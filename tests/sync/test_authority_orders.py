"""What an uploaded order claims, judged as one order (an adversarial review's findings):
a stolen kiosk token may not take an order's other awards (a promotion's points, its
stamps) when the ledger refuses the order's earn, nor claim another store's promotion."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from kiosk.awards import order_entries, record_for
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.ledger import Entry
from kiosk.program import Program, parse_program
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK
from tests.helpers.program import COFFEE_CARD, program_text

PROMOS = '''
[[promotions]]
id = "gold-gift"
names = { en = "Gold members: 500 points a visit", zh-TW = "金卡禮", zh-CN = "金卡礼" }
bonus_points = 500
tiers = ["gold"]

[[promotions]]
id = "double"
names = { en = "Double points", zh-TW = "雙倍點數", zh-CN = "双倍点数" }
multiplier = 2
'''
_seq = iter(range(1, 10**6))


def publish(ledger: Ledger, extra: str, version: str) -> Program:
    program = parse_program(program_text(extra, version))
    ledger.publish_program(program)
    return program


def person() -> MemberWire:
    return MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                      enrolled_at=datetime.now(UTC) - timedelta(days=30),
                      channel=KIOSK.device_id)


def order_upload(program: Program, member: MemberWire, lines: tuple[OrderLine, ...],
                 state: MemberState, *, store: str | None = None,
                 keep: Callable[[Entry], bool] | None = None
                 ) -> tuple[UploadRequest, list[EntryWire]]:
    """An order as a kiosk uploads it, with the entries the rules give (``keep``: some)."""
    order = Order(KIOSK.device_id, f"R-{uuid.uuid4().hex[:10]}",
                  datetime.now(UTC) - timedelta(minutes=1), lines, member.id, store)
    record = record_for(program, order, state)
    entries = [EntryWire.of(e, device_seq=next(_seq))
               for e in order_entries(record, new_id=uuid.uuid4, staff=None)
               if keep is None or keep(e)]
    return UploadRequest(orders=[OrderWire.of(record)], entries=entries), entries


def verdicts(entries: list[EntryWire], answer: object) -> dict[tuple[str, str | None],
                                                               tuple[str, str | None]]:
    results = answer.results  # type: ignore[attr-defined]
    return {(e.kind.value, e.note): (r.status, r.code)
            for e, r in zip(entries, results, strict=True)}


def test_an_order_above_the_sale_limit_earns_no_promotion_either(ledger: Ledger) -> None:
    """limits.max_sale_amount bounded the earn entry only: an order of NT$100,000,000 had
    its earn refused, and its 'double points' entry, worked out from the same lines, was
    accepted: 1,000,000 points."""
    program = publish(ledger, PROMOS, "2026.2-authority-orders")
    member = person()
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    request, entries = order_upload(program, member,
                                    (OrderLine("TEA", 1, 100_000_000, "tea"),),
                                    MemberState("bronze", member.enrolled_at))
    said = verdicts(entries, ledger.upload(KIOSK, request))
    assert said[("earn", None)] == ("rejected", "amount_out_of_bounds")
    assert said[("bonus", "promo:double")] == ("rejected", "order_awards_mismatch")
    assert ledger.balance(member.id) == 0


def test_a_tier_only_promotion_needs_the_tier_the_earn_is_refused_for(ledger: Ledger) -> None:
    """A new member (no spend) rung up 'at gold': the earn was refused (tier_not_held) and
    the gold-only promotion's 500 points accepted."""
    program = publish(ledger, PROMOS, "2026.2-authority-orders")
    member = person()
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    request, entries = order_upload(program, member, (OrderLine("TEA", 1, 100, "tea"),),
                                    MemberState("gold", member.enrolled_at))
    said = verdicts(entries, ledger.upload(KIOSK, request))
    assert said[("earn", None)] == ("rejected", "tier_not_held")
    assert ledger.balance(member.id) == 0, f"gold-only promotion accepted: {said}"


def test_an_orders_other_awards_without_its_earn_are_refused(ledger: Ledger) -> None:
    """Sent without the order's earn (which the ledger never got), a promotion's points
    wait for nothing: refused, and the honest order with its earn is accepted whole."""
    program = publish(ledger, PROMOS, "2026.2-authority-orders")
    member = person()
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    lines = (OrderLine("TEA", 1, 1_000, "tea"),)
    request, entries = order_upload(program, member, lines,
                                    MemberState("bronze", member.enrolled_at),
                                    keep=lambda e: e.note is not None)
    said = verdicts(entries, ledger.upload(KIOSK, request))
    assert said == {("bonus", "promo:double"): ("rejected", "order_awards_mismatch")}
    assert ledger.balance(member.id) == 0
    request, entries = order_upload(program, member, lines,
                                    MemberState("bronze", member.enrolled_at))
    assert {s for s, _ in verdicts(entries, ledger.upload(KIOSK, request)).values()} == {
        "accepted"}
    assert ledger.balance(member.id) == 20  # NT$1,000: 10 points, doubled


def test_stamps_held_are_spent_once_however_the_orders_go_up(ledger: Ledger) -> None:
    """The member holds 3 stamps on a 4-stamp card. Orders of one coffee each claimed those
    3 stamps and went up with their earn but without their stamp entry (the full card's
    take-back): the ledger counted the stamps from the entries, so every order filled the
    card again and issued a free coffee. A card's coupon stands only with the order's
    stamp entry."""
    program = publish(ledger, COFFEE_CARD, "2026.2-authority-stamps")
    member = person()
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    honest, _ = order_upload(program, member, (OrderLine("LATTE", 3, 120, "coffee"),),
                             MemberState("bronze", member.enrolled_at))
    ledger.upload(KIOSK, honest)
    for _ in range(5):
        forged, _ = order_upload(program, member, (OrderLine("LATTE", 1, 120, "coffee"),),
                                 MemberState("bronze", member.enrolled_at,
                                             stamps=(("coffee", 3),)),
                                 keep=lambda e: e.kind.value == "earn")
        ledger.upload(KIOSK, forged)
    assert ledger.coupons.of_member(member.id) == []  # no card was ever filled
    filled, _ = order_upload(program, member, (OrderLine("LATTE", 1, 120, "coffee"),),
                             MemberState("bronze", member.enrolled_at,
                                         stamps=(("coffee", 3),)))
    ledger.upload(KIOSK, filled)  # honestly, with its stamp entry: the free coffee
    assert len(ledger.coupons.of_member(member.id)) == 1


def test_a_card_filled_at_two_kiosks_offline_keeps_its_stamps_and_coupons_in_step(
        ledger: Ledger) -> None:
    """The member holds 3 stamps of a 4-stamp card; two kiosks offline each sell them a
    coffee and each fill the card (each hands over a free coffee, each records -3 net).
    The ledger took both stamp entries but issued only the first kiosk's coupon: 5 stamps
    bought, one coupon, the member 3 stamps in debt for a card they got nothing for. Now
    both coupons stand and the card is paid back by the next stamps, like an overdraft;
    the same kiosk can't fill it twice on the same stamps."""
    from sqlalchemy import func, select

    from sync.server import models as m
    from sync.server.ledger import Caller

    other = Caller("till-2", "kiosk")
    program = publish(ledger, COFFEE_CARD, "2026.2-authority-two-fills")
    ledger.add_device(other.device_id, "kiosk")
    member = person()
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    bought, _ = order_upload(program, member, (OrderLine("LATTE", 3, 120, "coffee"),),
                             MemberState("bronze", member.enrolled_at))
    ledger.upload(KIOSK, bought)
    held = MemberState("bronze", member.enrolled_at, stamps=(("coffee", 3),))
    for caller in (KIOSK, other):
        request, _ = order_upload(program, member,
                                        (OrderLine("LATTE", 1, 120, "coffee"),), held)
        request = request.model_copy(update={
            "orders": [o.model_copy(update={"channel": caller.device_id})
                       for o in request.orders],
            "entries": [e.model_copy(update={"channel": caller.device_id})
                        for e in request.entries]})
        answer = ledger.upload(caller, request)
        assert {r.status for r in answer.results} == {"accepted"}
    e = m.Entry.__table__.c
    with ledger.engine.connect() as conn:
        stamps = conn.execute(select(func.sum(e.points)).where(
            e.member_id == member.id, e.kind == "stamp")).scalar_one()
    coupons = len(ledger.coupons.of_member(member.id))
    assert (coupons, stamps) == (2, -3)  # 2 x 4 - 3: the 5 stamps bought
    again, _ = order_upload(program, member, (OrderLine("LATTE", 1, 120, "coffee"),), held)
    ledger.upload(KIOSK, again)  # till-1 claims the stamps its own fill took: no coupon
    assert len(ledger.coupons.of_member(member.id)) == 2


def test_an_order_cut_by_a_batchs_end_issues_its_card_coupon_when_its_stamps_come(
        ledger: Ledger) -> None:
    """An older kiosk cuts an order by the batch's size: its earn and the order go up in
    one upload, its stamp entry in the next (without the order, on the ledger by then).
    The coupon waits for the stamps, then is issued."""
    program = publish(ledger, COFFEE_CARD, "2026.2-authority-cut")
    member = person()
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    request, entries = order_upload(program, member, (OrderLine("LATTE", 5, 120, "coffee"),),
                                    MemberState("bronze", member.enrolled_at))
    [stamp] = [e for e in entries if e.kind.value == "stamp"]  # +5, a full card's -4
    first = ledger.upload(KIOSK, request.model_copy(update={
        "entries": [e for e in entries if e is not stamp]}))
    assert {r.status for r in first.results} == {"accepted"}
    assert ledger.coupons.of_member(member.id) == []
    second = ledger.upload(KIOSK, UploadRequest(entries=[stamp]))
    assert [r.status for r in second.results] == ["accepted"]
    assert [c.rule for c in ledger.coupons.of_member(member.id)] == ["free-coffee"]

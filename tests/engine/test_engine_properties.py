"""Properties of the engine over generated programs and orders: what a kiosk writes is
what the ledger's re-run expects, through the wire; and the points a member ends up with
do not depend on which kiosk saw which order."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.awards import (
    DERIVED_CHANNEL,
    derived_problem,
    expected_entries,
    order_entries,
    record_for,
)
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.ledger import EntryKind
from kiosk.program import Program, parse_program
from sync.protocol import OrderWire
from tests.helpers.program import program_text

MEMBER = uuid.UUID("0192a000-0000-7000-8000-0000000000aa")
ENROLLED = datetime(2025, 6, 1, 2, tzinfo=UTC)
START = datetime(2026, 11, 1, tzinfo=UTC)
CATEGORIES = ["tea", "cake", "gift_card", None]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@st.composite
def programs(draw: st.DrawFn) -> Program:
    promos = []
    for i in range(draw(st.integers(0, 4))):
        kind = (f"multiplier = {draw(st.sampled_from(['1.5', '2', '3']))}"
                if draw(st.booleans()) else
                f"bonus_points = {draw(st.integers(1, 50))}\nbonus_per = "
                f"\"{draw(st.sampled_from(['item', 'order']))}\"")
        days = draw(st.lists(st.sampled_from(WEEKDAYS), max_size=3, unique=True))
        cats = draw(st.lists(st.sampled_from(["tea", "cake"]), max_size=2, unique=True))
        tiers = draw(st.lists(st.sampled_from(["bronze", "silver", "gold"]), max_size=2,
                              unique=True))
        promos.append(f'''
[[promotions]]
id = "p{i}"
names = {{ en = "P{i}", zh-TW = "P{i}", zh-CN = "P{i}" }}
{kind}
weekdays = {days!r}
categories = {cats!r}
tiers = {tiers!r}
'''.replace("'", '"'))
    extra = "".join(promos)
    extra += '\n[[earn.lines]]\ncategory = "gift_card"\nmultiplier = 0\n'
    if draw(st.booleans()):
        extra += f"\n[bonuses.birthday]\npoints = {draw(st.integers(1, 200))}\n"
    if draw(st.booleans()):
        extra += f"\n[bonuses.first_purchase]\npoints = {draw(st.integers(1, 100))}\n"
    if draw(st.booleans()):  # a punch card: its stamps are entries too (card:c0)
        extra += f'''
[[punch_cards]]
id = "c0"
names = {{ en = "C0", zh-TW = "C0", zh-CN = "C0" }}
size = {draw(st.integers(2, 5))}
categories = ["tea"]
per = "{draw(st.sampled_from(["item", "order"]))}"
coupon = "free"

[[coupons]]
id = "free"
names = {{ en = "Free", zh-TW = "Free", zh-CN = "Free" }}
value = {{ kind = "free_item", item = "A" }}
valid_days = 30
trigger = {{ on = "punch_card" }}
'''
    text = program_text(extra)
    stacking = draw(st.sampled_from(["best", "all"]))
    # A top-level key goes before the document's tables.
    text = text.replace("schema = 1\n", f'schema = 1\npromotion_stacking = "{stacking}"\n', 1)
    return parse_program(text)


lines = st.lists(st.builds(OrderLine, st.sampled_from(["A", "B", "C"]), st.integers(1, 4),
                           st.integers(0, 3000), st.sampled_from(CATEGORIES)),
                 min_size=1, max_size=5).map(tuple)
states = st.builds(MemberState, st.sampled_from(["bronze", "silver", "gold"]),
                   st.just(ENROLLED), st.sampled_from([None, date(1990, 11, 20),
                                                       date(1988, 12, 2)]),
                   st.none(), st.integers(0, 2),
                   st.integers(-3, 6).map(lambda n: (("c0", n),) if n else ()))
moments = st.integers(0, 60 * 24 * 40).map(lambda m: START + timedelta(minutes=m))


@settings(max_examples=60, deadline=None)
@given(programs(), lines, states, moments, st.sampled_from(["k1", "k2", "web"]))
def test_what_a_kiosk_writes_is_what_the_ledger_expects_through_the_wire(
        program, order_lines, state, at, channel):
    order = Order(channel, "R-1", at, order_lines, MEMBER)
    record = record_for(program, order, state)
    entries = order_entries(record, new_id=uuid.uuid4, staff=None)
    on_ledger = OrderWire.of(record).to_record()
    assert on_ledger == record
    expected = expected_entries(program, on_ledger)
    plain = [e for e in entries if e.channel != DERIVED_CHANNEL]
    assert {e.note: (e.kind, e.points, e.amount_minor) for e in plain} == {
        note: value for note, value in expected.items()
        if value[1] or note is None}
    assert sum(e.amount_minor for e in plain) == order.net_paid_minor
    for e in entries:
        if e.kind is EntryKind.STAMP:  # a card's new stamps less the full cards taken
            card = program.punch_cards[0]  # a full card is never held (more is clamped)
            held = min(state.stamps_on("c0"), card.size - 1)
            new = sum(a.points for a in record.awards if a.wallet == "card:c0" and a.points > 0)
            fills = sum(1 for c in record.coupons if c.rule == card.coupon)
            assert fills == max(0, (held + new) // card.size)  # a coupon per full card
            assert e.points == new - card.size * fills
            assert min(held, 0) <= held + e.points < card.size  # never left full
            continue
        assert e.points >= 0
        if e.channel == DERIVED_CHANNEL:
            assert derived_problem(program, entry_id=e.id, member_id=MEMBER, points=e.points,
                                   note=e.note, occurred_at=e.occurred_at,
                                   birthday=state.birthday, enrolled_at=ENROLLED,
                                   purchased_minor=order.net_paid_minor) is None


@settings(max_examples=40, deadline=None)
@given(programs(), st.lists(st.tuples(lines, moments), min_size=1, max_size=6),
       st.lists(st.sampled_from(["k1", "k2", "k3"]), min_size=6, max_size=6),
       st.sampled_from([None, date(1990, 11, 20)]))
def test_the_points_do_not_depend_on_which_kiosk_saw_which_order(program, orders, kiosks,
                                                                  birthday):
    """Each kiosk knows only the orders it saw (its own idea of a first purchase); the
    ledger keeps one copy of each derived award. Base, promotions and the birthday come
    to the same total however the orders are spread, without the first-purchase bonus
    (which is 'the first purchase this kiosk knew of' offline)."""
    def total(assignment: list[str]) -> int:
        seen: dict[str, int] = {}
        kept: dict[uuid.UUID | str, int] = {}
        for i, ((order_lines, at), kiosk) in enumerate(zip(orders, assignment, strict=False)):
            state = MemberState("silver", ENROLLED, birthday, None, seen.get(kiosk, 0))
            seen[kiosk] = seen.get(kiosk, 0) + 1
            record = record_for(program, Order(kiosk, f"R-{i}", at, order_lines, MEMBER), state)
            for e in order_entries(record, new_id=uuid.uuid4, staff=None):
                if e.note != "first_purchase":
                    kept[e.id if e.channel == DERIVED_CHANNEL else f"{i}:{e.note}"] = e.points
        return sum(kept.values())

    assert total(kiosks) == total(["k1"] * 6)

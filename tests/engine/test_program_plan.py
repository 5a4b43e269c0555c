"""What the engine works out once per program: exactly what the document says, for that
program object only.

A line's exact points are integers over one denominator (``EarnIndex.weights``) where the
document states them as fractions; a program copied with a change is another program and
is read afresh."""

from __future__ import annotations

import gc
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kiosk import awards
from kiosk.awards import awards_for_order
from kiosk.engine.earning import Earn, LineRule, earn_index
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.program import load_program, parse_program
from tests.helpers.program import PLAIN_PROGRAM

CODES = ("TEA", "CAKE", "GIFT", "AMOUNT")
CATEGORIES = (None, "tea", "cake", "gift")
multipliers = st.decimals(min_value=0, max_value=100, places=2).map(lambda d: d.normalize())
line_rules = st.builds(
    lambda product, category, multiplier, per_item: LineRule(
        product=product, category=None if product else category or "tea",
        multiplier=multiplier, points_per_item=per_item),
    st.sampled_from((None, *CODES)), st.sampled_from(CATEGORIES), multipliers,
    st.integers(0, 50))
lines = st.lists(st.builds(OrderLine, st.sampled_from(CODES), st.integers(-2, 9),
                           st.integers(0, 50_000), st.sampled_from(CATEGORIES)), max_size=6)


def exact_points(earn: Earn, per_minor: int, line: OrderLine, net: int,
                 tier: Decimal) -> Fraction:
    """The earn rule as the document states it (``kiosk.engine.earning``), in fractions."""
    rule = earn.rule_for(line) if earn.lines else None
    multiplier, per_item = (Fraction(1), 0) if rule is None else (
        Fraction(rule.multiplier), rule.points_per_item)
    return ((Fraction(net * earn.points, per_minor) * multiplier + line.quantity * per_item)
            * Fraction(tier))


@given(rules=st.lists(line_rules, max_size=5), points=st.integers(0, 20),
       per=st.sampled_from(["1", "100", "0.25", "7"]), order_lines=lines,
       tier=st.sampled_from([Decimal(1), Decimal("1.5"), Decimal("1.25"), Decimal(3)]))
def test_integer_weights_are_the_documents_exact_points(
        rules: list[LineRule], points: int, per: str, order_lines: list[OrderLine],
        tier: Decimal) -> None:
    earn = Earn(points=points, per=Decimal(per), lines=tuple(rules))
    per_minor = int(Decimal(per) * 100)  # a currency of two decimals
    nets = [line.total_minor for line in order_lines]
    nums, denominator = earn_index(earn, per_minor).weights(order_lines, nets, tier)
    assert denominator > 0
    assert [Fraction(n, denominator) for n in nums] == [
        exact_points(earn, per_minor, line, net, tier)
        for line, net in zip(order_lines, nets, strict=True)]


DOUBLE = '''
[[promotions]]
id = "double"
names = { en = "Double", zh-TW = "雙倍", zh-CN = "双倍" }
multiplier = 2
'''


def test_a_copy_with_another_section_is_read_afresh() -> None:
    plain = load_program(PLAIN_PROGRAM)
    with_double = parse_program(PLAIN_PROGRAM.read_text(encoding="utf-8") + DOUBLE)
    doubled = plain.model_copy(update={"promotions": with_double.promotions})
    order = Order("till-1", "A1", datetime(2026, 12, 1, 2, tzinfo=UTC),
                  (OrderLine("AMOUNT", 1, 1000),), uuid.uuid4())
    state = MemberState(plain.tiers[0].id)
    assert awards_for_order(plain, order, state).points == 10
    assert awards_for_order(doubled, order, state).points == 20
    assert awards_for_order(plain, order, state).points == 10


def test_a_programs_plan_goes_with_it() -> None:
    before = len(awards._PLANS)
    order = Order("till-1", "A1", datetime(2026, 12, 1, 2, tzinfo=UTC),
                  (OrderLine("AMOUNT", 1, 1000),), uuid.uuid4())
    for _ in range(20):
        program = load_program(PLAIN_PROGRAM)
        awards_for_order(program, order, MemberState(program.tiers[0].id))
    del program
    gc.collect()
    assert len(awards._PLANS) <= before + 1

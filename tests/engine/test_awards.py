"""Program and order in, exact awards out: every example a store owner reads about, as a table."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.awards import (
    DERIVED_CHANNEL,
    awards_for_order,
    derived_problem,
    expected_entries,
    order_entries,
    promotions_for,
    record_for,
    unapplied,
)
from kiosk.engine.orders import Award, LoyaltyUsed, MemberState, Order, OrderLine, derived_id
from kiosk.ledger import EntryKind
from kiosk.program import Program, ProgramError, load_program, parse_program
from tests.helpers.program import DEFAULT_PROGRAM

BASE = '''
schema = 1
version = "t1"
currency = "TWD"
minor_units = 0
timezone = "Asia/Taipei"
signup_bonus = 0
name = { en = "Test", zh-TW = "測試", zh-CN = "测试" }
'''
OFFLINE = '''
[offline]
max_points_per_redemption = 1
max_points_per_member_per_day = 1
max_consecutive_redemptions = 1
'''
TIERS = '''
[[tiers]]
id = "bronze"
names = { en = "Bronze", zh-TW = "銅", zh-CN = "铜" }
min_spend = 0
multiplier = 1
[[tiers]]
id = "silver"
names = { en = "Silver", zh-TW = "銀", zh-CN = "银" }
min_spend = 10000
multiplier = 1.5
[[tiers]]
id = "gold"
names = { en = "Gold", zh-TW = "金", zh-CN = "金" }
min_spend = 30000
multiplier = 2
'''
NAMES = 'names = { en = "P", zh-TW = "P", zh-CN = "P" }'


def program(earn: str = "points = 1\nper = 100", extra: str = "", top: str = "") -> Program:
    return parse_program(BASE + top + OFFLINE + "\n[earn]\n" + earn + "\n" + TIERS + extra)


MEMBER = uuid.UUID("0192a000-0000-7000-8000-000000000001")
TUESDAY = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # 12:00 in Taipei, a Tuesday
WEDNESDAY = TUESDAY + timedelta(days=1)


def order(*lines: tuple[str, int, int, str | None], at: datetime = TUESDAY,
          discount: int = 0, channel: str = "k1", member: uuid.UUID | None = MEMBER,
          ref: str = "R1") -> Order:
    return Order(channel, ref, at, tuple(OrderLine(c, q, p, cat) for c, q, p, cat in lines),
                 member, loyalty=LoyaltyUsed(discount_minor=discount))


def state(tier: str = "bronze", **kw: object) -> MemberState:
    return MemberState(tier, **kw)  # type: ignore[arg-type]


def got(p: Program, o: Order, s: MemberState | None = None) -> list[tuple[str, int, int | None]]:
    """(rule, points, line) of every award, in the engine's order."""
    return [(a.rule, a.points, a.line) for a in awards_for_order(p, o, s or state())]


TEA = ("TEA", 1, 250, "tea")
GIFT = ("GIFT-CARD", 1, 500, "gift_card")


@pytest.mark.parametrize(("name", "earn", "lines", "tier", "expect"), [
    ("NT$1 = 1 point", "points = 1\nper = 1", [TEA], "bronze", [("earn", 250, 0)]),
    ("silver 1.5x", "points = 1\nper = 1", [TEA], "silver", [("earn", 375, 0)]),
    ("gold 2x", "points = 1\nper = 1", [TEA], "gold", [("earn", 500, 0)]),
    ("rounded once per order: three NT$65 teas earn what NT$195 does",
     "points = 1\nper = 100", [("TEA", 3, 65, "tea")], "bronze", [("earn", 1, 0)]),
    ("rounded once, spread over lines", "points = 1\nper = 100",
     [("A", 1, 65, None), ("B", 1, 65, None), ("C", 1, 70, None)], "bronze",
     [("earn", 1, 0), ("earn", 0, 1), ("earn", 1, 2)]),
    ("gift cards earn nothing", 'points = 1\nper = 1\n[[earn.lines]]\ncategory = "gift_card"\n'
     "multiplier = 0", [TEA, GIFT], "bronze", [("earn", 250, 0), ("earn", 0, 1)]),
    ("a product rule beats its category's", 'points = 1\nper = 1\n[[earn.lines]]\n'
     'category = "tea"\nmultiplier = 0\n[[earn.lines]]\nproduct = "TEA"\nmultiplier = 2',
     [TEA], "bronze", [("earn", 500, 0)]),
    ("below the minimum spend nothing is earned", "points = 1\nper = 1\nmin_spend = 300",
     [TEA], "gold", [("earn", 0, 0)]),
    ("1 point per drink", 'points = 1\nper = 100\n[[earn.lines]]\ncategory = "coffee"\n'
     "multiplier = 0\npoints_per_item = 1", [("LATTE", 3, 120, "coffee")], "bronze",
     [("earn", 3, 0)]),
])
def test_base_earn(name, earn, lines, tier, expect):
    assert got(program(earn), order(*lines), state(tier)) == expect, name


def test_points_are_earned_on_the_net_paid_not_what_loyalty_paid_for():
    p = program("points = 1\nper = 1")
    awards = awards_for_order(p, order(("A", 1, 300, None), ("B", 1, 100, None), discount=100),
                              state())
    assert [(a.points, a.amount_minor) for a in awards] == [(225, 225), (75, 75)]
    assert awards.points == 300


def test_each_order_puts_its_spend_on_the_ledger_once_even_earning_nothing():
    p = program("points = 1\nper = 1\nmin_spend = 1000")
    awards = awards_for_order(p, order(TEA, GIFT), state())
    assert sum(a.amount_minor for a in awards) == 750 and awards.points == 0


def test_a_non_member_order_earns_nothing_but_is_an_order():
    assert list(awards_for_order(program(), order(TEA, member=None), None)) == []


def promo(body: str) -> str:
    return f"\n[[promotions]]\n{NAMES}\n{body}\n"


DOUBLE_TUESDAY = promo('id = "tue2x"\nmultiplier = 2\nweekdays = ["tue"]')
ANNIVERSARY = promo('id = "anniv"\nmultiplier = 3\nstarts = 2026-11-30\nends = 2026-12-06')
GOLD_NEW = promo('id = "gold-new"\nmultiplier = 3\ntiers = ["gold"]\ncategories = ["new"]')
HAPPY_HOUR = promo('id = "happy"\nmultiplier = 2\nhours = ["14:00:00", "17:00:00"]')
GIFT_BOX = promo('id = "box50"\nbonus_points = 50\nbonus_per = "item"\nproducts = ["BOX"]')
WEB_ONLY = promo('id = "web"\nmultiplier = 2\nchannels = ["web"]')


@pytest.mark.parametrize(("name", "promos", "lines", "tier", "at", "expect"), [
    ("double points on Tuesdays", DOUBLE_TUESDAY, [TEA], "bronze", TUESDAY,
     [("earn", 2, 0), ("promo:tue2x", 2, 0)]),
    ("not on a Wednesday", DOUBLE_TUESDAY, [TEA], "bronze", WEDNESDAY, [("earn", 2, 0)]),
    ("Tuesday is the store's: 20:00 UTC Monday is Tuesday in Taipei", DOUBLE_TUESDAY, [TEA],
     "bronze", datetime(2026, 11, 30, 20, 0, tzinfo=UTC), [("earn", 2, 0), ("promo:tue2x", 2, 0)]),
    ("double means twice what a gold member gets", DOUBLE_TUESDAY, [TEA], "gold", TUESDAY,
     [("earn", 5, 0), ("promo:tue2x", 5, 0)]),
    ("3x in anniversary week", ANNIVERSARY, [TEA], "bronze", TUESDAY,
     [("earn", 2, 0), ("promo:anniv", 5, 0)]),
    ("anniversary week is over", ANNIVERSARY, [TEA], "bronze", TUESDAY + timedelta(days=6),
     [("earn", 2, 0)]),
    ("Gold 3x on new arrivals", GOLD_NEW, [("NEW1", 1, 1000, "new"), TEA], "gold", TUESDAY,
     [("earn", 20, 0), ("earn", 5, 1), ("promo:gold-new", 40, 0)]),
    ("new arrivals at 3x are Gold's only", GOLD_NEW, [("NEW1", 1, 1000, "new")], "silver",
     TUESDAY, [("earn", 15, 0)]),
    ("happy hour, 14:00-17:00 in the store", HAPPY_HOUR, [TEA], "bronze",
     datetime(2026, 12, 1, 7, 0, tzinfo=UTC), [("earn", 2, 0), ("promo:happy", 2, 0)]),
    ("not at noon", HAPPY_HOUR, [TEA], "bronze", TUESDAY, [("earn", 2, 0)]),
    ("50 points for each gift box", GIFT_BOX, [("BOX", 2, 800, None), TEA], "bronze",
     TUESDAY, [("earn", 16, 0), ("earn", 2, 1), ("promo:box50", 100, 0)]),
    ("the shop's offer is not the counter's", WEB_ONLY, [TEA], "bronze", TUESDAY,
     [("earn", 2, 0)]),
    ("best: only the highest multiplier", DOUBLE_TUESDAY + ANNIVERSARY, [TEA], "bronze",
     TUESDAY, [("earn", 2, 0), ("promo:anniv", 5, 0)]),
])
def test_promotions(name, promos, lines, tier, at, expect):
    assert got(program(extra=promos), order(*lines, at=at), state(tier)) == expect, name


def test_stacking_all_adds_every_multipliers_extra():
    p = program(extra=DOUBLE_TUESDAY + ANNIVERSARY, top='promotion_stacking = "all"\n')
    assert got(p, order(TEA), state()) == [("earn", 2, 0), ("promo:tue2x", 2, 0),
                                           ("promo:anniv", 5, 0)]


def test_the_preview_names_the_promotions_that_applied():
    p = program(extra=DOUBLE_TUESDAY + GOLD_NEW + GIFT_BOX)
    assert awards_for_order(p, order(TEA), state("gold")).applied == ("tue2x",)
    on_today = promotions_for(p, "gold", channel="k1", store=None, at=TUESDAY)
    assert [x.id for x in on_today] == ["tue2x", "gold-new", "box50"]
    assert [x.id for x in promotions_for(p, "bronze", channel="k1", store=None,
                                         at=WEDNESDAY)] == ["box50"]


BIRTHDAY = '\n[bonuses.birthday]\npoints = 100\n'
BIRTHDAY_DAYS = '\n[bonuses.birthday]\npoints = 100\nwindow = "days"\ndays = 7\n'
FIRST = '\n[bonuses.first_purchase]\npoints = 30\nmin_amount = 200\n'


@pytest.mark.parametrize(("name", "extra", "birthday", "at", "expect"), [
    ("in the birthday month", BIRTHDAY, date(1990, 12, 25), TUESDAY, "birthday:2026"),
    ("not in another month", BIRTHDAY, date(1990, 1, 25), TUESDAY, None),
    ("a week around the day, across new year", BIRTHDAY_DAYS, date(1990, 1, 3),
     datetime(2026, 12, 28, 4, tzinfo=UTC), "birthday:2027"),
    ("29 February, a week around the 28th", BIRTHDAY_DAYS, date(2000, 2, 29),
     datetime(2027, 3, 6, 4, tzinfo=UTC), "birthday:2027"),
    ("a week is a week", BIRTHDAY_DAYS, date(1990, 12, 10), TUESDAY, None),
])
def test_birthday_bonus_once_a_year_by_its_id(name, extra, birthday, at, expect):
    awards = awards_for_order(program(extra=extra), order(TEA, at=at), state(birthday=birthday))
    onces = [a.once for a in awards if a.rule == "birthday"]
    assert onces == ([expect] if expect else []), name


def test_two_kiosks_offline_grant_the_same_birthday_bonus():
    p = program(extra=BIRTHDAY)
    s = state(birthday=date(1990, 12, 25))
    one = awards_for_order(p, order(TEA, channel="k1", ref="A"), s)
    two = awards_for_order(p, order(("X", 1, 900, None), channel="k2", ref="B",
                                    at=TUESDAY + timedelta(days=5)), s)
    gift_one = [a for a in one if a.rule == "birthday"]
    gift_two = [a for a in two if a.rule == "birthday"]
    # Identical, not just the same id: dated at the window's start, midnight in Taipei.
    assert gift_one == gift_two == [Award(EntryKind.BONUS, 100, "birthday",
                                          once="birthday:2026",
                                          at=datetime(2026, 11, 30, 16, tzinfo=UTC))]
    assert gift_one[0].id_for(MEMBER) == derived_id(MEMBER, "birthday:2026")


@pytest.mark.parametrize(("before", "amount", "expect"), [
    (0, 250, [("first_purchase", 30, None)]), (0, 150, []), (1, 250, []),
])
def test_first_purchase_bonus(before, amount, expect):
    got_ = got(program(extra=FIRST), order(("A", 1, amount, None)),
               state(purchases_before=before, enrolled_at=datetime(2026, 1, 5, tzinfo=UTC)))
    assert [g for g in got_ if g[0] != "earn"] == expect


def test_no_first_purchase_bonus_without_an_enrolment_to_date_it_by():
    assert [g for g in got(program(extra=FIRST), order(("A", 1, 250, None)), state())
            if g[0] != "earn"] == []


@pytest.mark.parametrize(("extra", "field"), [
    (promo('id = "x"\nmultiplier = 2\ntiers = ["platinum"]'), "promotions[0].tiers"),
    (promo('id = "x"'), "promotions[0]"),
    (promo('id = "x"\nmultiplier = 2') + promo('id = "x"\nmultiplier = 3'), "promotions"),
    (promo('id = "x"\nmultiplier = 2\nweekdays = ["tuesday"]'), "promotions[0].weekdays[0]"),
    ('\n[[earn.lines]]\nmultiplier = 0\n', "earn.lines[0]"),
    ('\n[bonuses.birthday]\npoints = -1\n', "bonuses.birthday.points"),
])
def test_program_mistakes_are_refused_with_the_field_named(extra, field):
    with pytest.raises(ProgramError, match=r"program: .*" + field.replace("[", r"\[")
                       .replace("]", r"\]")):
        program(extra=extra)


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(0, 5000)), min_size=1, max_size=6),
       st.integers(0, 3000), st.sampled_from(["bronze", "silver", "gold"]))
def test_lines_earn_what_the_order_earns_and_carry_its_net_paid(lines, discount, tier):
    p = program("points = 3\nper = 7", extra=DOUBLE_TUESDAY)
    o = order(*[(f"P{i}", q, price, None) for i, (q, price) in enumerate(lines)],
              discount=discount)
    awards = awards_for_order(p, o, state(tier))
    base = [a for a in awards if a.rule == "earn"]
    assert sum(a.amount_minor for a in base) == o.net_paid_minor
    whole = awards_for_order(p, order(("ALL", 1, o.net_paid_minor, None)), state(tier))
    assert sum(a.points for a in base) == whole.awards[0].points
    assert all(a.points >= 0 for a in awards)


def test_an_order_makes_one_entry_per_rule_and_derived_ones_under_their_ids():
    p = program(extra=DOUBLE_TUESDAY + BIRTHDAY + FIRST)
    s = state(birthday=date(1990, 12, 25), enrolled_at=datetime(2026, 1, 5, tzinfo=UTC))
    record = record_for(p, order(TEA, ("B", 2, 100, None)), s)
    ids = iter(uuid.UUID(int=i) for i in range(1, 10))
    entries = order_entries(record, new_id=lambda: next(ids), staff="Ann")
    assert [(e.kind, e.note, e.points, e.amount_minor, e.channel) for e in entries] == [
        (EntryKind.EARN, None, 4, 450, "k1"), (EntryKind.BONUS, "promo:tue2x", 4, 0, "k1"),
        (EntryKind.BONUS, "birthday:2026", 100, 0, DERIVED_CHANNEL),
        (EntryKind.BONUS, "first_purchase", 30, 0, DERIVED_CHANNEL)]
    assert expected_entries(p, record) == {None: (EntryKind.EARN, 4, 450),
                                           "promo:tue2x": (EntryKind.BONUS, 4, 0)}
    for e in entries[2:]:
        assert e.id == derived_id(MEMBER, e.note or "") and e.order_ref is None
        assert derived_problem(p, entry_id=e.id, member_id=MEMBER, points=e.points,
                               note=e.note, occurred_at=e.occurred_at,
                               birthday=s.birthday, enrolled_at=s.enrolled_at,
                               purchased_minor=record.order.net_paid_minor) is None
    birthday = entries[2]
    assert "100 points for the 2026 birthday" in (derived_problem(
        p, entry_id=birthday.id, member_id=MEMBER, points=500, note=birthday.note,
        occurred_at=birthday.occurred_at, birthday=s.birthday, enrolled_at=None,
        purchased_minor=0) or "")
    assert "grants no" in (derived_problem(
        p, entry_id=derived_id(MEMBER, "anniversary:1"), member_id=MEMBER, points=5,
        note="anniversary:1", occurred_at=TUESDAY, birthday=None, enrolled_at=None,
        purchased_minor=0) or "")


COFFEE_SHOP = Path(__file__).parents[2] / "assets" / "examples" / "coffee-shop.toml"
LATTE, CAKE = ("LATTE", 1, 3800, "coffee"), ("CAKE", 1, 4200, "cake")


@pytest.mark.parametrize(("name", "lines", "held", "stamps", "coupons"), [
    ("a coffee is a stamp", [LATTE], 0, [("card:coffee", 1)], []),
    ("the 9th stamp fills the card: the 10th coffee is free", [LATTE], 8,
     [("card:coffee", 1), ("card:coffee", -9)], ["card:coffee:k1:R1:1"]),
    ("three coffees on 7 stamps: a free coffee and 1 stamp carried over",
     [("LATTE", 3, 3800, "coffee")], 7,
     [("card:coffee", 3), ("card:coffee", -9)], ["card:coffee:k1:R1:1"]),
    ("cake is no coffee", [CAKE], 8, [], []),
])
def test_the_coffee_shops_punch_card(name, lines, held, stamps, coupons):
    p = load_program(COFFEE_SHOP)
    awards = awards_for_order(p, order(*lines, at=WEDNESDAY), state("regular", stamps=(
        ("coffee", held),)))
    assert [(a.wallet, a.points) for a in awards if a.wallet != "points"] == stamps, name
    assert [c.once for c in awards.coupons] == coupons, name
    assert all(c.rule == "free-coffee" for c in awards.coupons)


def test_the_coffee_shop_earns_points_on_everything_but_coffee_and_gives_a_birthday_cake():
    p = load_program(COFFEE_SHOP)
    awards = awards_for_order(p, order(LATTE, CAKE, at=WEDNESDAY),
                              state("regular", birthday=date(1990, 12, 9)))
    assert awards.points == 4  # HK$42.00 of cake at 1 point per HK$10; coffee fills the card
    gift = [c for c in awards.coupons if c.rule == "birthday-cake"]
    assert [c.once for c in gift] == ["coupon:birthday-cake:2026"]
    assert gift[0].valid_from == datetime(2026, 11, 30, 16, tzinfo=UTC)  # 1 Dec, Hong Kong


def test_every_section_the_engine_computes_is_applied_so_none_is_said_unapplied():
    # Coupons were the last (the counter's checkout takes them since issue 15).
    assert unapplied(load_program(DEFAULT_PROGRAM)) == []
    assert unapplied(load_program(COFFEE_SHOP)) == []

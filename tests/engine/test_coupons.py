"""Coupons: what issues them, when they can be used, what they take off, their QR."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from kiosk.engine.coupons import (
    CouponRule,
    birthday_coupons,
    check_coupon_rules,
    coupon_discount_minor,
    coupon_expiry,
    coupon_payload,
    coupon_problem,
    coupons_for_order,
    parse_coupon_payload,
    period_key,
    welcome_coupons,
)
from kiosk.engine.orders import CouponIssue, LoyaltyUsed, MemberState, Order, OrderLine

TAIPEI = ZoneInfo("Asia/Taipei")
MEMBER = uuid.UUID("11111111-2222-3333-4444-555555555555")
NAMES = {"en": "Coupon", "zh-TW": "優惠券", "zh-CN": "优惠券"}
STATE = MemberState(tier="basic")


def rule(id: str = "c", *, value: dict[str, Any] | None = None,
         trigger: dict[str, Any] | None = None, **more: Any) -> CouponRule:
    return CouponRule.model_validate({
        "id": id, "names": NAMES, "valid_days": 30,
        "value": value or {"kind": "percent_off", "percent": 10},
        "trigger": trigger or {"on": "order", "min_amount": "3000"}, **more})


def taipei(text: str) -> datetime:
    """A wall-clock time at the store, as the UTC time an order carries."""
    return datetime.fromisoformat(text).replace(tzinfo=TAIPEI).astimezone(UTC)


def order(*lines: tuple[str, int, int], at: str = "2026-11-20 15:00", ref: str = "1",
          channel: str = "k1", member: uuid.UUID | None = MEMBER, discount: int = 0) -> Order:
    return Order(channel=channel, order_ref=ref, occurred_at=taipei(at),
                 lines=tuple(OrderLine(code, qty, price) for code, qty, price in lines),
                 member_id=member, loyalty=LoyaltyUsed(discount_minor=discount))


def spend(amount: int, **kw: Any) -> Order:
    return order(("AMOUNT", 1, amount), **kw)


NEXT_TIME = rule("next10", trigger={"on": "order", "min_amount": "3000"})
QUARTERLY = rule("q300", value={"kind": "amount_off", "amount": "300"},
                 trigger={"on": "period_spend", "every": "10000", "period": "quarter"})


# -- the document ---------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "field"), [
    ({"value": {"kind": "percent_off", "percent": 0}}, "percent"),
    ({"value": {"kind": "percent_off", "percent": 101}}, "percent"),
    ({"value": {"kind": "amount_off", "amount": "0"}}, "amount"),
    ({"value": {"kind": "free_item", "item": ""}}, "item"),
    ({"value": {"kind": "cashback", "amount": "5"}}, "value"),
    ({"trigger": {"on": "period_spend", "every": "100", "period": "week"}}, "period"),
    ({"trigger": {"on": "order", "min_amount": "0"}}, "min_amount"),
    ({"valid_days": 0}, "valid_days"),
    ({"expires": "never"}, "expires"),
])
def test_a_misspelt_or_impossible_coupon_is_refused(change: dict[str, Any], field: str) -> None:
    raw = {"id": "c", "names": NAMES, "valid_days": 30,
           "value": {"kind": "percent_off", "percent": 10},
           "trigger": {"on": "order", "min_amount": "3000"}} | change
    with pytest.raises(ValidationError, match=field):
        CouponRule.model_validate(raw)


@pytest.mark.parametrize(("rules", "minor_units", "message"), [
    ([NEXT_TIME, rule("x", value={"kind": "amount_off", "amount": "12.345"})], 2,
     r"coupons\[1\]\.value\.amount: 12\.345 has more than 2 decimals"),
    ([rule("x", min_spend="99.5")], 0, r"coupons\[0\]\.min_spend: 99\.5 has more than 0"),
    ([rule("x", trigger={"on": "period_spend", "every": "0.5", "period": "year"})], 0,
     r"coupons\[0\]\.trigger\.every"),
    ([rule("x"), rule("y"), rule("x")], 0, "coupons: duplicate id 'x'"),
])
def test_check_names_the_bad_field(rules: list[CouponRule], minor_units: int,
                                   message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_coupon_rules(rules, minor_units)
    check_coupon_rules([NEXT_TIME, QUARTERLY], 0)


# -- periods and expiry ---------------------------------------------------------------------


@pytest.mark.parametrize(("utc", "zone", "period", "key"), [
    ("2026-11-20T04:00", TAIPEI, "month", "2026-11"),
    ("2026-11-20T04:00", TAIPEI, "quarter", "2026-Q4"),
    ("2026-11-20T04:00", TAIPEI, "year", "2026"),
    # 17:00 UTC on 30 September is 01:00 on 1 October in Taipei: a new quarter there only
    ("2026-09-30T17:00", TAIPEI, "quarter", "2026-Q4"),
    ("2026-09-30T17:00", ZoneInfo("UTC"), "quarter", "2026-Q3"),
    ("2026-12-31T16:00", TAIPEI, "year", "2027"),
    ("2026-12-31T16:00", ZoneInfo("UTC"), "year", "2026"),
    ("2026-03-31T15:59", TAIPEI, "quarter", "2026-Q1"),
])
def test_periods_are_calendar_periods_at_the_store(utc: str, zone: ZoneInfo, period: Any,
                                                   key: str) -> None:
    at = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert period_key(at, zone, period) == key


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="without a time zone"):
        period_key(datetime(2026, 11, 20), TAIPEI, "month")


def test_thirty_days_from_30_november_is_usable_through_30_december() -> None:
    issued = taipei("2026-11-30 21:00")
    expires = coupon_expiry(issued, 30, TAIPEI)
    assert expires == taipei("2026-12-31 00:00")
    late_evening, next_morning = taipei("2026-12-30 23:59"), taipei("2026-12-31 00:00")
    common: dict[str, Any] = {"valid_from": issued, "expires_at": expires, "used": False,
              "order": spend(100), "zone": TAIPEI, "minor_units": 0}
    assert coupon_problem(NEXT_TIME, at=late_evening, **common) is None
    assert coupon_problem(NEXT_TIME, at=next_morning, **common) == (
        "expired on 2026-12-31 (valid through 2026-12-30)")


# -- issuing --------------------------------------------------------------------------------


@pytest.mark.parametrize(("the_order", "issued"), [
    (spend(3000), 1),
    (spend(2999), 0),
    (order(("COFFEE", 20, 150)), 1),  # 20 coffees at NT$150
    (spend(3500, discount=600), 0),  # loyalty paid 600: the member paid 2,900
    (spend(5000, member=None), 0),  # a non-member sale issues nothing
])
def test_spend_3000_for_10_percent_off_next_time(the_order: Order, issued: int) -> None:
    coupons = coupons_for_order([NEXT_TIME], the_order, STATE, zone=TAIPEI, minor_units=0)
    assert len(coupons) == issued
    if issued:
        (c,) = coupons
        assert c.once == "coupon:next10:k1:1"
        assert c.valid_from == the_order.occurred_at
        assert c.expires_at == taipei("2026-12-21 00:00")


def test_the_next_time_coupon_does_not_pay_for_the_order_that_issued_it() -> None:
    first = spend(3000)
    (c,) = coupons_for_order([NEXT_TIME], first, STATE, zone=TAIPEI, minor_units=0)
    window: dict[str, Any] = {"valid_from": c.valid_from, "expires_at": c.expires_at, "used": False,
              "zone": TAIPEI, "minor_units": 0}
    assert coupon_problem(NEXT_TIME, order=first, at=first.occurred_at, **window) == (
        "not valid yet (valid after 2026-11-20 15:00)")
    second = spend(800, at="2026-11-21 10:00", ref="2")
    assert coupon_problem(NEXT_TIME, order=second, at=second.occurred_at, **window) is None
    assert coupon_discount_minor(NEXT_TIME, second, 0) == 80
    assert coupon_problem(NEXT_TIME, order=second, at=second.occurred_at,
                          **(window | {"used": True})) == "already used"


@pytest.mark.parametrize(("before", "paid", "multiples"), [
    (9000, 2000, [1]),
    (9000, 12000, [1, 2]),  # one big order crosses NT$10,000 and NT$20,000
    (0, 30000, [1, 2, 3]),
    (10000, 0, []),
    (10000, 9999, []),
    (0, 9999, []),
    (19999, 1, [2]),
])
def test_300_for_every_10000_in_a_quarter(before: int, paid: int, multiples: list[int]) -> None:
    state = MemberState(tier="basic", period_spend=(("2026-Q4", before),))
    coupons = coupons_for_order([QUARTERLY], spend(paid), state, zone=TAIPEI, minor_units=0)
    assert [c.once for c in coupons] == [f"coupon:q300:2026-Q4:{k}" for k in multiples]
    # the quarter's spend earns vouchers for the next quarter, for 30 days from its start
    assert all(c.valid_from == taipei("2027-01-01 00:00") for c in coupons)
    assert all(c.expires_at == taipei("2027-02-01 00:00") for c in coupons)


def test_spend_in_another_quarter_does_not_count() -> None:
    state = MemberState(tier="basic", period_spend=(("2026-Q3", 9999),))
    assert coupons_for_order([QUARTERLY], spend(5000), state, zone=TAIPEI,
                             minor_units=0) == ()


def test_two_kiosks_crossing_the_same_multiple_offline_issue_one_coupon() -> None:
    at_a = coupons_for_order(
        [QUARTERLY], spend(3000, channel="kiosk-a", ref="A1", at="2026-11-02 10:00"),
        MemberState(tier="basic", period_spend=(("2026-Q4", 8000),)),
        zone=TAIPEI, minor_units=0)
    at_b = coupons_for_order(
        [QUARTERLY], spend(600, channel="kiosk-b", ref="B7", at="2026-12-24 18:30"),
        MemberState(tier="basic", period_spend=(("2026-Q4", 9500),)),
        zone=TAIPEI, minor_units=0)
    assert at_a == at_b  # identical copies: the primary key keeps one
    assert at_a[0].id_for(MEMBER) == at_b[0].id_for(MEMBER)
    assert at_a[0].id_for(MEMBER) != at_a[0].id_for(uuid.uuid4())


def test_late_evening_on_30_september_in_taipei_counts_for_the_fourth_quarter() -> None:
    night = spend(10000, at="2026-10-01 00:30")  # 16:30 UTC on 30 September
    (taipei_coupon,) = coupons_for_order([QUARTERLY], night, STATE, zone=TAIPEI,
                                         minor_units=0)
    (utc_coupon,) = coupons_for_order([QUARTERLY], night, STATE, zone=ZoneInfo("UTC"),
                                      minor_units=0)
    assert taipei_coupon.once == "coupon:q300:2026-Q4:1"
    assert utc_coupon.once == "coupon:q300:2026-Q3:1"


def test_both_triggers_on_one_order_in_document_order() -> None:
    coupons = coupons_for_order([NEXT_TIME, QUARTERLY], spend(10000), STATE, zone=TAIPEI,
                                minor_units=0)
    assert [c.rule for c in coupons] == ["next10", "q300"]


def test_welcome_coupons_for_everyone_and_for_referred_members() -> None:
    everyone = rule("hello", trigger={"on": "welcome"})
    referred = rule("friend", trigger={"on": "welcome", "referred_only": True})
    at = taipei("2026-11-20 15:00")
    got = welcome_coupons([everyone, referred, NEXT_TIME], referred=False, at=at, zone=TAIPEI)
    assert [c.once for c in got] == ["coupon:hello:welcome"]
    got = welcome_coupons([everyone, referred, NEXT_TIME], referred=True, at=at, zone=TAIPEI)
    assert [c.once for c in got] == ["coupon:hello:welcome", "coupon:friend:welcome"]
    assert got[0].valid_from == at


def test_a_birthday_gift_once_a_year() -> None:
    gift = rule("bday", value={"kind": "free_item", "item": "CAKE"}, trigger={"on": "birthday"})
    at = taipei("2026-05-01 00:00")
    end = date(2026, 5, 31)  # the window's last day: 30 days counted from it
    (this_year,) = birthday_coupons([gift, NEXT_TIME], year=2026, at=at, window_end=end,
                                    zone=TAIPEI)
    assert this_year == CouponIssue(rule="bday", once="coupon:bday:2026", valid_from=at,
                                    expires_at=taipei("2026-07-01 00:00"))
    (again,) = birthday_coupons([gift], year=2026, at=at + timedelta(hours=3),
                                window_end=end, zone=TAIPEI)
    assert again.id_for(MEMBER) == this_year.id_for(MEMBER)
    (next_year,) = birthday_coupons([gift], year=2027, at=at, window_end=end, zone=TAIPEI)
    assert next_year.id_for(MEMBER) != this_year.id_for(MEMBER)


# -- using ----------------------------------------------------------------------------------

FREE_COFFEE = rule("coffee", value={"kind": "free_item", "item": "COFFEE"},
                   trigger={"on": "punch_card"})


@pytest.mark.parametrize(("value", "the_order", "minor_units", "off"), [
    ({"kind": "percent_off", "percent": 10}, spend(1234), 0, 123),  # floor: NT$123
    ({"kind": "percent_off", "percent": 100}, spend(1234), 0, 1234),
    ({"kind": "percent_off", "percent": 15}, spend(999), 2, 149),  # 9.99 → 1.49
    ({"kind": "amount_off", "amount": "300"}, spend(1000), 0, 300),
    ({"kind": "amount_off", "amount": "300"}, spend(120), 0, 120),  # never past the order
    ({"kind": "amount_off", "amount": "2.50"}, spend(1000), 2, 250),
    ({"kind": "free_item", "item": "COFFEE"}, order(("COFFEE", 2, 150), ("CAKE", 1, 90)), 0,
     150),
    ({"kind": "free_item", "item": "COFFEE"}, order(("CAKE", 1, 90)), 0, 0),
])
def test_what_a_coupon_takes_off(value: dict[str, Any], the_order: Order, minor_units: int,
                                 off: int) -> None:
    assert coupon_discount_minor(rule(value=value), the_order, minor_units) == off


@pytest.mark.parametrize(("the_rule", "the_order", "at", "problem"), [
    (NEXT_TIME, spend(100), "2026-11-20 14:00", "not valid yet (valid after 2026-11-20 15:00)"),
    (NEXT_TIME, spend(100), "2026-12-21 00:00",
     "expired on 2026-12-21 (valid through 2026-12-20)"),
    (rule(min_spend="500"), spend(499), "2026-11-25 12:00",
     "order below the minimum spend of 500"),
    (rule(min_spend="500"), spend(500), "2026-11-25 12:00", None),
    (FREE_COFFEE, order(("CAKE", 1, 90)), "2026-11-25 12:00",
     "free item COFFEE is not on the order"),
    (FREE_COFFEE, order(("COFFEE", 1, 150)), "2026-11-25 12:00", None),
])
def test_why_a_coupon_cannot_be_used(the_rule: CouponRule, the_order: Order, at: str,
                                     problem: str | None) -> None:
    issued = taipei("2026-11-20 15:00")
    assert coupon_problem(the_rule, valid_from=issued,
                          expires_at=coupon_expiry(issued, 30, TAIPEI), used=False,
                          order=the_order, at=taipei(at), zone=TAIPEI,
                          minor_units=0) == problem


# -- the QR ---------------------------------------------------------------------------------


def test_the_qr_round_trips_and_is_short() -> None:
    coupon = uuid.UUID("0123456789abcdef0123456789abcdef")
    text = coupon_payload(coupon)
    assert text == "CPQ1.0123456789ABCDEF0123456789ABCDEF"
    assert parse_coupon_payload(text) == coupon
    assert parse_coupon_payload(text.lower().replace("cpq1", "CPQ1")) == coupon


@pytest.mark.parametrize(("text", "message"), [
    ("CP1.abc.def.sig", "not a coupon QR"),
    ("https://example.com/CPQ1.0123", "not a coupon QR"),
    ("CPQ1.0123456789abcdef0123456789abcde", "has 31 characters"),
    ("CPQ1.0123456789abcdef0123456789abcdef\n", "has 33 characters"),
    ("CPQ1.0123456789abcdef-123456789abcdef", "not hexadecimal"),
    ("CPQ1.0123456789abcdef0123456789abcdeg", "not hexadecimal"),
    ("", "not a coupon QR"),
])
def test_anything_else_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_coupon_payload(text)


# -- properties -----------------------------------------------------------------------------

VALUES = st.one_of(
    st.builds(lambda p: {"kind": "percent_off", "percent": p}, st.integers(1, 100)),
    st.builds(lambda a: {"kind": "amount_off", "amount": str(a)}, st.integers(1, 10**6)),
    st.just({"kind": "free_item", "item": "COFFEE"}))
LINES = st.lists(st.tuples(st.sampled_from(["COFFEE", "CAKE", "AMOUNT"]), st.integers(0, 5),
                           st.integers(0, 10**5)), max_size=6)


@given(VALUES, LINES)
def test_a_coupon_never_takes_off_more_than_the_order(value: dict[str, Any],
                                                      lines: list[tuple[str, int, int]]
                                                      ) -> None:
    the_order = order(*lines)
    off = coupon_discount_minor(rule(value=value), the_order, 0)
    assert 0 <= off <= max(0, the_order.gross_minor)


@given(st.lists(st.integers(0, 25_000), max_size=12))
def test_any_split_of_a_quarters_spend_issues_the_same_vouchers(parts: list[int]) -> None:
    spent, ids = 0, []
    for n, paid in enumerate(parts):
        state = MemberState(tier="basic", period_spend=(("2026-Q4", spent),))
        ids += [c.id_for(MEMBER) for c in coupons_for_order(
            [QUARTERLY], spend(paid, ref=str(n), channel=f"k{n % 2}"), state, zone=TAIPEI,
            minor_units=0)]
        spent += paid
    expected = [c.id_for(MEMBER) for c in coupons_for_order(
        [QUARTERLY], spend(spent), STATE, zone=TAIPEI, minor_units=0)]
    assert ids == expected
    assert len(ids) == spent // 10000


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1),
                    timezones=st.just(UTC)), st.integers(1, 3660))
def test_a_coupon_lasts_its_days_in_full_at_the_store(issued: datetime, days: int) -> None:
    expires = coupon_expiry(issued, days, TAIPEI)
    local_issued, local_expires = issued.astimezone(TAIPEI), expires.astimezone(TAIPEI)
    assert local_expires.time().isoformat() == "00:00:00"
    assert (local_expires.date() - local_issued.date()).days == days + 1


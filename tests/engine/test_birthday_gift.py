"""Birthday gifts (a coupon with trigger "birthday") are dated at the start of the birthday
window, and their validity counted from there: a member whose first visit in the window
comes late gets a gift that has already expired, or expires the same night."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from kiosk.awards import awards_for_order
from kiosk.engine.coupons import last_day
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.program import parse_program
from tests.helpers.program import program_text

MEMBER = uuid.UUID("0192a000-0000-7000-8000-000000000001")


def gift(valid_days: int, window: str = 'window = "month"') -> str:
    return f'''
[bonuses.birthday]
points = 100
{window}

[[coupons]]
id = "birthday-cake"
names = {{ en = "Birthday cake", zh-TW = "生日蛋糕", zh-CN = "生日蛋糕" }}
value = {{ kind = "free_item", item = "CAKE" }}
valid_days = {valid_days}
trigger = {{ on = "birthday" }}
'''


def _visit(text: str, at: datetime, birthday: date):
    program = parse_program(program_text(text))
    order = Order("k1", "R1", at, (OrderLine("TEA", 1, 100),), MEMBER)
    state = MemberState("bronze", datetime(2025, 1, 1, tzinfo=UTC), birthday)
    (coupon,) = awards_for_order(program, order, state).coupons
    return program, coupon


def test_a_birthday_gift_is_not_expired_when_it_is_given():
    # Born 10 March; first visit of March on the 20th (12:00 Taipei), a 14-day gift.
    at = datetime(2026, 3, 20, 4, 0, tzinfo=UTC)
    program, coupon = _visit(gift(14), at, date(1990, 3, 10))
    # Now: valid from 1 March, last usable day 15 March, five days before it was given.
    assert last_day(coupon.expires_at, program.zone) >= date(2026, 3, 20)
    assert coupon.expires_at > at


def test_the_shipped_30_day_gift_on_the_last_day_of_a_31_day_birthday_month():
    # assets/program.toml: month window, valid_days = 30. First visit 31 March, 20:00 Taipei:
    # the receipt says "until 2026-03-31"; the gift can't pay for this order and is gone
    # at midnight.
    at = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    program, coupon = _visit(gift(30), at, date(1990, 3, 10))
    assert last_day(coupon.expires_at, program.zone) > date(2026, 3, 31)


def test_birthday_points_are_not_expired_when_they_are_given():
    # Points last a month; the birthday bonus is "within 60 days of the day". Born 1 May,
    # first visit in the window on the day itself: the bonus is dated 2 March (the
    # window's start), so its lot expired on 3 April, four weeks before it was granted.
    from kiosk.awards import order_entries, record_for
    from kiosk.wallets import points_summary

    text = ('\n[points]\nexpiry = { after = "months", months = 1 }\n'
            '\n[bonuses.birthday]\npoints = 100\nwindow = "days"\ndays = 60\n')
    program = parse_program(program_text(text))
    at = datetime(2026, 5, 1, 4, 0, tzinfo=UTC)  # 12:00 Taipei, the birthday
    order = Order("k1", "R1", at, (OrderLine("TEA", 1, 100),), MEMBER)
    state = MemberState("bronze", datetime(2025, 1, 1, tzinfo=UTC), date(1990, 5, 1))
    entries = order_entries(record_for(program, order, state), new_id=uuid.uuid4, staff=None)
    assert [e.points for e in entries if e.note == "birthday:2026"] == [100]
    summary = points_summary(program, entries, at)
    assert summary.available == summary.balance  # now: 1 available of 101

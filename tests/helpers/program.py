"""The loyalty programs tests start from, named in one place for the fixtures and for the
tests that load them themselves.

Every test starts from :data:`PLAIN_PROGRAM`, a fixture of its own (a point per NT$100,
three tiers, a sign-up bonus, four rewards), never from the program the kiosk ships: the
shipped default (:data:`SHIPPED_PROGRAM`) is the store owner's reference to every field
and changes with the engine, and only the tests of the shipped default itself load it
(a kiosk or a ledger started without a program gets it)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLAIN_PROGRAM = ROOT / "tests" / "fixtures" / "plain_program.toml"
SHIPPED_PROGRAM = ROOT / "assets" / "program.toml"
DEFAULT_PROGRAM = PLAIN_PROGRAM
"""The tests' default program: the plain fixture (an older name for PLAIN_PROGRAM)."""

PROMOTIONS = '''
[[promotions]]
id = "tea-friday"
names = { en = "Double points on tea, Fridays", zh-TW = "週五茶飲雙倍", zh-CN = "周五茶饮双倍" }
multiplier = 2
weekdays = ["fri"]
categories = ["tea"]

[bonuses.birthday]
points = 100

[bonuses.first_purchase]
points = 30
'''
"""Sections added to the plain program by tests of the engine at the counter: a Friday
tea promotion, a birthday bonus (the birthday month) and a first-purchase bonus."""

DOUBLE_AND_BIRTHDAY = '''
[[promotions]]
id = "double"
names = { en = "Double points", zh-TW = "雙倍點數", zh-CN = "双倍点数" }
multiplier = 2

[bonuses.birthday]
points = 100
'''
"""The ledger's order tests: double points on everything, every day, and a birthday bonus."""


COFFEE_CARD = '''
[[punch_cards]]
id = "coffee"
names = { en = "Coffee card", zh-TW = "咖啡集點卡", zh-CN = "咖啡集点卡" }
size = 4
categories = ["coffee"]
coupon = "free-coffee"

[[coupons]]
id = "free-coffee"
names = { en = "A free coffee", zh-TW = "免費咖啡一杯", zh-CN = "免费咖啡一杯" }
value = { kind = "free_item", item = "LATTE" }
valid_days = 60
trigger = { on = "punch_card" }
'''
"""A 4-stamp coffee card (category "coffee") whose full card gives a free latte: the
punch-card tests' program section."""


def program_text(extra: str = PROMOTIONS, version: str | None = None) -> str:
    """The plain program's document with ``extra`` sections appended (and a version)."""
    text = PLAIN_PROGRAM.read_text(encoding="utf-8") + extra
    if version is not None:
        text = text.replace('version = "2026.2"', f'version = "{version}"', 1)
    return text


QUARTER_VOUCHER = '''
[[coupons]]
id = "quarter300"
names = { en = "NT$300 per NT$10,000 a quarter", zh-TW = "季消費禮", zh-CN = "季消费礼" }
value = { kind = "amount_off", amount = 300 }
valid_days = 90
trigger = { on = "period_spend", every = 10000, period = "quarter" }
'''
"""A NT$300 voucher for every NT$10,000 spent in a calendar quarter (period spend)."""


CHECKOUT = '''
[[rewards]]
id = "free-shipping"
kind = "free_shipping"
cost = 50
names = { en = "Free shipping", zh-TW = "免運費", zh-CN = "免运费" }

[[rewards]]
id = "tea-20"
kind = "percent_discount"
percent = 20
categories = ["tea"]
cost = 30
names = { en = "20% off tea", zh-TW = "茶飲八折", zh-CN = "茶饮八折" }

[[causes]]
id = "school-meals"
names = { en = "School meals", zh-TW = "學童營養午餐", zh-CN = "学童营养午餐" }
min_points = 10

[points_as_money]
value = 1                # a point pays NT$1
step = 10
max_share_percent = 50

[[coupons]]
id = "next10"
names = { en = "10% off next time", zh-TW = "下次九折", zh-CN = "下次九折" }
value = { kind = "percent_off", percent = 10 }
valid_days = 30
trigger = { on = "order", min_amount = 3000 }
'''
"""The checkout's tests: the shop's free shipping and 20% off the tea lines as rewards,
points as money (a point is NT$1, steps of 10, at most half the bill), a coupon for 10%
off the next purchase after an order of NT$3,000, and a cause members may give points
to."""

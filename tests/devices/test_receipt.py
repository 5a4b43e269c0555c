"""What a receipt says and in what order, and the line breaking it is laid out with."""

from __future__ import annotations

import pytest

from devices.receipt import (
    Receipt,
    Row,
    display_width,
    layout,
    pair_lines,
    sample_receipt,
    wrap,
)


def test_a_member_receipt_has_every_part_in_order():
    r = Receipt(store="Shop 1", lines=[("Tea", "NT$65")], total="NT$65", points_earned=-120,
                balance=1234, tier="Gold", rewards=("Cake",), card_payload="CP1.X",
                order_ref="T-1", when="12:00")
    assert layout(r) == [
        Row("title", "Shop 1"), Row("pair", "Order T-1", "12:00"), Row("rule"),
        Row("pair", "Tea", "NT$65"), Row("rule"), Row("bold_pair", "Total", "NT$65"),
        Row("blank"), Row("pair", "Points this visit", "-120"),
        Row("pair", "Points balance", "1,234"), Row("pair", "Tier", "Gold"),
        Row("pair", "Rewards within reach"), Row("pair", "- Cake"),
        Row("blank"), Row("center", "Your member card"), Row("qr", "CP1.X"),
        Row("blank"), Row("center", "Thank you!"),
    ]


def test_a_receipt_without_a_member_has_no_points_and_no_qr():
    rows = layout(Receipt(store="Shop 1", lines=(("Tea", "NT$65"),), total="NT$65",
                          language="zh-CN"))
    assert [r.style for r in rows] == ["title", "rule", "pair", "rule", "bold_pair", "blank",
                                       "center"]
    assert rows[4] == Row("bold_pair", "合计", "NT$65")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="en, zh-TW, zh-CN"):
        Receipt(store="S", lines=(), total="0", language="fr")


@pytest.mark.parametrize(("text", "width"), [("abc", 3), ("會員", 4), ("NT$\uff11", 5), ("", 0)])
def test_chinese_characters_take_two_columns(text, width):
    assert display_width(text) == width


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("Alishan high-mountain tea 150 g", 16, ["Alishan", "high-mountain", "tea 150 g"]),
    ("阿里山高山茶葉一百五十克", 10, ["阿里山高山", "茶葉一百五", "十克"]),
    ("珍珠奶茶 large x2", 10, ["珍珠奶茶", "large x2"]),
    ("ABCDEFGHIJKLMNOPQRST", 8, ["ABCDEFGH", "IJKLMNOP", "QRST"]),  # no space to break at
    ("", 8, [""]),
])
def test_lines_break_at_spaces_or_between_chinese_characters(text, width, lines):
    assert wrap(text, width, display_width) == lines
    assert all(display_width(line) <= width for line in lines)


def test_the_amount_goes_on_its_own_line_when_the_label_leaves_no_room():
    assert pair_lines("Oolong tea", "NT$65", 20, display_width, 1) == [("Oolong tea", "NT$65")]
    assert pair_lines("Oolong tea with milk", "NT$65", 20, display_width, 1) == [
        ("Oolong tea with milk", ""), ("", "NT$65")]


@pytest.mark.parametrize("language", ["en", "zh-TW", "zh-CN"])
def test_the_test_page_exists_in_every_language(language):
    assert sample_receipt(language).language == language

"""The program engine at the counter, through the widgets, in three languages (issue 14):
the member screen lists the promotions on today; the sale preview names the one that
applies to the basket; the receipt says where the visit's points came from (purchase, the
promotion, the birthday and first-purchase bonuses), the punch card's stamps and the
coupon a full card gives. Each is captured as a PNG."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

from devices.receipt import Receipt, layout
from kiosk.app.qt import CounterApp
from kiosk.engine.order_codes import OrderCode, parse_order_payload
from kiosk.services import Enrolment, enrol
from tests.helpers.program import program_text
from tests.helpers.ui import SHOTS, WAIT, on_screen, tap
from tests.ui.conftest import program_app, program_template
from ui.i18n import LANGUAGES

pytestmark = pytest.mark.gui

OFFERS = '''
[[promotions]]
id = "tea-double"
names = { en = "Double points on tea", zh-TW = "茶飲雙倍點數", zh-CN = "茶饮双倍积分" }
multiplier = 2
categories = ["tea"]

[[promotions]]
id = "gold-leaf"
names = { en = "Gold: 3x on leaf tea", zh-TW = "金卡茶葉三倍", zh-CN = "金卡茶叶三倍" }
multiplier = 3
tiers = ["gold"]
categories = ["leaf_tea"]

[bonuses.birthday]
points = 100

[bonuses.first_purchase]
points = 30

[[punch_cards]]
id = "tea-card"
names = { en = "Tea card", zh-TW = "茶飲集點卡", zh-CN = "茶饮集点卡" }
size = 3
categories = ["tea"]
coupon = "free-tea"

[[coupons]]
id = "free-tea"
names = { en = "A free oolong", zh-TW = "免費烏龍茶一杯", zh-CN = "免费乌龙茶一杯" }
value = { kind = "free_item", item = "TEA-OOLONG" }
valid_days = 30
trigger = { on = "punch_card" }
'''
CARDS = {"en": ("Tea card: 1 of 3 stamps", "Coupon for next time: A free oolong, until "),
         "zh-TW": ("茶飲集點卡：已集 1/3 個印章", "下次可用優惠券：免費烏龍茶一杯（至 "),  # noqa: RUF001
         "zh-CN": ("茶饮集点卡：已集 1/3 个印章", "下次可用优惠券：免费乌龙茶一杯（至 ")}  # noqa: RUF001
FREE_TEA = {"en": "A free oolong", "zh-TW": "免費烏龍茶一杯", "zh-CN": "免费乌龙茶一杯"}
NAMES = {"en": ("Double points on tea", "Birthday bonus", "First purchase bonus"),
         "zh-TW": ("茶飲雙倍點數", "生日禮點數", "首購禮點數"),
         "zh-CN": ("茶饮双倍积分", "生日礼积分", "首购礼积分")}


@pytest.fixture(scope="module")
def offers_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return program_template(tmp_path_factory, "offers",
                            program_text(OFFERS, version="2026.2-offers"))


@pytest.fixture
def offers_app(qtbot, qapp, offers_template: tuple[Path, Path],
               tmp_path: Path) -> Iterator[CounterApp]:
    yield from program_app(qtbot, qapp, offers_template, tmp_path)


def receipt_png(receipt: Receipt, path: Path) -> None:
    """The receipt's rows as a narrow paper strip, for a person to look at."""
    font = QFont()
    font.setPixelSize(20)
    metrics = QFontMetrics(font)
    rows = layout(receipt)
    image = QImage(576, 30 + 28 * len(rows), QImage.Format.Format_RGB32)  # 80 mm paper
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    for i, row in enumerate(rows):
        y = 30 + 28 * i
        if row.style == "rule":
            painter.drawLine(QPoint(10, y - 8), QPoint(566, y - 8))
        elif row.style in ("title", "center", "qr"):
            text = "[QR]" if row.style == "qr" else row.left
            painter.drawText(288 - metrics.horizontalAdvance(text) // 2, y, text)
        else:
            painter.drawText(10, y, row.left)
            painter.drawText(566 - metrics.horizontalAdvance(row.right), y, row.right)
    painter.end()
    assert image.save(str(path))


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_offers_and_bonuses_at_the_counter_in_every_language(qtbot, offers_app, language):
    app, w = offers_app, offers_app.window
    kiosk = app.counter.kiosk
    today = datetime.now(UTC).astimezone(kiosk.program.zone)
    joined = enrol(kiosk, Enrolment("Amy Lin", "0911222333", birthday=date(1990, today.month, 1),
                                    consent=True))
    w.resize(1024, 768)
    w.set_language(language)
    folder = SHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    promo, birthday, first = NAMES[language]

    w.handle_scan(joined.card.payload)
    on_screen(qtbot, app, "member")
    assert promo in w.member_screen.offers.text()
    card = CARDS[language][0].partition("：" if language != "en" else ":")[0]  # noqa: RUF001
    assert card in w.member_screen.stamps.text() and "○○○" in w.member_screen.stamps.text()
    assert w.grab().save(str(folder / "member-offers.png"))

    tap(qtbot, w.member_screen.sale)
    teas = [a for a in w.simulate_actions if str(a.data()).startswith("Product: Oolong")]
    for _ in range(4):
        teas[0].trigger()
    qtbot.waitUntil(lambda: promo in w.sale.preview.text(), timeout=WAIT)
    for said in ("134", birthday, first):  # NT$260 of tea: 2 points, 2 more, 100, 30
        assert said in w.sale.preview.text()
    card = CARDS[language][0].partition("：" if language != "en" else ":")[0]  # noqa: RUF001
    assert f"{card} +4" in w.sale.cards_preview.text()  # four teas: four stamps, and the
    assert FREE_TEA[language] in w.sale.cards_preview.text()  # full card's coupon, named before
    # the cashier confirms
    preview = w.sale.preview  # every line of it shown, not cut by the bar below
    qtbot.waitUntil(lambda: preview.height() >= preview.heightForWidth(preview.width()),
                    timeout=WAIT)
    assert w.grab().save(str(folder / "sale-offers.png"))

    tap(qtbot, w.sale.confirm)
    on_screen(qtbot, app, "member")
    qtbot.waitUntil(lambda: "●○○" in w.member_screen.stamps.text(), timeout=WAIT)
    assert FREE_TEA[language] in w.member_screen.coupons.text()  # the full card's coupon
    assert w.grab().save(str(folder / "member-stamps.png"))
    qtbot.waitUntil(lambda: w.session.receipt is not None, timeout=WAIT)
    receipt = w.session.receipt()
    texts = [row.left.strip() for row in layout(receipt)]
    for name in (promo, birthday, first):
        assert name in texts, f"{name} missing from the receipt: {texts}"
    assert receipt.points_earned == 2 + 2 + 100 + 30  # the tea card's stamps are no points
    # Four teas on a 3-stamp card: full once (a coupon for next time), one carries over.
    stamps, coupon = CARDS[language]
    assert stamps in texts, texts
    assert any(t.startswith(coupon) for t in texts), texts
    rows = layout(receipt)
    at = next(i for i, r in enumerate(rows) if r.left.startswith(coupon))
    assert rows[at + 1].style == "qr" and rows[at + 1].left.startswith("CPQ1.")
    # Last, the order's own code: a refund starts from a scan of it.
    order_code = [r.left for r in rows if r.style == "qr"][-1]
    assert parse_order_payload(order_code) == OrderCode(app.counter.kiosk.channel,
                                                       receipt.order_ref)
    receipt_png(receipt, folder / "receipt-offers.png")

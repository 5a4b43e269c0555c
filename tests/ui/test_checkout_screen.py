"""The checkout on the sale screen, through the widgets, in three languages (issue 15): a
reward, a coupon the member holds and points as money pay part of the bill; the screen
says what each takes off and what is left to pay; the order commits as one; the receipt
lists every discount and the points used, and comes out of a (file) printer as ESC/POS
that says so. Each is captured as a PNG."""

from __future__ import annotations

import pytest

from devices.receipt import layout
from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from tests.helpers.ui import SHOTS, WAIT, key_in, on_screen, tap, whole_printout
from tests.ui.test_engine_screens import receipt_png
from ui.i18n import LANGUAGES

pytestmark = pytest.mark.gui

WORDS = {  # the reward, the coupon, the points' line, "To pay", the receipt's captions
    "en": ("NT$100 off", "10% off next time", "40 points", "To pay NT$760 (of NT$1,000)",
           ("Subtotal", "To pay", "Points used", "Paid with 40 points")),
    "zh-TW": ("折抵 NT$100", "下次九折", "40 點", "應付 NT$760（原價 NT$1,000）",  # noqa: RUF001
              ("小計", "應付金額", "使用點數", "點數折抵 40 點")),
    "zh-CN": ("抵扣 NT$100", "下次九折", "40 积分", "应付 NT$760（原价 NT$1,000）",  # noqa: RUF001
              ("小计", "应付金额", "使用积分", "积分抵扣 40 分")),
}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_reward_a_coupon_and_points_pay_at_the_checkout(qtbot, checkout_app, language,
                                                          tmp_path):
    app, w = checkout_app, checkout_app.window
    kiosk = app.counter.kiosk
    joined = enrol(kiosk, Enrolment("Amy Lin", "0911222333", consent=True))
    ring_up_sale(kiosk, Sale(joined.member.id, 9000, "EARLIER"))  # 140 points, 10% coupon
    w.resize(1024, 768)
    w.set_language(language)
    folder = SHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    reward, coupon, points, to_pay, captions = WORDS[language]

    w.handle_scan(joined.card.payload)
    on_screen(qtbot, app, "member")
    tap(qtbot, w.member_screen.sale)
    key_in(qtbot, w.sale.keypad, "1000")
    panel = w.sale.loyalty
    panel.reward.setCurrentIndex(panel.reward.findData("nt100-off"))
    [held] = [i for i in range(panel.coupon.count()) if panel.coupon.itemData(i) is not None]
    panel.coupon.setCurrentIndex(held)
    assert panel.reward.currentText().startswith(reward)
    assert panel.coupon.currentText() == coupon
    tap(qtbot, panel.most)  # 140 points less the reward's 100: 40 may pay
    assert panel.points == 40
    listed = [w.sale.basket_list.item(i).text().split()
              for i in range(w.sale.basket_list.count())]
    assert [" ".join(words) for words in listed] == [  # below the basket, on the bill
        f"{reward} −NT$100", f"{coupon} −NT$100", f"{points} −NT$40"]  # noqa: RUF001
    assert w.sale.total.text() == to_pay
    assert "7" in w.sale.preview.text()  # earns on the NT$760 left to pay
    assert w.grab().save(str(folder / "sale-checkout.png"))

    tap(qtbot, w.sale.confirm)
    on_screen(qtbot, app, "member")
    qtbot.waitUntil(lambda: w.member is not None and w.member.balance == 7, timeout=WAIT)
    assert coupon not in w.member_screen.coupons.text()  # used: no longer listed
    qtbot.waitUntil(lambda: w.session.receipt is not None, timeout=WAIT)
    receipt = w.session.receipt()
    rows = [(r.left.strip(), r.right) for r in layout(receipt)]
    subtotal, pay, used, with_points = captions
    assert (subtotal, "NT$1,000") in rows and (pay, "NT$760") in rows
    assert (reward, "-NT$100") in rows and (coupon, "-NT$100") in rows
    assert (with_points, "-NT$40") in rows and (used, "-140") in rows
    receipt_png(receipt, folder / "receipt-checkout.png")
    if language == "en":  # the printer's bytes say the same (Chinese prints as an image)
        tap(qtbot, w.receipt_button)
        paper = tmp_path / "paper.bin"
        text = [" ".join(line.split()) for line in whole_printout(qtbot, paper).text]
        for expected in ("Subtotal NT$1,000", "NT$100 off -NT$100",
                         "10% off next time -NT$100", "Paid with 40 points -NT$40",
                         "To pay NT$760", "Points used -140"):
            assert expected in text, text

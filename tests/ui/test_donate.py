"""Donating points at the counter (issue 15, point 4): from the member screen the cashier
opens the causes, picks one and the points with large minus and plus (from the cause's
minimum, the plus stopping at what the member has), and a button that says exactly what
it does gives them on a worker; the banner thanks the member with their new balance, and
the receipt thanks them by cause and points. A refusal changes nothing. In three
languages, each captured as a PNG."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from devices.receipt import Row, layout
from kiosk.app.qt import CounterApp
from kiosk.services import Enrolment, EnrolmentResult, Sale, enrol, ring_up_sale
from tests.helpers.ui import (
    SHOTS,
    WAIT,
    in_view,
    message,
    on_screen,
    scan_member,
    shoot,
    stored_balance,
    tap,
    whole_printout,
)
from tests.ui.test_engine_screens import receipt_png
from tests.ui.test_screens_hold_still import fits_unscrolled, overlaps
from ui.i18n import LANGUAGES
from ui.screens.donate import CAUSE_PX, DonateScreen

pytestmark = pytest.mark.gui

CAUSE = {"en": "School meals", "zh-TW": "學童營養午餐", "zh-CN": "学童营养午餐"}
GIVE = {"en": "Give 20 points to School meals", "zh-TW": "捐 20 點給學童營養午餐",
        "zh-CN": "捐 20 积分给学童营养午餐"}
THANKS = {"en": "Thank you! 20 points given to School meals. Balance: 120",
          "zh-TW": "謝謝您！已捐 20 點給學童營養午餐。餘額：120",  # noqa: RUF001
          "zh-CN": "谢谢您！已捐 20 积分给学童营养午餐。余额：120"}  # noqa: RUF001
RECEIPT = {  # the gift's line, the balance's, and the thank-you at the end
    "en": (("School meals", "20 points"), ("Points balance", "120"),
           "Thank you for giving 20 points to School meals!"),
    "zh-TW": (("學童營養午餐", "20 點"), ("點數餘額", "120"),
              "感謝您捐出 20 點給學童營養午餐！"),  # noqa: RUF001
    "zh-CN": (("学童营养午餐", "20 积分"), ("积分余额", "120"),
              "感谢您捐出 20 积分给学童营养午餐！"),  # noqa: RUF001
}


def member_with(app: CounterApp, spent_minor: int = 0) -> EnrolmentResult:
    """A new member (50 points for joining) who spent ``spent_minor`` (a point per NT$100)."""
    kiosk = app.counter.kiosk
    joined = enrol(kiosk, Enrolment("Amy Lin", "0911222333", consent=True))
    if spent_minor:
        ring_up_sale(kiosk, Sale(joined.member.id, spent_minor, "EARLIER"))
    return joined


def scan(qtbot, app: CounterApp, joined: EnrolmentResult) -> None:
    w = app.window
    w.handle_scan(joined.card.payload)
    qtbot.waitUntil(lambda: w.current == "member" and w.member is not None
                    and w.member.member.id == joined.member.id, timeout=WAIT)


def to_causes(qtbot, app: CounterApp, joined: EnrolmentResult | None = None) -> DonateScreen:
    """The member's card is scanned (unless on screen already) and the cashier taps
    "Donate points"."""
    w = app.window
    if joined is not None:
        scan(qtbot, app, joined)
    tap(qtbot, w.member_screen.donate)
    on_screen(qtbot, app, "donate")
    return w.donate


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_twenty_points_go_to_school_meals_and_the_member_is_thanked(
        qtbot, checkout_app, language, tmp_path):
    app, w = checkout_app, checkout_app.window
    w.resize(1024, 768)
    w.set_language(language)
    joined = member_with(app, 9000)  # 50 + 90 points
    screen = to_causes(qtbot, app, joined)
    assert "140" in screen.available.text()
    assert not screen.confirm.isEnabled()  # nothing chosen yet
    tap(qtbot, screen.cause_buttons["school-meals"])
    assert CAUSE[language] in screen.cause_buttons["school-meals"].text()
    assert screen.points == 10  # the cause's minimum
    assert not screen.minus.isEnabled()
    tap(qtbot, screen.plus)
    assert screen.confirm.text() == GIVE[language]
    assert stored_balance(app) == 140  # asked, not done
    assert fits_unscrolled(app)
    shoot(app, language, "donate")

    with qtbot.waitSignal(screen.completed, timeout=WAIT):
        tap(qtbot, screen.confirm)
    assert THANKS[language] in message(qtbot, app, "info")
    on_screen(qtbot, app, "member")
    qtbot.waitUntil(lambda: w.member is not None and w.member.balance == 120, timeout=WAIT)
    assert stored_balance(app) == 140 - 20
    assert fits_unscrolled(app)
    shoot(app, language, "member-donated")

    qtbot.waitUntil(lambda: w.session.receipt is not None and w.receipt_button.isVisible(),
                    timeout=WAIT)
    receipt = w.session.receipt()
    rows = [(r.left.strip(), r.right) for r in layout(receipt)]
    gift, balance, thanks = RECEIPT[language]
    assert gift in rows and balance in rows
    assert layout(receipt)[-1] == Row("center", thanks)
    receipt_png(receipt, SHOTS / language / "receipt-donation.png")
    tap(qtbot, w.receipt_button)
    paper = tmp_path / "paper.bin"
    printout = whole_printout(qtbot, paper)
    assert printout.items[-1] == "cut"
    if language == "en":  # Chinese prints as an image: its words are checked above
        text = [" ".join(line.split()) for line in printout.text]
        for expected in ("School meals 20 points", "Points this visit -20",
                         "Points balance 120", "Thank you for giving 20 points to"):
            assert any(line.startswith(expected) for line in text), (expected, text)
        assert any("School meals!" in line for line in text), text


def test_the_plus_stops_at_what_the_member_has_and_the_minus_at_the_minimum(
        qtbot, checkout_app):
    app = checkout_app
    screen = to_causes(qtbot, app, member_with(app))  # 50 points
    assert screen.available.text() == "Available: 50 points"
    tap(qtbot, screen.cause_buttons["school-meals"])
    taps = 0
    while screen.plus.isEnabled():
        tap(qtbot, screen.plus)
        taps += 1
    assert (taps, screen.points) == (4, 50)  # 10, 20, 30, 40, 50 and no further
    assert screen.confirm.text() == "Give 50 points to School meals"
    while screen.minus.isEnabled():
        tap(qtbot, screen.minus)
    assert screen.points == 10
    tap(qtbot, screen.cancel)  # unchooses the cause, then goes back
    assert not screen.confirm.isEnabled() and screen.confirm.text() == "Give points"
    tap(qtbot, screen.cancel)
    on_screen(qtbot, app, "member")
    assert stored_balance(app) == 50


def test_over_the_offline_limit_the_gift_is_refused_and_nothing_changes(qtbot, checkout_app):
    app, w = checkout_app, checkout_app.window
    app.running.embedded.stop()  # the ledger can't be asked: the floor limits decide
    app.sync_worker.sync_soon()
    qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online is False,
                    timeout=WAIT)
    screen = to_causes(qtbot, app, member_with(app, 60_000))  # 650 points
    tap(qtbot, screen.cause_buttons["school-meals"])
    while screen.points < 510:  # one gift offline is at most 500
        tap(qtbot, screen.plus)
    tap(qtbot, screen.confirm)
    assert "over the offline limit" in message(qtbot, app, "error")
    assert w.current == "donate" and screen.isEnabled()
    assert screen.confirm.text() == "Give 510 points to School meals"  # to try again
    assert stored_balance(app) == 650
    assert w.session.receipt is None


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_member_and_donate_screens_fit_a_small_800x480_panel(qtbot, checkout_app,
                                                                  language):
    app, w = checkout_app, checkout_app.window
    w.set_language(language)
    w.resize(800, 480)
    scan(qtbot, app, member_with(app, 9000))
    QApplication.processEvents()
    assert w.member_screen.donate.isVisible()
    assert overlaps(app) == []
    screen = to_causes(qtbot, app)
    tap(qtbot, screen.cause_buttons["school-meals"])
    QApplication.processEvents()
    assert overlaps(app) == []
    assert screen.cause_buttons["school-meals"].height() >= CAUSE_PX  # both lines show
    # The panel scrolls to the amount and the button that gives it, once a cause is picked.
    qtbot.waitUntil(lambda: in_view(app, screen.confirm) and in_view(app, screen.plus),
                    timeout=WAIT)
    shoot(app, language, "800x480-donate")


def test_without_causes_the_member_screen_has_no_donate_button(qtbot, app):
    scan_member(qtbot, app, 0)  # the plain program lists no causes
    assert not app.window.member_screen.donate.isVisible()

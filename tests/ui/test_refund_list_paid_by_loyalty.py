"""The refund list at the counter for an order paid wholly by loyalty (points paid the whole
bill, so its earn is on NT$0): after one of its two lattes came back the row used to say
"Refunded", greyed out, so the other latte could not be refunded. Its stored refunds say
how much came back: the row is left to choose, reads "Partly refunded" once tapped, shows
the latte left, and reads "Refunded" once that is back too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.qt import CounterApp
from kiosk.engine.refunds import RefundLine
from kiosk.services import SaleLine, refund_lines
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.manager import adjust_points
from tests.helpers.program import program_text
from tests.helpers.ui import WAIT, message, scan_member, tap
from tests.ui.conftest import program_app, program_template
from tests.ui.test_refund_list import open_refunds, row_of, rows, tap_row

pytestmark = pytest.mark.gui

PAID_BY_POINTS = '''
[points_as_money]
value = 1
step = 10
max_share_percent = 100
'''
DRINK_POINTS = 'rounding = "floor"\nlines = [{ category = "coffee", points_per_item = 1 }]\n'


@pytest.fixture(scope="module")
def points_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    text = program_text(PAID_BY_POINTS, version="2026.2-paid-by-points")
    return program_template(tmp_path_factory, "paid-by-points",
                            text.replace('rounding = "floor"\n', DRINK_POINTS, 1))


@pytest.fixture
def points_app(qtbot, qapp, points_template: tuple[Path, Path],
               tmp_path: Path) -> Iterator[CounterApp]:
    yield from program_app(qtbot, qapp, points_template, tmp_path)


def test_an_order_paid_by_points_half_refunded_can_still_be_refunded(qtbot, points_app):
    app, w = points_app, points_app.window
    scan_member(qtbot, app, 1)
    assert w.member is not None
    kiosk, member_id = app.counter.kiosk, w.member.member.id
    adjust_points(kiosk, member_id, 500, "points to pay with")
    paid = check_out(kiosk, Checkout(member_id, (SaleLine("LATTE", 2, 120, "coffee"),),
                                     points=240, order_ref="PTS-1"))
    assert paid.priced.net_minor == 0
    refund_lines(kiosk, "PTS-1", [RefundLine(0, 1)],  # one latte of the two
                 approved_by="Grace Ho")  # the demo's manager

    open_refunds(qtbot, app, "PTS-1")
    tab = w.manager.refund_tab
    assert "Refunded" not in rows(tab)[row_of(tab, "PTS-1")]
    tap_row(qtbot, tab.orders_list, row_of(tab, "PTS-1"))
    assert w.manager.order_ref.text() == "PTS-1"  # chosen, not greyed out
    qtbot.waitUntil(lambda: "Partly refunded" in rows(tab)[row_of(tab, "PTS-1")],
                    timeout=WAIT)

    tap(qtbot, w.manager.refund_button)  # one latte left: straight to the question
    qtbot.waitUntil(lambda: tab.confirm_button.isVisible(), timeout=WAIT)
    assert "1 × LATTE" in tab.details.text()  # noqa: RUF001
    tap(qtbot, tab.confirm_button)
    assert "PTS-1" in message(qtbot, app, "info")
    qtbot.waitUntil(lambda: "Refunded" in rows(tab)[row_of(tab, "PTS-1")], timeout=WAIT)
    assert "Partly" not in rows(tab)[row_of(tab, "PTS-1")]

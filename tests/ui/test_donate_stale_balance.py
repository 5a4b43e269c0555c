"""The donate screen keeps the balance it was opened with: points spent elsewhere while it
is open (a sync pulling a redemption from another store; here a donation written straight
to the store) leave it offering more than the member can spend, and after the refusal it
still shows the old 'Available' and still offers the same refused amount."""

from __future__ import annotations

import pytest

from kiosk.services.donations import donate
from tests.helpers.ui import WAIT, message, tap
from tests.ui.test_donate import member_with, to_causes

pytestmark = pytest.mark.gui


def test_refused_for_too_few_points_the_screen_catches_up(qtbot, checkout_app):
    app = checkout_app
    joined = member_with(app, 9000)  # 140 points
    screen = to_causes(qtbot, app, joined)
    tap(qtbot, screen.cause_buttons["school-meals"])
    while screen.plus.isEnabled():
        tap(qtbot, screen.plus)
    assert screen.points == 140
    # elsewhere: 100 of the 140 points are spent while the screen is open
    donate(app.counter.kiosk, joined.member.id, "school-meals", 100)
    with qtbot.waitSignal(screen.failed, timeout=WAIT):
        tap(qtbot, screen.confirm)
    assert "enough points" in message(qtbot, app, "error")
    qtbot.waitUntil(lambda: screen.isEnabled(), timeout=WAIT)
    # The screen should now know the member has 40: not say 140, not offer 140 again.
    assert "140" not in screen.available.text(), screen.available.text()
    assert screen.points <= 40, screen.confirm.text()

"""The transfer screen keeps the giver's balance it was opened with: points spent elsewhere
while it is open leave it offering more than the giver has, and after the refusal it still
says the old 'Available' and offers the refused amount again."""

from __future__ import annotations

import pytest

from kiosk.services.donations import donate
from tests.helpers.ui import WAIT, message, tap
from tests.ui.test_transfer import members, scan_receiver, to_transfer

pytestmark = pytest.mark.gui


def test_refused_for_too_few_points_the_transfer_screen_catches_up(qtbot, transfer_app):
    app = transfer_app
    giver, receiver = members(app)  # giver 140
    screen = to_transfer(qtbot, app, giver)
    scan_receiver(qtbot, app, receiver)
    while screen.plus.isEnabled():
        tap(qtbot, screen.plus)
    assert screen.points == 100  # the program's most
    donate(app.counter.kiosk, giver.member.id, "school-meals", 100)  # elsewhere: 40 left
    with qtbot.waitSignal(screen.failed, timeout=WAIT):
        tap(qtbot, screen.confirm)
    said = message(qtbot, app, "error")
    qtbot.waitUntil(lambda: screen.isEnabled(), timeout=WAIT)
    assert "140" not in screen.available.text(), (screen.available.text(), said)
    assert screen.points <= 40, (screen.confirm.text(), said)

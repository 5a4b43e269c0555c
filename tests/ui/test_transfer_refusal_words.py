"""A transfer refused for its size is told as an adjustment's ('An adjustment is 1 to 500
points, up or down.'): transfers.transfer raises InvalidInput with
InputProblem.ADJUSTMENT_SIZE. Reached at the counter when sync brings a program with a
smaller [transfers] maximum while the screen is open (kiosk.reload)."""

from __future__ import annotations

import pytest

from tests.helpers.ui import WAIT, message, tap
from tests.ui.test_transfer import members, scan_receiver, to_transfer

pytestmark = pytest.mark.gui


def test_a_transfer_too_large_is_not_said_as_an_adjustment(qtbot, transfer_app):
    app = transfer_app
    giver, receiver = members(app)
    screen = to_transfer(qtbot, app, giver)
    scan_receiver(qtbot, app, receiver)
    while screen.plus.isEnabled():
        tap(qtbot, screen.plus)
    assert screen.points == 100
    kiosk = app.counter.kiosk  # sync brings a program whose transfers stop at 50
    policy = kiosk.program.transfers.model_copy(update={"max_points": 50})
    kiosk.program = kiosk.program.model_copy(update={"transfers": policy})
    with qtbot.waitSignal(screen.failed, timeout=WAIT):
        tap(qtbot, screen.confirm)
    said = message(qtbot, app, "error")
    assert "adjustment" not in said.lower(), said

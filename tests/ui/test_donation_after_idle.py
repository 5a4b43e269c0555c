"""A donation still at the ledger when the counter goes idle (nobody touched it for the
idle time, or the next customer's turn): when it comes back, donated() refreshes with
navigate=True and the previous member's screen (and session.member, and their receipt)
comes back over the idle screen, for whoever is at the counter now."""

from __future__ import annotations

import threading

import pytest

import ui.screens.donate as donate_screen
from tests.helpers.ui import WAIT, on_screen, tap
from tests.ui.test_donate import member_with, to_causes

pytestmark = pytest.mark.gui


def test_a_late_donation_does_not_bring_the_last_member_back(qtbot, checkout_app,
                                                              monkeypatch):
    app, w = checkout_app, checkout_app.window
    joined = member_with(app, 9000)
    screen = to_causes(qtbot, app, joined)
    gate, real = threading.Event(), donate_screen.donate

    def slow_donate(*args):
        assert gate.wait(10)
        return real(*args)
    monkeypatch.setattr(donate_screen, "donate", slow_donate)
    tap(qtbot, screen.cause_buttons["school-meals"])
    tap(qtbot, screen.confirm)
    w.session.left_alone()  # the idle timer's slot
    on_screen(qtbot, app, "idle")
    assert w.session.member is None
    with qtbot.waitSignal(screen.completed, timeout=WAIT):
        gate.set()
    # the refresh, if one is (wrongly) made, lands with member_shown; none is expected
    qtbot.waitSignal(w.member_shown, timeout=3000, raising=False).wait()
    assert w.current == "idle" and w.session.member is None, \
        (w.current, w.session.member and w.session.member.member.name)
    assert not w.receipt_button.isVisible()  # the last member's receipt, card QR and all

"""After a transfer went unanswered the transfer screen never tells the giver's points
from before it, whatever happens next, until that transfer is answered: the ledger may
have moved them (found by a review: a failed retry, a refusal of another amount, stepping
the amount, or going back and starting again brought the old figure back)."""

from __future__ import annotations

from kiosk.services.errors import Unreachable
from tests.helpers.ui import WAIT, on_screen, tap
from tests.ui.test_transfer import balances, members, scan_receiver, to_transfer

UNKNOWN = "Available: not known until the transfer is tapped again"


def _lose_first_answer(app, monkeypatch) -> None:
    authoriser = app.counter.kiosk.authoriser
    made = type(authoriser).transfer
    lost: list[bool] = []

    def answer_lost(self, *args, **kwargs):
        sides = made(self, *args, **kwargs)  # the ledger moves the points...
        if not lost:
            lost.append(True)
            raise Unreachable("connection reset by peer")  # ...the answer never arrives
        return sides
    monkeypatch.setattr(type(authoriser), "transfer", answer_lost)


def _unanswered(qtbot, app, monkeypatch, *, most: bool = False):
    giver, receiver = members(app)
    screen = to_transfer(qtbot, app, giver)
    scan_receiver(qtbot, app, receiver)
    tap(qtbot, screen.plus)
    while most and screen.plus.isEnabled():
        tap(qtbot, screen.plus)
    _lose_first_answer(app, monkeypatch)
    with qtbot.waitSignal(screen.failed, timeout=WAIT):
        tap(qtbot, screen.confirm)
    qtbot.waitUntil(lambda: screen.isEnabled(), timeout=WAIT)
    assert screen.available.text() == UNKNOWN
    return giver, screen


def test_a_retry_that_cannot_reach_the_ledger_keeps_the_points_unknown(
        qtbot, transfer_app, monkeypatch):
    app = transfer_app
    giver, screen = _unanswered(qtbot, app, monkeypatch)
    assert balances(app, giver.member.id)[0] == (140, 120)  # here 140; the ledger moved 20
    app.running.embedded.stop()  # the retry can't reach the ledger
    with qtbot.waitSignal(screen.failed, timeout=WAIT):
        tap(qtbot, screen.confirm)
    qtbot.waitUntil(lambda: screen.isEnabled(), timeout=WAIT)
    assert screen.available.text() == UNKNOWN
    tap(qtbot, screen.minus)  # the cashier steps the amount: the screen is drawn again
    assert screen.available.text() == UNKNOWN


def test_a_refusal_of_another_amount_keeps_the_points_unknown(
        qtbot, transfer_app, monkeypatch):
    """100 points moved by the ledger, the answer lost; 90 (another transfer) refused by
    the ledger, which has 40 left: the screen must not say 140 beside that refusal."""
    app = transfer_app
    giver, screen = _unanswered(qtbot, app, monkeypatch, most=True)
    assert balances(app, giver.member.id)[0][1] == 40
    tap(qtbot, screen.minus)
    with qtbot.waitSignal(screen.failed, timeout=WAIT):
        tap(qtbot, screen.confirm)
    qtbot.waitUntil(lambda: screen.isEnabled(), timeout=WAIT)
    assert screen.available.text() == UNKNOWN


def test_back_and_give_again_keeps_the_points_unknown(qtbot, transfer_app, monkeypatch):
    app, w = transfer_app, transfer_app.window
    _, screen = _unanswered(qtbot, app, monkeypatch)
    tap(qtbot, screen.cancel)  # back to the member screen...
    on_screen(qtbot, app, "member")
    tap(qtbot, w.member_screen.give)  # ...and Give points again, within the retry window
    on_screen(qtbot, app, "transfer")
    assert screen.available.text() == UNKNOWN

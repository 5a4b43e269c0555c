"""The sale screen's checkout state (issue 15, found by review): the next sale starts with
nothing of the last one picked; a coupon scanned from another store is looked up at the
ledger once, off the UI thread, not on every keypad digit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from kiosk.engine.orders import CouponIssue
from kiosk.records import KeptCoupon
from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from tests.helpers.ui import key_in, on_screen, tap

pytestmark = pytest.mark.gui


def test_the_next_sale_starts_with_no_reward(qtbot, checkout_app):
    app, w = checkout_app, checkout_app.window
    kiosk = app.counter.kiosk
    amy = enrol(kiosk, Enrolment("Amy Lin", "0911222333", consent=True))
    bob = enrol(kiosk, Enrolment("Bob Wu", "0911222444", consent=True))
    ring_up_sale(kiosk, Sale(amy.member.id, 9000, "EARLIER-A"))  # 140 points
    ring_up_sale(kiosk, Sale(bob.member.id, 9000, "EARLIER-B"))  # 140 points
    w.handle_scan(amy.card.payload)
    on_screen(qtbot, app, "member")
    tap(qtbot, w.member_screen.sale)
    key_in(qtbot, w.sale.keypad, "1000")
    panel = w.sale.loyalty
    panel.reward.setCurrentIndex(panel.reward.findData("nt100-off"))
    tap(qtbot, w.sale.cancel)  # Amy changes her mind / or the sale is done
    w.session.go_idle()
    w.handle_scan(bob.card.payload)
    on_screen(qtbot, app, "member")
    tap(qtbot, w.member_screen.sale)
    assert panel.reward_id() is None, f"Bob's sale opens with {panel.reward_id()!r} picked"


class CountingAuthoriser:
    def __init__(self, member_id, valid_from, expires_at):
        self.calls = 0
        self.member_id, self.valid_from, self.expires_at = member_id, valid_from, expires_at

    def find_coupon(self, member_id, coupon_id):
        self.calls += 1
        return KeptCoupon(member_id, CouponIssue("next10", "ledger:x", self.valid_from,
                                                 self.expires_at))


def test_typing_an_amount_does_not_ask_the_ledger_each_digit(qtbot, checkout_app):
    app, w = checkout_app, checkout_app.window
    kiosk = app.counter.kiosk
    amy = enrol(kiosk, Enrolment("Amy Lin", "0911222333", consent=True))
    now = kiosk.clock()
    fake = CountingAuthoriser(amy.member.id, now - timedelta(days=1), now + timedelta(days=9))
    kiosk.authoriser = fake
    w.handle_scan(amy.card.payload)
    on_screen(qtbot, app, "member")
    tap(qtbot, w.member_screen.sale)
    w.sale.apply_coupon(uuid.uuid4())  # scanned: another store's coupon
    fake.calls = 0
    key_in(qtbot, w.sale.keypad, "1000")
    assert fake.calls <= 1, f"{fake.calls} ledger look-ups on the GUI thread for 4 digits"

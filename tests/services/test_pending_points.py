"""Pending points (issue 14): a purchase's points become available after the return window;
the member screen says pending and available apart; a redemption takes only what is
available; a refund inside the window takes back points that were never spendable."""

from __future__ import annotations

import pytest

from devices.receipt import Receipt, layout
from kiosk.program import Program, parse_program
from kiosk.services import Enrolment, Sale, enrol, member_view, redeem, refund_order, ring_up_sale
from kiosk.services.errors import NotEnoughPoints
from tests.helpers.program import program_text

PENDING = '\n[points]\npending_days = 14\nexpiry = { after = "months", months = 12 }\n'


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(PENDING))


@pytest.fixture
def member(kiosk):
    return enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True)).member


def test_purchase_points_wait_out_the_return_window(kiosk, member, clock):
    ring_up_sale(kiosk, Sale(member.id, 10_000, "R-1"))  # 100 points, pending two weeks
    view = member_view(kiosk, member.id)
    assert view.balance == 150
    assert view.points is not None
    assert view.points.available == 50  # the sign-up bonus can't be returned: spendable
    assert [n for _, n in view.points.pending] == [100]
    with pytest.raises(NotEnoughPoints, match="60 points needed, the member has 50 available"):
        redeem(kiosk, member.id, "coffee")
    clock.advance(days=14, minutes=1)
    assert member_view(kiosk, member.id).points.available == 150
    assert redeem(kiosk, member.id, "coffee").balance == 90


def test_a_refund_inside_the_window_takes_back_points_never_spendable(kiosk, member, clock):
    ring_up_sale(kiosk, Sale(member.id, 10_000, "R-1"))
    clock.advance(days=3)
    refund_order(kiosk, "R-1", "returned")
    view = member_view(kiosk, member.id)
    assert (view.balance, view.points.available, view.points.pending) == (50, 50, ())


def test_the_member_screen_warns_of_points_about_to_expire(kiosk, member, clock):
    ring_up_sale(kiosk, Sale(member.id, 12_000, "R-1"))
    clock.advance(days=350)
    view = member_view(kiosk, member.id)
    assert [n for _, n in view.points.expiring] == [50 + 120]  # both lots, a year on


@pytest.mark.parametrize(("language", "pending", "available"), [
    ("en", "Pending until 2026-12-04", "Available now"),
    ("zh-TW", "2026-12-04 起可用", "目前可用"), ("zh-CN", "2026-12-04 起可用", "目前可用")])
def test_the_receipt_says_what_is_available_and_pending(kiosk, member, language, pending,
                                                         available):
    result = ring_up_sale(kiosk, Sale(member.id, 10_000, "R-1"))
    after = result.points_after
    assert after is not None and after.available == 50
    receipt = Receipt("Store", (), balance=result.balance, available=after.available,
                      pending=tuple((d.isoformat(), n) for d, n in after.pending),
                      language=language)
    rows = [(r.left.strip(), r.right) for r in layout(receipt)]
    assert (available, "50") in rows and (pending, "100") in rows


def test_a_first_purchase_bonus_a_year_after_joining_does_not_expire_at_once(kiosk, clock):
    from kiosk.wallets import points_summary

    program = parse_program(program_text(PENDING + "\n[bonuses.first_purchase]\npoints = 30\n"))
    kiosk.program = program
    joined = enrol(kiosk, Enrolment("林", "0922-111-222", consent=True)).member
    clock.advance(days=400)  # the sign-up bonus has expired by now; the purchase is new
    result = ring_up_sale(kiosk, Sale(joined.id, 1_000, "R-9"))
    assert "first_purchase" in [e.note for e in result.entries]
    with kiosk.store.read() as tx:
        summary = points_summary(program, tx.entries.of_member(joined.id), clock())
    assert summary.expiring == ()  # nothing of it due: the bonus's lot has no age to expire by

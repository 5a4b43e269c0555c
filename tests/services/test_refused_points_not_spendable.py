"""An entry the ledger refused (or this kiosk held back) is out of the member's balance
(the rejections_leave_balance trigger), and so out of everything the counter counts of
their points under a program with pending days or expiry: what is available, what is
pending, what a redemption may take offline and what the receipt says (review 28a: the
lots replayed it, so a refused earn was spendable offline)."""

from __future__ import annotations

import pytest

from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program, parse_program
from kiosk.services import (
    Enrolment,
    Sale,
    enrol,
    identify,
    member_view,
    redeem,
    refund_order,
    ring_up_sale,
)
from kiosk.services.errors import NotEnoughPoints
from tests.helpers.program import program_text

LOTS = '\n[points]\npending_days = 14\nexpiry = { after = "months", months = 12 }\n'


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(LOTS))


@pytest.fixture
def joined(kiosk):
    return enrol(kiosk, Enrolment("陳美玲", "0912-345-678", consent=True))  # +50


def refused(kiosk, entry: Entry) -> None:
    """What the agent does with an entry the ledger refuses (or one it holds back)."""
    with kiosk.store.write() as tx:
        tx.outbox.quarantine([(entry.id, "refused: over the adjustment bound")],
                             kiosk.clock())


def goodwill(kiosk, member_id, points: int) -> Entry:
    entry = Entry(kiosk.new_id(), member_id, EntryKind.ADJUST, points, kiosk.channel,
                  kiosk.clock(), kiosk.program.version, note="goodwill")
    with kiosk.store.write() as tx:
        tx.entries.append([entry])
    return entry


def test_a_refused_adjustment_is_neither_available_nor_spendable_offline(kiosk, joined):
    member = joined.member.id
    refused(kiosk, goodwill(kiosk, member, 200_000))
    view = identify(kiosk, joined.card.payload)
    assert view.points is not None
    assert (view.balance, view.points.available) == (50, 50)
    with pytest.raises(NotEnoughPoints, match="500 points needed, the member has 50"):
        redeem(kiosk, member, "tote")
    assert member_view(kiosk, member).balance == 50


def test_a_refused_sale_is_not_pending_nor_on_the_receipt(kiosk, joined, clock):
    member = joined.member.id
    sale = ring_up_sale(kiosk, Sale(member, 10_000, "R-1"))  # +100, pending two weeks
    refused(kiosk, next(e for e in sale.entries if e.kind is EntryKind.EARN))
    view = member_view(kiosk, member)
    assert view.points is not None
    assert (view.balance, view.points.available, view.points.pending) == (50, 50, ())
    clock.advance(days=15)
    after = ring_up_sale(kiosk, Sale(member, 1_000, "R-2")).points_after  # +10, pending
    assert after is not None
    assert (after.balance, after.available) == (60, 50)
    with pytest.raises(NotEnoughPoints, match="60 points needed, the member has 50"):
        redeem(kiosk, member, "coffee")


def test_a_refused_entry_is_left_out_of_a_history_with_a_reversal_too(kiosk, joined, clock):
    """A reversal sends the replay the long way (every entry, not the lean rows): the
    refused entry is out of that one as well."""
    member = joined.member.id
    ring_up_sale(kiosk, Sale(member, 10_000, "R-1"))
    refund_order(kiosk, "R-1", "returned")
    refused(kiosk, goodwill(kiosk, member, 200_000))
    clock.advance(days=1)
    view = member_view(kiosk, member)
    assert view.points is not None
    assert (view.balance, view.points.available) == (50, 50)
    with pytest.raises(NotEnoughPoints, match="500 points needed, the member has 50"):
        redeem(kiosk, member, "tote")

"""Only a sale carries spend (``kiosk.ledger.SPEND_KINDS``: an earn and its reversal). The
ledger refuses spend on any other kind now, but an older ledger accepted it, and a kiosk
pulls what such a ledger holds: an adjustment "carrying" NT$30,000 must not make the
member gold at the counter, by the window's spend, by another tier policy's events, or in
the spend a period voucher counts. On SQLite and on the fake alike."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.ids import new_id
from kiosk.ledger import Entry, EntryKind, summarize
from kiosk.program import parse_program
from kiosk.services import Sale, identify, member_view, ring_up_sale
from tests.helpers.program import PLAIN_PROGRAM

CALENDAR_RETAIN = '''
[tier_policy]
period = "calendar_year"
retain = true
'''


@pytest.fixture(params=["window", "calendar"])
def program(request):
    text = PLAIN_PROGRAM.read_text(encoding="utf-8")
    return parse_program(text + (CALENDAR_RETAIN if request.param == "calendar" else ""))


def _pulled_from_an_old_ledger(kiosk, member, kind: EntryKind, points: int) -> Entry:
    at = member.member.enrolled_at + timedelta(minutes=1)
    entry = Entry(new_id(), member.member.id, kind, points, "till-old", at, "2026.2",
                  amount_minor=30000, note="goodwill")
    with kiosk.store.write() as tx:
        assert tx.pulled.apply([], [], [(entry, 41)]) == 1
    return entry


@pytest.mark.parametrize(("kind", "points"), [(EntryKind.ADJUST, 1), (EntryKind.BONUS, 10),
                                              (EntryKind.REDEEM, -10)])
def test_spend_on_an_entry_that_is_no_sale_raises_no_tier(kiosk, member, clock, kind, points):
    stray = _pulled_from_an_old_ledger(kiosk, member, kind, points)
    clock.advance(minutes=5)
    view = identify(kiosk, member.card.payload)
    assert (view.progress.tier.id, view.progress.spend_minor) == ("bronze", 0)
    sale = ring_up_sale(kiosk, Sale(member.member.id, 100, "S-1"))
    assert (sale.tier.id, sale.points) == ("bronze", 1)
    assert member_view(kiosk, member.member.id).progress.spend_minor == 100
    with kiosk.store.read() as tx:
        since = member.member.enrolled_at
        assert tx.entries.spend_since(member.member.id, since) == 100
        assert tx.entries.tier_events(member.member.id, since, "spend") == [
            (sale.entries[0].occurred_at, 100)]
        assert summarize(tx.entries.of_member(member.member.id)).spend_minor == 100
    assert stray.amount_minor == 30000

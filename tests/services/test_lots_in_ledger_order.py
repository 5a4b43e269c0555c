"""The counter replays a member's lots in the ledger's order: what the ledger numbered by
its seq, then what this kiosk made and the ledger has not numbered yet, in the order it
was made here, as the ledger will number it. Ordered by time, an offline spend dated
before an expiry the ledger ran without it was taken from the lot the expiry had taken
whole, the expiry's 100 were then short and a later lot paid for them: the counter said
40 points available of a balance of 90 (review 28a). What the ledger gives back of that
expiry when the spend reaches it, the kiosk hears at its next pull."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.lots import lot_dates
from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program, parse_program
from kiosk.services import member_view, redeem
from kiosk.services.errors import NotEnoughPoints
from kiosk.wallets import EXPIRE_NOTE
from tests.helpers.ledger_wire import members
from tests.helpers.program import program_text

EXPIRY = '\n[points]\nexpiry = { after = "months", months = 12 }\n'


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(EXPIRY))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def earn(kiosk, member_id: uuid.UUID, points: int, when: str) -> Entry:
    return Entry(uuid.uuid4(), member_id, EntryKind.EARN, points, "till-1", at(when),
                 kiosk.program.version, order_ref=f"O-{uuid.uuid4().hex[:8]}",
                 amount_minor=points * 100)


def pull(kiosk, entries: list[tuple[Entry, int]], member=None) -> None:
    with kiosk.store.write() as tx:
        tx.pulled.apply([member.to_member()] if member else [], [], entries)


def test_an_offline_spend_waiting_for_the_ledger_comes_after_what_it_numbered(kiosk,
                                                                             clock):
    member = members(1)[0]
    first = earn(kiosk, member.id, 100, "2026-01-05T04:00")  # last day 2027-01-05
    pull(kiosk, [(first, 1), (earn(kiosk, member.id, 50, "2026-06-01T04:00"), 2)], member)
    clock.now = at("2026-08-01T04:00")
    redeem(kiosk, member.id, "coffee")  # 60, offline; the kiosk doesn't sync for months
    # The ledger's expiry run never saw the coffee: lot 1's 100 expire whole.
    expires_at = lot_dates(kiosk.program.points, first.occurred_at, kiosk.program.zone)[1]
    assert expires_at is not None
    expiry = Entry(uuid.uuid4(), member.id, EntryKind.EXPIRE, -100, DERIVED_CHANNEL,
                   expires_at, kiosk.program.version, note=f"{EXPIRE_NOTE}{first.id}")
    pull(kiosk, [(expiry, 3), (earn(kiosk, member.id, 100, "2027-04-01T04:00"), 4)])
    # Numbered after what the ledger numbered, the coffee takes lot 2's 50 and 10 of
    # lot 3; lot 2 has expired by now, lot 3's 90 are left.
    clock.now = at("2027-07-02T00:00")
    view = member_view(kiosk, member.id)
    assert view.points is not None
    assert (view.balance, view.points.available) == (90, 90)
    with pytest.raises(NotEnoughPoints, match="100 points needed, the member has 90"):
        redeem(kiosk, member.id, "nt100-off")
    assert redeem(kiosk, member.id, "coffee").balance == 30

"""A member enrolled by a kiosk whose clock ran ahead can buy at the shop (review 28b):
the first-purchase bonus is dated at the member's enrolment (a stable fact, whichever
channel sees the first purchase), and the ledger keeps the member with the enrolment the
kiosk's clock gave; dated there, the shop's own bonus was in the ledger's future, its own
audit refused it (``dated_in_future``) and with it the whole order, until the ledger's
clock passed the kiosk's wrong one (hours, or days). The bonus is now dated at the
enrolment or the purchase, whichever is earlier."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.engine.orders import OrderLine
from kiosk.ledger import EntryKind
from sync.protocol import MemberWire, UploadRequest
from sync.server.counter import OnlineCounter
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK, SHOP
from tests.helpers.program import program_text
from tests.sync.conftest import in_process_ledger_on, program_file

FIRST = "\n[bonuses.first_purchase]\npoints = 30\n"


@pytest.fixture(params=["postgres", "sqlite"])
def first_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    yield from in_process_ledger_on(request, tmp_path, program_file(tmp_path, program_text(FIRST)))


def test_a_member_enrolled_by_a_kiosk_whose_clock_ran_ahead_can_buy_at_the_shop(
        first_ledger: Ledger) -> None:
    ahead = datetime.now(UTC) + timedelta(hours=2)
    member = MemberWire(id=uuid.uuid4(), name="A", phone="0912000123", channel=KIOSK.device_id,
                        enrolled_at=ahead)
    first_ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))

    counter = OnlineCounter(first_ledger)
    placed = counter.order(SHOP, member.id, 1000, "W-1", (OrderLine("KETTLE", 1, 1000),))

    assert (placed.points, placed.balance) == (10 + 30, 40)
    bonus = [e for e in counter.history(member.id, 10).entries if e.kind is EntryKind.BONUS]
    assert [e.points for e in bonus] == [30]
    assert bonus[0].occurred_at < ahead  # dated at the purchase, not the enrolment

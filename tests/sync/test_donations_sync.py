"""Donations on the ledger (issue 15): held online like a redemption, totalled per cause
for the back office, net of a reversed one; a donation to a cause the program doesn't
list is refused on upload."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.ledger import Entry, EntryKind
from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from kiosk.services.donations import donate
from sync.client import LedgerClient
from tests.helpers.checkout_ledger import VERSION, checkout_ledger, get, online
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program_ledger import BOTH_DATABASES


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from checkout_ledger(request, tmp_path)


def test_donations_are_held_online_and_totalled_per_cause(ledger, tmp_path):
    k = paired(ledger, tmp_path, "till-a")
    joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    member = joined.member.id
    ring_up_sale(k.kiosk, Sale(member, 5000, "A-1"))  # 100 points
    online(k)
    held = donate(k.kiosk, member, "school-meals", 40)
    assert held.authorised == "online"
    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    assert shop.balance(member) == 60  # on the ledger before any sync
    k.kiosk.authoriser = None  # offline now
    donate(k.kiosk, member, "school-meals", 10)
    k.agent().sync_once()
    assert get(ledger, "/v1/reports/causes") == [
        {"cause": "school-meals", "points": 50, "donations": 2}]
    assert shop.balance(member) == 50 and ledger.check() == []
    k.kiosk.store.close()


def test_a_donation_to_no_cause_of_the_program_is_refused(ledger, tmp_path):
    k = paired(ledger, tmp_path, "till-a")
    joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    k.agent().sync_once()
    from sync.protocol import EntryWire, UploadRequest
    forged = Entry(k.kiosk.new_id(), joined.member.id, EntryKind.DONATE, -20, "till-a",
                   datetime.now(UTC), VERSION, note="cause:yacht-club")
    answer = LedgerClient(ledger.url, k.token).upload(UploadRequest(entries=[
        EntryWire.of(forged, device_seq=1000)]))
    assert [(r.status, r.code) for r in answer.results] == [("rejected", "donation")]
    k.kiosk.store.close()

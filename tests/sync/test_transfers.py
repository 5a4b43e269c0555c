"""Transfers between members (issue 15, a family pool): online only; the ledger holds the
giver's available points and writes both sides at once; both see it in their activity at
the kiosk at once, and everywhere after sync; a retry moves the points once; a device
can't upload a transfer of its own making."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.ledger import Entry, EntryKind
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from kiosk.services.errors import InvalidInput, NotEnoughPoints
from kiosk.services.transfers import TransfersOffline, transfer
from sync.client import LedgerClient
from sync.protocol import EntryWire, TransferRequest, UploadRequest
from tests.helpers.checkout_ledger import VERSION, online
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import CHECKOUT, program_text
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program

TRANSFERS = "\n[transfers]\nmin_points = 10\nmax_points = 500\n"


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path,
                                 program_text(CHECKOUT + TRANSFERS, version=VERSION))


def test_a_transfer_moves_points_once_and_both_see_it(ledger, tmp_path):
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    mum = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    son = enrol(a.kiosk, Enrolment("陳小明", "0912345679", consent=True))
    ring_up_sale(a.kiosk, Sale(mum.member.id, 5000, "A-1"))  # mum: 100 points
    with pytest.raises(TransfersOffline):
        transfer(a.kiosk, mum.member.id, son.member.id, 30)
    online(a)
    moved = transfer(a.kiosk, mum.member.id, son.member.id, 30)
    assert (moved.giver_balance, moved.receiver_balance) == (70, 80)
    assert identify(a.kiosk, son.card.payload).recent[0].id == moved.received.id
    with pytest.raises(NotEnoughPoints):
        transfer(a.kiosk, mum.member.id, son.member.id, 80)
    with pytest.raises(InvalidInput, match="10 to 500"):
        transfer(a.kiosk, mum.member.id, son.member.id, 5)
    a.agent().sync_once()
    b.agent().sync_once()
    assert identify(b.kiosk, son.card.payload).balance == 80  # another store sees it
    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    assert (shop.balance(mum.member.id), shop.balance(son.member.id)) == (70, 80)
    again = LedgerClient(ledger.url, a.token).transfer(TransferRequest(
        id=moved.given.id, from_member=mum.member.id, to_member=son.member.id, points=30))
    assert [e.id for e in again.entries] == [moved.given.id, moved.received.id]  # once
    assert shop.balance(son.member.id) == 80 and ledger.check() == []
    for k in (a, b):
        k.kiosk.store.close()


def test_a_device_cannot_upload_a_transfer_of_its_own(ledger, tmp_path):
    a = paired(ledger, tmp_path, "till-a")
    son = enrol(a.kiosk, Enrolment("陳小明", "0912345679", consent=True))
    a.agent().sync_once()
    minted = Entry(uuid.uuid4(), son.member.id, EntryKind.TRANSFER, 500, "till-a",
                   datetime.now(UTC), VERSION, note="transfer:from:nobody")
    answer = LedgerClient(ledger.url, a.token).upload(UploadRequest(entries=[
        EntryWire.of(minted, device_seq=1000)]))
    assert [r.status for r in answer.results] == ["rejected"]
    a.kiosk.store.close()

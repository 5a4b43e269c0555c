"""A lost card replaced at one store is refused at every other store once it has synced
(issue 15): the cancelled number goes to the ledger with the member's new card, and the
ledger keeps it only when the card was the member's and they hold another; the balance is
the member's, not the card's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.cards import RevokedCard
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from kiosk.services.lost_cards import reissue_card
from sync.client import LedgerClient
from sync.protocol import RevocationWire, UploadRequest
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import PLAIN_PROGRAM
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path, PLAIN_PROGRAM.read_text(encoding="utf-8"))


def test_a_replaced_card_is_refused_at_another_store_after_sync(ledger, tmp_path):
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-1"))
    a.agent().sync_once()
    b.agent().sync_once()
    assert identify(b.kiosk, joined.card.payload).balance == 70  # the old card works at b

    new = reissue_card(a.kiosk, joined.member.id)
    a.agent().sync_once()  # the cancelled number and the new card go up
    b.agent().sync_once()  # b learns both
    with pytest.raises(RevokedCard):
        identify(b.kiosk, joined.card.payload)
    view = identify(b.kiosk, new.card.payload)
    assert (view.member.id, view.balance) == (joined.member.id, 70)
    assert ledger.check() == []
    for k in (a, b):
        k.kiosk.store.close()


def test_a_device_cannot_cancel_a_members_only_card(ledger, tmp_path):
    """A stolen token sends a revocation of another member's card with no replacement:
    the ledger doesn't keep it, and the card still works everywhere."""
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    a.agent().sync_once()
    LedgerClient(ledger.url, b.token).upload(UploadRequest(entries=[], revoked_cards=[
        RevocationWire(card_no=joined.card.card_no, member_id=joined.member.id,
                       revoked_at=datetime.now(UTC)),
        RevocationWire(card_no=joined.card.card_no, member_id=uuid.uuid4(),
                       revoked_at=datetime.now(UTC))]))
    b.agent().sync_once()
    assert identify(b.kiosk, joined.card.payload).member.id == joined.member.id
    for k in (a, b):
        k.kiosk.store.close()

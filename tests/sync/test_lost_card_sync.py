"""A lost card replaced at one store is refused at every other store once it has synced
(issue 15): the cancelled numbers go to the ledger with the member's new card, which the
device must have issued itself (a made-up card is no replacement); the ledger then cancels
every older card of the member, one replaced at another store included; a refusal is sent
again later, never lost; the balance is the member's, not the card's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.cards import RevokedCard
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from kiosk.services.lost_cards import find_members, reissue_card
from sync.client import LedgerClient
from sync.errors import LedgerRefused
from sync.protocol import CardWire, RevocationWire, UploadRequest
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk, paired
from tests.helpers.program import PLAIN_PROGRAM
from tests.helpers.program_ledger import (
    BOTH_DATABASES,
    own_name,
    own_phone,
    shared_ledger_on_program,
)


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[LedgerProcess]:
    """One ledger for the module's tests: each pairs tills and enrols a member of its own."""
    yield from shared_ledger_on_program(request, tmp_path_factory,
                                        PLAIN_PROGRAM.read_text(encoding="utf-8"))


def till(ledger: LedgerProcess, folder: Path, name: str) -> PairedKiosk:
    return paired(ledger, folder, own_name(name))


def test_a_replaced_card_is_refused_at_another_store_after_sync(ledger, tmp_path):
    a, b = till(ledger, tmp_path, "till-a"), till(ledger, tmp_path, "till-b")
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
    a, b = till(ledger, tmp_path, "till-a"), till(ledger, tmp_path, "till-b")
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


def test_a_made_up_card_is_no_replacement_to_cancel_a_members_card_for(ledger, tmp_path):
    a, b = till(ledger, tmp_path, "till-a"), till(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    a.agent().sync_once()
    # till-b's token (stolen): an unsigned junk "card" for the member, and the revocation
    LedgerClient(ledger.url, b.token).upload(UploadRequest(
        entries=[],
        cards=[CardWire(card_no="999999999999", member_id=joined.member.id, key_id="AAAAAAAA",
                        payload="junk", issued_at=datetime.now(UTC))],
        revoked_cards=[RevocationWire(card_no=joined.card.card_no, member_id=joined.member.id,
                                      revoked_at=datetime.now(UTC))]))
    a.agent().sync_once()
    # the member's only real card must still work at their own store
    assert identify(a.kiosk, joined.card.payload).member.id == joined.member.id
    for k in (a, b):
        k.kiosk.store.close()


def test_a_second_loss_replaced_at_another_store_cancels_the_first_replacement(ledger,
                                                                               tmp_path):
    a, b = till(ledger, tmp_path, "till-a"), till(ledger, tmp_path, "till-b")
    phone = own_phone()  # found by it at store b, among every member the ledger has
    joined = enrol(a.kiosk, Enrolment("陳美玲", phone, consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-1"))
    a.agent().sync_once()
    b.agent().sync_once()  # b knows the member and card 1
    first = reissue_card(a.kiosk, joined.member.id)  # lost at store a: card 2
    a.agent().sync_once()
    b.agent().sync_once()  # b refuses card 1 now
    with pytest.raises(RevokedCard):
        identify(b.kiosk, joined.card.payload)
    # card 2 lost as well; the member goes to store b
    [found] = find_members(b.kiosk, f"{phone[:4]}-{phone[4:7]}-{phone[7:]}")
    reissue_card(b.kiosk, found.member.id)
    b.agent().sync_once()
    a.agent().sync_once()
    # card 2 (the lost one) must be refused everywhere
    for k in (a, b):
        with pytest.raises(RevokedCard):
            identify(k.kiosk, first.card.payload)
    for k in (a, b):
        k.kiosk.store.close()


def test_of_two_replacements_made_offline_the_later_stands_whichever_syncs_first(ledger,
                                                                                 tmp_path):
    """The card lost twice in a day at two stores that were both offline: the replacement
    made later is the card the member holds; the earlier one, reaching the ledger after
    it, is cancelled on arrival, at every kiosk once they have synced."""
    a, b = till(ledger, tmp_path, "till-a"), till(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-1"))
    a.agent().sync_once()
    b.agent().sync_once()
    made = [(reissue_card(a.kiosk, joined.member.id), a),  # both offline from here
            (reissue_card(b.kiosk, joined.member.id), b)]
    # Later by the kiosks' clocks (each set by the ledger's, to within a millisecond).
    (earlier, first), (later, second) = sorted(made, key=lambda m: m[0].card.issued_at)
    second.agent().sync_once()  # the later replacement reaches the ledger first
    first.agent().sync_once()
    second.agent().sync_once()
    for k in (a, b):
        for old in (joined.card.payload, earlier.card.payload):
            with pytest.raises(RevokedCard):
                identify(k.kiosk, old)
        assert identify(k.kiosk, later.card.payload).balance == 70
    assert ledger.check() == []
    for k in (a, b):
        k.kiosk.store.close()


def test_a_card_is_replaced_at_most_ten_times_before_a_sync_and_sync_goes_on(ledger, tmp_path):
    a = till(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    from kiosk.services.errors import InvalidInput
    for _ in range(9):
        reissue_card(a.kiosk, joined.member.id)
    with pytest.raises(InvalidInput, match="sync before replacing"):
        reissue_card(a.kiosk, joined.member.id)
    a.agent().sync_once()  # must not raise
    reissue_card(a.kiosk, joined.member.id)  # once synced, again
    a.agent().sync_once()
    a.kiosk.store.close()


def test_a_revocation_refused_by_an_old_ledger_is_sent_again_after_the_upgrade(ledger,
                                                                                 tmp_path):
    a, b = till(ledger, tmp_path, "till-a"), till(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-1"))
    a.agent().sync_once()
    b.agent().sync_once()
    reissue_card(a.kiosk, joined.member.id)

    old_ledger = a.agent()
    real = old_ledger.client.upload

    def upload(request):
        if request.revoked_cards:  # what a ledger from before lost cards answers
            raise LedgerRefused(422, "invalid", "revoked_cards: Extra inputs are not permitted")
        return real(request)
    old_ledger.client.upload = upload
    old_ledger.uploader.client = old_ledger.client
    old_ledger.sync_once()

    a.agent().sync_once()  # the ledger upgraded: the revocation should go now
    b.agent().sync_once()
    with pytest.raises(RevokedCard):
        identify(b.kiosk, joined.card.payload)
    for k in (a, b):
        k.kiosk.store.close()

"""A kiosk's token could upload card rows the ledger kept as sent (any number, payload, key
and date; first copy kept) and passed to every kiosk. A store owner would notice: (a) the
cashier can't enrol anyone at one till (every sign-up fails: another device's upload
took the till's next card numbers); (b) a member's lost card still works at the other
stores after it was replaced (its number was held under another member); (c) a member
whose lost card is replaced at the counter gets a new card every till calls cancelled (a
made-up card dated 2999 counted as newer). Found at review 27.

The ledger keeps a card row only if the uploading device issued it (its payload verifies
against the device's own certified key, so its number is in the device's range, and
names the row's member, number and key) and it is not dated after the ledger's clock;
the rest of the upload goes through. A kiosk that pulls a card under a number it holds or
would issue (rows a ledger kept before) neither loses its own card's upload nor fails to
enrol: it passes over the taken number."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.cards import RevokedCard, card_number, issue_card
from kiosk.records import CardRecord
from kiosk.services import Enrolment, EnrolmentResult, Sale, enrol, identify, ring_up_sale
from kiosk.services.context import Kiosk
from kiosk.services.lost_cards import reissue_card
from sync.client import LedgerClient
from sync.protocol import CardWire, UploadRequest
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import PLAIN_PROGRAM
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path, PLAIN_PROGRAM.read_text(encoding="utf-8"))


def test_a_made_up_future_card_makes_every_kiosk_replacement_cancel_itself(ledger, tmp_path):
    """A stolen kiosk token uploads an unsigned junk card for a member, dated 2999 (no
    signature or date check on an uploaded card). From then on, when the member loses
    their card and the cashier replaces it at their store, the ledger finds the junk card
    'issued later' and cancels the new card on arrival: after the next sync the member's
    brand-new card is refused at every till ("card cancelled"), and every later
    replacement at a kiosk goes the same way. The store owner sees a member who cannot
    be given a working card at the counter; a made-up card counted as a replacement."""
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-1"))
    a.agent().sync_once()
    LedgerClient(ledger.url, b.token).upload(UploadRequest(
        entries=[],
        cards=[CardWire(card_no="123456789012", member_id=joined.member.id,
                        key_id="AAAAAAAA", payload="junk",
                        issued_at=datetime(2999, 1, 1, tzinfo=UTC))]))
    new = reissue_card(a.kiosk, joined.member.id)  # the member lost the card: honest
    a.agent().sync_once()
    b.agent().sync_once()
    a.agent().sync_once()
    try:
        for k in (a, b):
            view = identify(k.kiosk, new.card.payload)  # RevokedCard on the current code
            assert view.member.id == joined.member.id
    finally:
        for k in (a, b):
            k.kiosk.store.close()


def test_a_squatted_card_number_keeps_a_lost_card_working_everywhere(ledger, tmp_path):
    """Card numbers are predictable (the kiosk's prefix, the next serial, a Luhn digit)
    and an uploaded card row is stored unchecked (no signature, no prefix check), first
    copy kept. Till-a, offline, enrols a member; before its upload arrives, a stolen
    till-b token uploads a junk card row with that number under a member of its own. The
    ledger keeps the junk row (insert-ignore) and thinks the number is another member's.
    When the member loses the card and till-a replaces it, the ledger does not cancel
    the lost number ('not this member's'; the shop's reissue would skip it too): the lost
    card keeps working at every other till, so whoever found it spends the member's
    points."""
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    decoy = enrol(b.kiosk, Enrolment("王小明", "0922333444", consent=True))
    b.agent().sync_once()
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-1"))
    LedgerClient(ledger.url, b.token).upload(UploadRequest(entries=[], cards=[
        CardWire(card_no=joined.card.card_no, member_id=decoy.member.id,
                 key_id="AAAAAAAA", payload="junk", issued_at=datetime.now(UTC))]))
    a.agent().sync_once()
    b.agent().sync_once()
    reissue_card(a.kiosk, joined.member.id)  # the member lost the card
    a.agent().sync_once()
    b.agent().sync_once()
    try:
        with pytest.raises(RevokedCard):
            view = identify(b.kiosk, joined.card.payload)  # the LOST card, at till-b
            print(f"lost card {joined.card.card_no} still works: balance {view.balance}")
    finally:
        for k in (a, b):
            k.kiosk.store.close()


def test_squatted_card_numbers_crash_enrolment_at_another_kiosk(ledger, tmp_path):
    """A stolen till-b token uploads junk card rows for the next 30 numbers of till-a's
    range (its prefix is on every kiosk's certificate list; serials count up). Till-a
    pulls them into its own store with its next sync; from then on every enrolment (and
    every lost-card replacement) at till-a takes the next serial, collides with a pulled
    junk row and fails with a raw IntegrityError: the cashier can't sign anyone up."""
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    decoy = enrol(b.kiosk, Enrolment("王小明", "0922333444", consent=True))
    b.agent().sync_once()
    prefix = a.kiosk.certificate.card_prefix
    LedgerClient(ledger.url, b.token).upload(UploadRequest(entries=[], cards=[
        CardWire(card_no=card_number(prefix, s), member_id=decoy.member.id,
                 key_id="AAAAAAAA", payload="junk", issued_at=datetime.now(UTC))
        for s in range(0, 30)]))
    a.agent().sync_once()
    try:
        joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
        assert identify(a.kiosk, joined.card.payload).member.id == joined.member.id
    finally:
        for k in (a, b):
            k.kiosk.store.close()


def test_a_kiosks_own_cards_are_kept_and_another_devices_is_not(ledger, tmp_path):
    """The honest upload's card is kept, and the same device's genuine card dated a day
    ahead too, dated at the ledger's clock (a kiosk's clock fast until its first sync:
    test_card_dated_ahead.py); a genuine card of another device sent with a stolen token
    is left out, and the upload is not refused for it."""
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-1"))
    kiosk = a.kiosk
    ahead = card_number(kiosk.certificate.card_prefix, 900)
    early = CardWire(card_no=ahead, member_id=joined.member.id,
                     key_id=kiosk.certificate.key_id,
                     payload=issue_card(kiosk.key, kiosk.certificate,
                                        member_id=joined.member.id, card_no=ahead),
                     issued_at=datetime.now(UTC) + timedelta(days=1))
    a.agent().sync_once()
    answer = LedgerClient(ledger.url, a.token).upload(UploadRequest(entries=[], cards=[early]))
    stolen = LedgerClient(ledger.url, b.token).upload(UploadRequest(entries=[], cards=[
        CardWire(card_no=joined.card.card_no, member_id=joined.member.id,
                 key_id=joined.card.key_id, payload=joined.card.payload,
                 issued_at=joined.card.issued_at)]))
    try:
        assert answer.results == [] and stolen.results == []
        b.agent().sync_once()
        with b.kiosk.store.read() as tx:
            cards = {c.card_no: c for c in tx.cards.of_member(joined.member.id)}
            assert sorted(cards) == sorted([joined.card.card_no, ahead])
            assert cards[ahead].issued_at <= datetime.now(UTC)
            assert tx.members.get(joined.member.id) is not None
        assert identify(b.kiosk, joined.card.payload).member.id == joined.member.id
    finally:
        for k in (a, b):
            k.kiosk.store.close()


def _junk(card_no: str, member_id: uuid.UUID) -> CardRecord:
    return CardRecord(card_no, member_id, "AAAAAAAA", "junk", datetime.now(UTC))


def test_a_pulled_card_under_a_number_the_kiosk_holds_or_would_issue(
        kiosk: Kiosk, member: EnrolmentResult) -> None:
    """Rows a ledger kept unchecked come down with a pull: one under the number of the
    kiosk's own card not yet uploaded, and the next serials of the kiosk's range. The
    kiosk's card stays as issued and still goes up; the next enrolment passes over the
    taken numbers instead of failing at the counter."""
    prefix = kiosk.certificate.card_prefix
    mine = member.card.card_no
    with kiosk.store.write() as tx:
        tx.pulled.apply([], [_junk(mine, member.member.id)]
                        + [_junk(card_number(prefix, s), member.member.id)
                           for s in range(2, 6)], [])
    with kiosk.store.read() as tx:
        assert tx.cards.get(mine) == member.card
        assert [c.card_no for c in tx.cards.to_upload([member.member.id])] == [mine]
    joined = enrol(kiosk, Enrolment("王小明", "0922333444", consent=True))
    assert joined.card.card_no == card_number(prefix, 6)
    assert identify(kiosk, joined.card.payload).member.id == joined.member.id

"""The shop replaces a lost card on the ledger (issue 15, ``POST /v1/shop/cards``), called
in-process on PostgreSQL and SQLite: every card the member holds is cancelled, the new one
is signed by the ledger's shop issuer, whose certificate from the root travels in the
kiosks' state (a ledger made before gets it too); a request id makes it once."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, insert, select

from kiosk.cards import DeviceKey, card_number, issue_card, verify_card
from kiosk.program import load_program
from sync.protocol import CardWire, UploadRequest
from sync.server import models as m
from sync.server.devices import SHOP_CARD_PREFIX, SHOP_ISSUER
from sync.server.ledger import Caller, Ledger, LedgerRefusal
from sync.server.shop_cards import ShopCards
from sync.wire_shop import ShopCardRequest
from tests.helpers.ledger_wire import KIOSK, SHOP, members
from tests.helpers.program import PLAIN_PROGRAM
from tests.helpers.state_trust import trust_of

KIOSK_KEY = DeviceKey.generate()


def kiosk_card(ledger: Ledger, member_id: uuid.UUID, serial: int) -> CardWire:
    """A card as the kiosk's upload carries it: signed with its certified key (the ledger
    keeps only cards the uploading device issued), numbered in its prefix, 2000."""
    cert = ledger.pair(KIOSK, KIOSK_KEY.public_bytes())  # once; the same key again is a no-op
    card_no = card_number(cert.card_prefix, serial)
    return CardWire(card_no=card_no, member_id=member_id, key_id=cert.key_id,
                    payload=issue_card(KIOSK_KEY, cert, member_id=member_id, card_no=card_no),
                    issued_at=datetime.now(UTC))


def with_cards(ledger: Ledger, *serials: int) -> uuid.UUID:
    """A member the kiosk enrolled, with cards of these serials; returns their id."""
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[],
                                       cards=[kiosk_card(ledger, member.id, s) for s in serials]))
    return member.id


def reissue(ledger: Ledger, member_id: uuid.UUID, request_id: str, caller: Caller = SHOP):
    return ShopCards(ledger.devices).reissue(
        caller, ShopCardRequest(member_id=member_id, request_id=request_id))


def rows(ledger: Ledger) -> dict[str, int]:
    with ledger.engine.connect() as conn:
        return {t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (m.Card, m.Revocation, m.ShopCard, m.Certificate)}


def test_the_shop_cancels_every_card_the_member_holds_and_issues_one_kiosks_trust(ledger):
    member = with_cards(ledger, 1, 2)
    other = with_cards(ledger, 3)
    ledger.revoke_card(card_number("2000", 1))  # cancelled before, from the back office
    new = reissue(ledger, member, "lost-1")
    assert new.cancelled == [card_number("2000", 2)] and not new.duplicate
    assert new.card_no == card_number(SHOP_CARD_PREFIX, 1) and new.name == "M0"
    state = ledger.state()
    assert {card_number("2000", 1), card_number("2000", 2)} <= set(state.revoked_cards)
    assert card_number("2000", 3) not in state.revoked_cards  # another member's: untouched
    claim = verify_card(new.card_payload, trust_of(state))  # any kiosk, offline
    assert (claim.member_id, claim.card_no) == (member, new.card_no)
    issuer = state.certificates[[c["key_id"] for c in state.certificates].index(claim.key_id)]
    assert (issuer["device_id"], issuer["card_prefix"]) == (SHOP_ISSUER, SHOP_CARD_PREFIX)
    with ledger.engine.connect() as conn:  # kept as the member's card, for the pull
        assert conn.execute(select(m.Card.member_id).where(
            m.Card.card_no == new.card_no)).scalar_one() == member
    assert reissue(ledger, other, "lost-2").card_no == card_number(SHOP_CARD_PREFIX, 2)
    assert ledger.check() == []


def test_a_retry_answers_the_same_card_and_cancels_nothing_more(ledger):
    member = with_cards(ledger, 1)
    first = reissue(ledger, member, "lost-1")
    # Meanwhile a kiosk gave the member a card: the retry must not cancel it.
    ledger.upload(KIOSK, UploadRequest(entries=[], cards=[kiosk_card(ledger, member, 7)]))
    before = rows(ledger)
    again = reissue(ledger, member, "lost-1")
    assert again.duplicate and again.model_copy(update={"duplicate": False}) == first
    assert rows(ledger) == before
    assert card_number("2000", 7) not in ledger.state().revoked_cards
    # Another request is another loss: it cancels the card the shop issued, and the kiosk's.
    second = reissue(ledger, member, "lost-2")
    assert second.card_no != first.card_no
    assert second.cancelled == sorted([first.card_no, card_number("2000", 7)])
    # A request id is the caller's own: an admin's "lost-1" is a request of its own.
    ledger.add_device("office", "admin")
    assert not reissue(ledger, member, "lost-1", Caller("office", "admin")).duplicate


def test_a_request_id_reused_for_another_member_is_refused_and_changes_nothing(ledger):
    member, other = with_cards(ledger, 1), with_cards(ledger, 2)
    reissue(ledger, member, "lost-1")
    before = rows(ledger)
    with pytest.raises(LedgerRefusal) as refused:
        reissue(ledger, other, "lost-1")
    assert (refused.value.status, refused.value.code) == (409, "conflict")
    assert rows(ledger) == before


def test_an_unknown_member_is_refused_and_nothing_changes(ledger):
    with_cards(ledger, 1)
    before = rows(ledger)
    with pytest.raises(LedgerRefusal) as refused:
        reissue(ledger, uuid.uuid4(), "lost-1")
    assert (refused.value.status, refused.value.code) == (404, "unknown_member")
    assert rows(ledger) == before


def test_a_ledger_made_before_gets_the_issuers_certificate(ledger):
    """A ledger initialised before the shop replaced cards has the issuer key but no
    certificate: its next start makes one, and so does the first replacement."""
    def forget_issuer() -> None:
        with ledger.engine.begin() as conn:
            conn.execute(delete(m.Certificate).where(m.Certificate.device_id == SHOP_ISSUER))
        assert SHOP_ISSUER not in {c["device_id"] for c in ledger.state().certificates}

    member = with_cards(ledger, 1)
    forget_issuer()
    new = reissue(ledger, member, "lost-1")
    assert verify_card(new.card_payload, trust_of(ledger.state())).card_no == new.card_no
    forget_issuer()
    ledger.initialise(load_program(PLAIN_PROGRAM))  # `kiosk ledger serve`, restarted
    assert verify_card(new.card_payload, trust_of(ledger.state())).card_no == new.card_no


def test_a_number_a_made_up_card_took_is_skipped(ledger):
    """A ledger before review 27 kept a card a device uploaded under the shop's prefix (not
    signed: no kiosk accepts it), and its row holds the number: the shop's next card takes
    the one after. (Such an upload is refused now, tests/sync/test_card_rows_verified.py.)"""
    member = with_cards(ledger, 1)
    with ledger.engine.begin() as conn:
        conn.execute(insert(m.Card).values(
            card_no=card_number(SHOP_CARD_PREFIX, 1), member_id=member, key_id="ABCDEFGH",
            payload="CP1.X", issued_at=datetime.now(UTC)))
    assert reissue(ledger, member, "lost-1").card_no == card_number(SHOP_CARD_PREFIX, 2)


def test_a_withdrawn_issuer_issues_nothing(ledger):
    member = with_cards(ledger, 1)
    ledger.revoke_device(SHOP_ISSUER)
    before = rows(ledger)
    with pytest.raises(LedgerRefusal) as refused:
        reissue(ledger, member, "lost-1")
    assert (refused.value.status, refused.value.code) == (409, "issuer_withdrawn")
    assert rows(ledger) == before


def test_no_device_may_take_the_issuers_name(ledger):
    with pytest.raises(LedgerRefusal) as refused:
        ledger.add_device(SHOP_ISSUER, "kiosk")
    assert refused.value.status == 409


def test_twin_requests_at_once_make_one_card(pg_inproc):
    """The same request sent twice at once (a retry while the first is still running) on
    PostgreSQL, where both run in parallel: one card, the same answer to both."""
    member = with_cards(pg_inproc, 1)
    answers: list[object] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        barrier.wait()
        try:
            answers.append(reissue(pg_inproc, member, "lost-1").card_no)
        except Exception as exc:  # pragma: no cover - the failure this test is for
            answers.append(exc)
    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [card_number(SHOP_CARD_PREFIX, 1)] * 4
    assert rows(pg_inproc)["shop_cards"] == 1

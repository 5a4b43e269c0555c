"""A lost card (issue 15): the member found by phone however it is written, or by card
number; every card they hold cancelled and a new one issued; the balance stays."""

from __future__ import annotations

import pytest

from kiosk.cards import RevokedCard
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from kiosk.services.errors import InvalidInput, UnknownMember
from kiosk.services.lost_cards import find_members, reissue_card
from kiosk.services.staff import audit_trail
from kiosk.staff import AuditAction


@pytest.mark.parametrize("typed", ["0912-345-678", "+886 912 345 678", "0912345678",
                                   "+886-912-345-678", "(0912) 345 678"])
def test_a_phone_number_finds_the_member_however_it_is_written(kiosk, member, typed):
    [found] = find_members(kiosk, typed)
    assert found.member.id == member.member.id
    assert found.cards == (member.card.card_no,) and found.masked_phone.endswith("678")


def test_a_member_enrolled_with_the_country_code_is_found_by_the_local_number(kiosk):
    joined = enrol(kiosk, Enrolment("林志明", "+886 933 444 555", consent=True))
    [found] = find_members(kiosk, "0933-444-555")
    assert found.member.id == joined.member.id


def test_the_card_number_finds_its_member_and_other_text_is_refused(kiosk, member):
    [found] = find_members(kiosk, member.card.card_no)
    assert found.member.id == member.member.id
    assert find_members(kiosk, "0999-999-999") == []
    with pytest.raises(InvalidInput, match="neither a phone number nor a card number"):
        find_members(kiosk, "hello")


def test_a_reissued_card_works_the_old_one_is_refused_and_the_points_stay(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 1000, "T-1"))
    before = identify(kiosk, member.card.payload)
    result = reissue_card(kiosk, member.member.id, approved_by="Grace Ho")
    assert result.revoked == (member.card.card_no,)
    assert result.card.card_no != member.card.card_no and result.balance == before.balance
    with pytest.raises(RevokedCard):
        identify(kiosk, member.card.payload)
    after = identify(kiosk, result.card.payload)
    assert (after.member.id, after.balance) == (member.member.id, before.balance)
    assert [e.id for e in after.recent] == [e.id for e in before.recent]  # history stays
    [found] = find_members(kiosk, "0912-345-678")
    assert found.cards == (result.card.card_no,)  # the cancelled one is no longer listed
    [trail] = [e for e in audit_trail(kiosk, 50) if e.action is AuditAction.CARD_REISSUED]
    assert member.card.card_no in trail.detail and trail.approved_by == "Grace Ho"


def test_a_second_loss_cancels_the_replacement_too(kiosk, member):
    first = reissue_card(kiosk, member.member.id)
    second = reissue_card(kiosk, member.member.id)
    assert second.revoked == (first.card.card_no,)
    with kiosk.store.read() as tx:
        revoked = {no for no, _, _ in tx.trust.unsent_revocations()}
    assert revoked == {member.card.card_no, first.card.card_no}


def test_an_unknown_member_is_refused_and_nothing_changes(kiosk, member):
    import uuid
    with pytest.raises(UnknownMember):
        reissue_card(kiosk, uuid.uuid4())
    assert identify(kiosk, member.card.payload).member.id == member.member.id


def test_an_old_cancelled_card_named_again_is_refused_and_nothing_changes(kiosk, member):
    """The lost card found again later: replacing 'it' would cancel the member's current
    card (the one in their pocket) and issue yet another. Refused, naming the current one."""
    current = reissue_card(kiosk, member.member.id, found_by=member.card.card_no)
    with pytest.raises(RevokedCard, match=f"{member.card.card_no} is already cancelled; .*"
                                          f"{current.card.card_no}"):
        reissue_card(kiosk, member.member.id, found_by=member.card.card_no)
    assert identify(kiosk, current.card.payload).member.id == member.member.id
    [found] = find_members(kiosk, member.card.card_no)  # still finds who had it
    assert found.cards == (current.card.card_no,)
    again = reissue_card(kiosk, member.member.id, found_by=current.card.card_no)
    assert again.revoked == (current.card.card_no,)  # the current card, named: replaced

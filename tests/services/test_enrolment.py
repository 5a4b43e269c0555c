"""Enrolling members at the counter, offline."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kiosk.cards import verify_card
from kiosk.ids import new_id
from kiosk.services import Enrolment, enrol, identify
from kiosk.services.errors import (
    DuplicateMember,
    InputProblem,
    InvalidInput,
    UnknownMember,
)


def test_a_new_member_gets_a_verifiable_card_and_the_signup_bonus(kiosk, member):
    claim = verify_card(member.card.payload, kiosk.trust)
    assert (claim.member_id, claim.card_no) == (member.member.id, member.card.card_no)
    assert member.card.card_no.startswith("1000")
    view = identify(kiosk, member.card.payload)
    assert (view.member.name, view.masked_phone, view.balance) == ("陳美玲", "•••••••678", 50)
    assert view.progress.tier.id == "bronze"


def test_card_numbers_are_not_reused(kiosk):
    cards = [enrol(kiosk, Enrolment(f"M{i}", f"0911-000-00{i}", consent=True)).card.card_no
             for i in range(5)]
    assert len(set(cards)) == 5


def test_a_phone_number_belongs_to_one_member(kiosk, member):
    with pytest.raises(DuplicateMember):
        enrol(kiosk, Enrolment("Someone else", "0912345678", consent=True))


@pytest.mark.parametrize(("form", "why"), [
    (Enrolment("", "0912000111", consent=True), "needs a name"),
    (Enrolment("Ann", "call me", consent=True), "not a phone number"),
    (Enrolment("Ann", "0912000111", consent=False), "privacy notice"),
    (Enrolment("Ann", "0912000111", birthday=date(2099, 1, 1), consent=True), "future"),
])
def test_bad_enrolment_details_are_refused_and_nothing_is_stored(kiosk, form, why):
    with pytest.raises(InvalidInput, match=why):
        enrol(kiosk, form)
    with kiosk.store.read() as tx:
        assert tx.members.ids() == []


def test_a_referrer_must_be_a_known_member(kiosk, member):
    referred = enrol(kiosk, Enrolment("Ann", "0912000111", referrer_id=member.member.id,
                                      consent=True))
    assert referred.member.referrer_id == member.member.id
    with pytest.raises(UnknownMember):
        enrol(kiosk, Enrolment("Bob", "0912000222", referrer_id=new_id(), consent=True))


@pytest.mark.parametrize("form", [
    Enrolment("陳\x00美玲", "0912000111", consent=True),
    Enrolment("\x1b[2JAnn", "0912000111", consent=True),
    Enrolment("Ann\x7f", "0912000111", consent=True),
    Enrolment("Ann", "0912\x00000111", consent=True),
    Enrolment("Ann", "\x070912000111", consent=True),
])
def test_a_control_character_in_a_name_or_phone_is_refused_and_nothing_is_stored(kiosk, form):
    """The ledger's database can't hold a NUL, and no name or phone has a control
    character: the counter refuses it by the ledger's own rule (kiosk.limits)."""
    with pytest.raises(InvalidInput, match="control character") as refused:
        enrol(kiosk, form)
    assert refused.value.problem is InputProblem.CONTROL_CHARACTER
    with kiosk.store.read() as tx:
        assert tx.members.ids() == []


def test_tabs_and_line_breaks_typed_in_a_name_are_cleaned_not_refused(kiosk):
    enrolled = enrol(kiosk, Enrolment("陳\t美玲\r\n", "0912 000\t111", consent=True))
    assert (enrolled.member.name, enrolled.member.phone) == ("陳 美玲", "0912000111")


def test_a_birthday_that_is_today_in_the_stores_zone_is_accepted(kiosk, clock):
    """17:00 UTC on 20 November is already 21 November in Taipei: a baby born today (in
    the store's day) is not "in the future"; the day after still is."""
    clock.now = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    born = enrol(kiosk, Enrolment("陳小寶", "0912000777", date(2026, 11, 21), consent=True))
    assert born.member.birthday == date(2026, 11, 21)
    with pytest.raises(InvalidInput) as refused:
        enrol(kiosk, Enrolment("陳小寶", "0912000778", date(2026, 11, 22), consent=True))
    assert refused.value.problem is InputProblem.BIRTHDAY_FUTURE

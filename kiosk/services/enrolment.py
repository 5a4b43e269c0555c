"""Enrolling a member offline: the kiosk signs the new card with its own certified key, so
any kiosk can verify it before the ledger has heard of the member."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.awards import enrolment_coupons
from kiosk.cards import card_number, issue_card
from kiosk.engine.bonuses import SIGNUP
from kiosk.engine.orders import derived_id
from kiosk.ledger import Entry
from kiosk.members import Member, MemberInputError, clean_name, normalize_phone
from kiosk.phones import phone_keys, region_of
from kiosk.program import awards_for_enrolment, store_today
from kiosk.records import CardRecord
from kiosk.services.context import Kiosk
from kiosk.services.errors import (
    DuplicateMember,
    InputProblem,
    InvalidInput,
    UnknownMember,
    check_text,
)
from kiosk.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Enrolment:
    name: str
    phone: str
    birthday: date | None = None
    referrer_id: uuid.UUID | None = None
    consent: bool = False


@dataclass(frozen=True, slots=True)
class EnrolmentResult:
    member: Member
    card: CardRecord
    entries: tuple[Entry, ...]
    balance: int


def new_card(tx: UnitOfWork, kiosk: Kiosk, member_id: uuid.UUID, now: datetime) -> CardRecord:
    """The member's next card, numbered from this kiosk's range and signed with its key.
    A number a card here holds already is passed over: one pulled from the ledger (this
    kiosk's own from before its store was set up again, or a row a ledger kept unchecked,
    review 27) would make every enrolment fail on the store's unique number."""
    card_no = card_number(kiosk.certificate.card_prefix, tx.devices.take_card_serial())
    while tx.cards.get(card_no) is not None:
        card_no = card_number(kiosk.certificate.card_prefix, tx.devices.take_card_serial())
    payload = issue_card(kiosk.key, kiosk.certificate, member_id=member_id, card_no=card_no)
    card = CardRecord(card_no, member_id, kiosk.certificate.key_id, payload, now)
    tx.cards.add(card)
    return card


def enrol(kiosk: Kiosk, form: Enrolment) -> EnrolmentResult:
    # Typed tabs and line breaks are whitespace that cleaning removes; any other control
    # character is refused here by the rule the ledger applies on the wire.
    check_text("name", form.name, layout=True)
    check_text("phone", form.phone, layout=True)
    try:
        # Full-width digits from a Chinese keyboard are digits (as finding a member reads them)
        name = clean_name(form.name)
        phone = normalize_phone(unicodedata.normalize("NFKC", form.phone))
    except MemberInputError as exc:
        raise InvalidInput(str(exc), InputProblem(exc.problem)) from None
    if not form.consent:
        raise InvalidInput("the member must accept the privacy notice to join",
                           InputProblem.CONSENT)
    now = kiosk.clock()
    if form.birthday is not None and form.birthday > store_today(kiosk.program, now):
        raise InvalidInput("a birthday cannot be in the future", InputProblem.BIRTHDAY_FUTURE)
    member = Member(kiosk.new_id(), name, phone, now, kiosk.channel, form.birthday,
                    form.referrer_id, form.consent)
    # The number in every form a member's may be stored in: 0912-345-678 and
    # +886 912 345 678 are one phone, as finding a member by it says (review 27).
    # (phone_keys' first is ``phone`` itself, read as above, so it can't refuse here.)
    keys = phone_keys(form.phone, region_of(kiosk.program.currency))
    with kiosk.store.write() as tx:
        if any(tx.members.with_phone(key) for key in keys):
            raise DuplicateMember("this phone number already belongs to a member")
        if form.referrer_id is not None and tx.members.get(form.referrer_id) is None:
            raise UnknownMember("the referring member is not known at this kiosk")
        tx.members.add(member)
        card = new_card(tx, kiosk, member.id, now)
        # The sign-up bonus is once per member (DESIGN, engine point 4): its id is derived
        # from the member, so a second copy is the same entry, here and on the ledger.
        entries = tuple(
            Entry(derived_id(member.id, SIGNUP) if a.note == SIGNUP else kiosk.new_id(),
                  member.id, a.kind, a.points, kiosk.channel, now, kiosk.program.version,
                  note=a.note, staff=kiosk.staff_name)
            for a in awards_for_enrolment(kiosk.program))
        tx.entries.append(entries)
        if kiosk.program.coupons:
            tx.orders.add_coupons(member.id, enrolment_coupons(
                kiosk.program, enrolled_at=now, referred=form.referrer_id is not None))
        balance = tx.entries.balance(member.id)
    return EnrolmentResult(member, card, entries, balance)

"""A lost card (issue 15): find the member by phone (however it is written) or by card
number, cancel every card they hold, issue a new card number and QR; the balance and the
history stay, as they belong to the member, not the card. The cancelled numbers go to the
ledger with the next sync, and every kiosk refuses them once it has synced."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, replace
from typing import ClassVar

from kiosk.cards import RevokedCard, is_valid_card_number
from kiosk.members import Member, MemberInputError, mask_phone
from kiosk.phones import phone_keys, region_of
from kiosk.records import CardRecord
from kiosk.services.context import Kiosk
from kiosk.services.enrolment import new_card
from kiosk.services.errors import (
    InputProblem,
    InvalidInput,
    MemberNotSynced,
    UnknownMember,
    check_text,
)
from kiosk.services.staff import record
from kiosk.staff import AuditAction

MAX_UNSYNCED_CARDS = 10
"""A member's cards this kiosk may issue before the ledger has them (every upload carries
a member's unsent cards: the count stays far below what one request may hold)."""


@dataclass(frozen=True, slots=True)
class MemberMatch:
    """A member the search found, as the cashier confirms them: name, masked phone, the
    numbers of the cards they hold (the lost one among them)."""

    member: Member
    masked_phone: str
    cards: tuple[str, ...]
    balance: int


@dataclass(frozen=True, slots=True)
class ReissueResult:
    member: Member
    card: CardRecord  # the new card: print it
    revoked: tuple[str, ...]  # the card numbers cancelled
    balance: int


def find_members(kiosk: Kiosk, query: str) -> list[MemberMatch]:
    """The members with this phone number (``0912-345-678`` and ``+886 912 345 678`` are
    one number) or this card number; InvalidInput if it is neither."""
    check_text("search", query, layout=True)
    digits = "".join(unicodedata.normalize("NFKC", query).split())
    with kiosk.store.read() as tx:
        card = tx.cards.get(digits) if is_valid_card_number(digits) else None
        found = [] if card is None else [tx.members.get(card.member_id)]
        if card is None:  # a phone number (twelve digits may pass a card's check, too)
            try:
                keys = phone_keys(query, region_of(kiosk.program.currency))
            except MemberInputError:
                if is_valid_card_number(digits):
                    return []  # a card number this kiosk doesn't know
                raise InvalidInput(f"{query!r} is neither a phone number nor a card number",
                                   InputProblem.PHONE) from None
            found = [m for key in keys for m in tx.members.with_phone(key)]
        members = list({m.id: m for m in found if m is not None}.values())
        revoked = tx.trust.revoked_cards()
        return [MemberMatch(m, mask_phone(m.phone),
                            tuple(c.card_no for c in tx.cards.of_member(m.id)
                                  if c.card_no not in revoked),
                            tx.entries.balance(m.id)) for m in members]


class CardAlreadyReplaced(RevokedCard):
    """The search named a card that is already cancelled (a lost card replaced before):
    replacing it again would cancel the card the member holds now (``current``)."""

    code: ClassVar[str] = "card_already_replaced"

    def __init__(self, card_no: str, current: tuple[str, ...]) -> None:
        self.card_no, self.current = card_no, current
        now_held = (f"the member's current card is {', '.join(current)}: search by it or by "
                    "their phone number to replace it" if current else "the member holds no "
                    "card now: search by their phone number to issue one")
        super().__init__(f"card {card_no} is already cancelled; {now_held}")


def _card_searched(query: str | None) -> str | None:
    """The card number a search names (as :func:`find_members` reads it), or None."""
    if query is None:
        return None
    digits = "".join(unicodedata.normalize("NFKC", query).split())
    return digits if is_valid_card_number(digits) else None


def reissue_card(kiosk: Kiosk, member_id: uuid.UUID, approved_by: str | None = None,
                 found_by: str | None = None) -> ReissueResult:
    """Cancel every card the member holds and issue a new one, in one transaction.

    ``found_by`` is the search that found the member (:func:`find_members`'s query): when
    it names one of their cards that is already cancelled (an old lost card, found again),
    the lost card was replaced before, and replacing it again would cancel the card the
    member now holds: RevokedCard, naming the current card, and nothing changes."""
    check_text("approver", approved_by)
    named = _card_searched(found_by)
    now = kiosk.clock()
    with kiosk.store.write() as tx:
        member = tx.members.get(member_id)
        if member is None:
            raise UnknownMember("this member is not known at this kiosk")
        if member.profile_pending:
            raise MemberNotSynced("this member joined at another store and this kiosk has not "
                                  "synced their account yet: their card can be replaced once "
                                  "it has")
        if len(tx.cards.to_upload([member_id])) >= MAX_UNSYNCED_CARDS:
            raise InvalidInput(f"this member has {MAX_UNSYNCED_CARDS} cards the ledger hasn't "
                               "heard of yet: sync before replacing their card again",
                               InputProblem.PHONE)
        revoked = tx.trust.revoked_cards()
        known = [c.card_no for c in tx.cards.of_member(member_id)]
        old = tuple(no for no in known if no not in revoked)
        if named in known and named in revoked:
            raise CardAlreadyReplaced(named, old)
        # Every card known here goes up again with the replacement, cancelled ones too:
        # the ledger then cancels all the member's older cards, those this kiosk never saw
        # (a replacement lost in its turn, issued at another store).
        for card_no in known:
            tx.trust.revoke_here(card_no, member_id, now)
        card = new_card(tx, kiosk, member_id, now)
        record(tx, kiosk, AuditAction.CARD_REISSUED,
               f"{card.card_no} for {', '.join(old) or 'no card'}", approved_by=approved_by)
        balance = tx.entries.balance(member_id)
    # This kiosk refuses the old cards at once (others once they have synced).
    kiosk.trust = replace(kiosk.trust, revoked_cards=kiosk.trust.revoked_cards | set(old))
    return ReissueResult(member, card, old, balance)

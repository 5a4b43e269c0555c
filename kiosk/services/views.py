"""What the counter shows about a member, read in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from kiosk.awards import promotions_for
from kiosk.cards import CardClaim, CardError, verify_card
from kiosk.engine.orders import CouponIssue
from kiosk.engine.promotions import Promotion
from kiosk.engine.punch_cards import PunchCard
from kiosk.engine.transfers import (
    MAX_RECEIVED_PARTS,
    one_line_per_transfer,
    received_parts_in,
)
from kiosk.ledger import Entry
from kiosk.members import Member, mask_phone
from kiosk.program import Program, RewardOffer, rewards_within_reach
from kiosk.services.context import Kiosk
from kiosk.services.errors import UnknownMember
from kiosk.services.ports import UnitOfWork
from kiosk.tiers import (
    TierProgress,
    tier_history_start,
    tier_progress,
    tier_standing,
    tier_window_start,
)
from kiosk.wallets import PointsSummary, lean_points_summary, points_summary

RECENT_ACTIVITY = 10


@dataclass(frozen=True, slots=True)
class MemberView:
    member: Member
    masked_phone: str
    card_no: str | None
    balance: int
    progress: TierProgress
    rewards: list[RewardOffer]
    recent: list[Entry]
    points: PointsSummary | None = None  # available, pending, expiring (None: all of it now)
    promotions: tuple[Promotion, ...] = ()  # the campaigns on for this member here today
    stamps: tuple[tuple[PunchCard, int], ...] = ()  # each of the program's punch cards and
    # the stamps on it (below zero: a refund took back stamps that had filled a card)
    coupons: tuple[CouponIssue, ...] = ()  # not expired, soonest first (issued here)


def member_view_in(tx: UnitOfWork, kiosk: Kiosk, member_id: uuid.UUID,
                   card_no: str | None = None) -> MemberView:
    member = tx.members.get(member_id)
    if member is None:
        raise UnknownMember("this card is genuine, but the member is not known at this kiosk "
                            "yet; try again once the kiosk has synced")
    program = kiosk.program
    balance = tx.entries.balance(member_id)
    now = kiosk.clock()
    # A member known only by another store's card earns at the first tier here until sync
    # brings their account; the screen says the same.
    if member.profile_pending:
        progress = tier_progress(program, 0)
    else:
        spend = (tx.entries.spend_since(member_id, tier_window_start(program, now))
                 if program.tier_by_window_spend else 0)
        progress = member_tier(tx, program, member_id, now, spend)
    if card_no is None:
        cards = tx.cards.of_member(member_id)
        card_no = cards[-1].card_no if cards else None
    points = member_points(tx, program, member_id, now)
    held = tx.entries.stamps(member_id) if program.punch_cards else {}
    return MemberView(member, mask_phone(member.phone), card_no, balance, progress,
                      rewards_within_reach(program, balance if points is None
                                           else points.available),
                      _recent(tx, member_id), points,
                      promotions_for(program, progress.tier.id, channel=kiosk.channel,
                                     store=kiosk.device.store_name, at=now),
                      tuple((card, held.get(card.id, 0)) for card in program.punch_cards),
                      tuple(tx.orders.coupons(member_id, now)) if program.coupons else ())


def _recent(tx: UnitOfWork, member_id: uuid.UUID) -> list[Entry]:
    """The member's last RECENT_ACTIVITY lines, a transfer's receiving parts one line; as
    many parts more are read only when the lines hold one (a scan's usual read stays ten
    rows)."""
    recent = tx.entries.recent(member_id, RECENT_ACTIVITY)
    if not received_parts_in(recent):
        return recent
    return one_line_per_transfer(tx.entries.recent(
        member_id, RECENT_ACTIVITY + MAX_RECEIVED_PARTS))[:RECENT_ACTIVITY]


def member_points(tx: UnitOfWork, program: Program, member_id: uuid.UUID, at: datetime
                  ) -> PointsSummary | None:
    """The member's points as the counter tells them (available, pending, expiring), off
    their whole history but what the ledger refused (out of the balance too): the lean
    replay, or the full one for a history with a reversal. None under a program whose
    points neither wait nor expire (the balance says it all)."""
    if not program.points.has_lots:
        return None
    summary = lean_points_summary(program, tx.entries.lot_rows(member_id), at)
    if summary is None:
        summary = points_summary(program, tx.entries.lot_entries(member_id), at)
    return summary


def member_tier(tx: UnitOfWork, program: Program, member_id: uuid.UUID, now: datetime,
                window_spend: int) -> TierProgress:
    """The member's tier and what it takes to keep or better it, under the program's
    ``tier_policy``. Today's rule (the rolling window's spend, up and down at once) needs
    only ``window_spend``, which the caller read anyway (a sale in its one state query);
    any other policy replays the member's qualifying events since
    :func:`kiosk.tiers.tier_history_start`."""
    if program.tier_by_window_spend:
        return tier_progress(program, window_spend)
    events = tx.entries.tier_events(member_id, tier_history_start(program, now),
                                    program.tier_rule.basis)
    return tier_standing(program, events, now)


def identify(kiosk: Kiosk, payload: str) -> MemberView:
    """A scanned card to what the cashier sees. Raises :class:`kiosk.cards.CardError` for
    cards that are not ours, malformed, forged or revoked, before touching the store."""
    claim = verify_card(payload, kiosk.trust)
    try:
        with kiosk.store.read() as tx:
            return member_view_in(tx, kiosk, claim.member_id, claim.card_no)
    except UnknownMember:
        _met_by_card(kiosk, claim)
    with kiosk.store.read() as tx:
        return member_view_in(tx, kiosk, claim.member_id, claim.card_no)


def member_view(kiosk: Kiosk, member_id: uuid.UUID) -> MemberView:
    with kiosk.store.read() as tx:
        return member_view_in(tx, kiosk, member_id)


def member_for_card(kiosk: Kiosk, payload: str) -> uuid.UUID:
    """The member a scanned card belongs to (signature and revocation checked)."""
    claim = verify_card(payload, kiosk.trust)
    with kiosk.store.read() as tx:
        known = tx.members.get(claim.member_id) is not None
    if not known:
        _met_by_card(kiosk, claim)
    return claim.member_id


def _met_by_card(kiosk: Kiosk, claim: CardClaim) -> None:
    """A genuine card (a certified issuer's signature) of a member this kiosk hasn't
    heard of: enrolled at another store that hasn't synced yet, or before this kiosk's
    last pull. Recorded by the card's member id with the profile pending, so sales here
    are kept against the right member; sync brings the name and phone."""
    issuer = kiosk.trust.certificates.get(claim.key_id)
    member = Member(claim.member_id, "", "", kiosk.clock(),
                    issuer.device_id if issuer else kiosk.channel, profile_pending=True)
    with kiosk.store.write() as tx:
        if tx.members.get(claim.member_id) is None:
            tx.members.add(member)


__all__ = ["CardError", "MemberView", "identify", "member_for_card", "member_view"]

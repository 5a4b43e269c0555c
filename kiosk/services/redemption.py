"""Redeeming a reward at the counter.

Online, the kiosk asks the ledger to hold the points first (an :class:`Authoriser`), so
the balance can't go negative; the redeem entry is then committed here and confirmed.
The entry (and its id) is made once, before anything is asked, so a redemption that the
ledger held, or even recorded, before the network failed is never taken twice.

Without the ledger to ask (DESIGN rule 6) a kiosk redeems only within the member's
balance as this kiosk knows it (the last balance it heard from the ledger, plus this
kiosk's own pending earns, minus its own pending redemptions: exactly the local balance),
and only within the program's offline floor limits, so any overdraft caused by another
channel spending the same points meanwhile is bounded by configuration.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Protocol

from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program, Reward, store_today
from kiosk.records import KeptCoupon, StorageError
from kiosk.services.context import Kiosk
from kiosk.services.errors import (
    MemberNotSynced,
    NotEnoughPoints,
    OfflineLimitReached,
    Refusal,
    UnknownMember,
    UnknownReward,
    Unreachable,
    check_order_ref,
)
from kiosk.services.ports import UnitOfWork
from kiosk.services.views import member_points
from kiosk.wallets import PointsSummary


class Authoriser(Protocol):
    """The ledger's side of an online redemption, as the counter needs it."""

    def reserve(self, entry: Entry) -> None:
        """Hold the points; raises NotEnoughPoints if declined, Unreachable if offline."""

    def confirm(self, entry: Entry) -> None:
        """Record the held redemption now (best effort: the outbox carries it anyway)."""

    def void(self, entry: Entry) -> None:
        """Release the hold (best effort: holds expire by themselves)."""

    def transfer(self, transfer_id: uuid.UUID, giver: uuid.UUID, receiver: uuid.UUID,
                 points: int) -> list[tuple[Entry, int]]:
        """Move points between members at the ledger (online only): its two entries with
        their seqs; NotEnoughPoints if declined, Unreachable if offline."""

    def find_coupon(self, member_id: uuid.UUID, coupon_id: uuid.UUID) -> KeptCoupon | None:
        """A coupon the ledger holds for the member (issued by another store or the shop),
        with where it was used; Unreachable if offline."""

    def hold_checkout(self, member_id: uuid.UUID, order_ref: str, entry: Entry | None,
                      coupon_ids: tuple[uuid.UUID, ...]) -> None:
        """Hold a checkout's points (its redeem entry) and coupons in one hold; raises
        NotEnoughPoints or a coupon's refusal if declined, Unreachable if offline."""

    def confirm_checkout(self, order_ref: str, entry: Entry | None,
                         coupon_ids: tuple[uuid.UUID, ...]) -> None:
        """Spend what the checkout held (best effort: the order's upload does it too)."""

    def release_checkout(self, order_ref: str, entry: Entry | None,
                         coupon_ids: tuple[uuid.UUID, ...]) -> None:
        """Let go of what the checkout held (best effort: holds expire by themselves)."""


@dataclass(frozen=True, slots=True)
class RedemptionResult:
    entry: Entry
    reward: Reward
    balance: int
    authorised: str  # "offline" (local floor limits) or, with a ledger, "online"


def store_day_start(program: Program, now: datetime) -> datetime:
    """Midnight of the store's calendar day containing ``now``, as a UTC instant."""
    return store_day(program, now)[0]


def store_day(program: Program, now: datetime) -> tuple[datetime, datetime]:
    """The store's calendar day containing ``now``: its first instant and the next day's,
    in ``now``'s zone (a day is 23 or 25 hours where clocks change)."""
    today = store_today(program, now)
    return (datetime.combine(today, time(0), program.zone).astimezone(now.tzinfo),
            datetime.combine(today + timedelta(days=1), time(0), program.zone)
            .astimezone(now.tzinfo))


def redeem(kiosk: Kiosk, member_id: uuid.UUID, reward_id: str,
           order_ref: str | None = None) -> RedemptionResult:
    check_order_ref(order_ref)
    program = kiosk.program
    reward = program.reward(reward_id)
    if reward is None:
        raise UnknownReward(f"there is no reward {reward_id!r} in program {program.version}")
    if reward not in program.counter_rewards:
        raise UnknownReward(f"reward {reward_id!r} is the online shop's (free shipping), "
                            "not the counter's")
    now = kiosk.clock()
    entry = Entry(kiosk.new_id(), member_id, EntryKind.REDEEM, -reward.cost, kiosk.channel,
                  now, program.version, order_ref, reward_id=reward.id,
                  staff=kiosk.staff_name)
    balance, authorised = spend_points(kiosk, entry)
    return RedemptionResult(entry, reward, balance, authorised)


def spend_points(kiosk: Kiosk, entry: Entry) -> tuple[int, str]:
    """Write an entry that spends points (a redemption, a donation): held by the ledger
    first when it can be asked, else within the offline floor limits; the balance after
    it, and "online" or "offline". The hold is released if the write is refused."""
    member_id, cost = entry.member_id, -entry.points
    authorised = "offline"
    if kiosk.authoriser is not None:
        try:
            kiosk.authoriser.reserve(entry)
            authorised = "online"
        except Unreachable:
            pass  # the floor limits below decide
    try:
        with kiosk.store.write() as tx:
            member = tx.members.get(member_id)
            if member is None:
                raise UnknownMember("this member is not known at this kiosk")
            if authorised == "offline":
                if member.profile_pending:
                    raise MemberNotSynced(
                        "this member joined at another store and this kiosk has not synced "
                        "their account yet: their points can be used once it is online")
                within_offline_limits(tx, kiosk, entry, cost)
            tx.entries.append([entry])
            balance = tx.entries.balance(member_id)
    except (Refusal, StorageError):
        if authorised == "online" and kiosk.authoriser is not None:
            kiosk.authoriser.void(entry)
        raise
    if authorised == "online" and kiosk.authoriser is not None:
        kiosk.authoriser.confirm(entry)
    return balance, authorised


def _not_spendable(summary: PointsSummary | None, balance: int, available: int) -> str:
    """Why the balance isn't all available, for the refusal: points still pending, and
    points past their expiry the ledger hasn't recorded yet (never called pending)."""
    if available >= balance or summary is None:
        return ""
    pending = sum(points for _, points in summary.pending)
    held = [f"{pending} still pending"] if pending else []
    if balance - available - pending > 0:
        held.append(f"{balance - available - pending} expired")
    return f" available now (of {balance}: {', '.join(held)})" if held else " available now"


def within_offline_limits(tx: UnitOfWork, kiosk: Kiosk, entry: Entry, cost: int) -> None:
    """The floor limits (DESIGN rule 6) for spending ``cost`` points without the ledger.
    What they count as spent is every spend they let through: redemptions (a checkout's
    points among them) and donations alike, so the day's limit and the count waiting for
    the ledger bound what a member may overdraw, whatever the points were spent on."""
    limits = kiosk.program.offline
    if cost > limits.max_points_per_redemption:
        raise OfflineLimitReached(
            f"{cost} points is more than the {limits.max_points_per_redemption} a kiosk "
            "may redeem at once while offline")
    floor = tx.entries.spend_floor(entry.member_id,
                                   *store_day(kiosk.program, entry.occurred_at), kiosk.channel)
    balance, today = floor.balance, floor.redeemed_today
    summary = member_points(tx, kiosk.program, entry.member_id, entry.occurred_at)
    available = balance if summary is None else summary.available
    if available < cost:
        raise NotEnoughPoints(f"{cost} points needed, the member has {available}"
                              + _not_spendable(summary, balance, available))
    if today + cost > limits.max_points_per_member_per_day:
        raise OfflineLimitReached(
            f"this member has redeemed {today} points here today (donations count too); "
            f"offline the limit is {limits.max_points_per_member_per_day} a day")
    if floor.waiting >= limits.max_consecutive_redemptions:
        raise OfflineLimitReached(
            f"{limits.max_consecutive_redemptions} redemptions are waiting to reach the "
            "ledger (donations count too); no more can be taken offline until the kiosk "
            "syncs")

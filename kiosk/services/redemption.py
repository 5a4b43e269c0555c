"""Redeeming a reward at the counter.

Without the ledger to ask (DESIGN rule 6) a kiosk redeems only within the member's
balance as this kiosk knows it (the last balance it heard from the ledger, plus this
kiosk's own pending earns, minus its own pending redemptions: exactly the local balance),
and only within the program's offline floor limits, so any overdraft caused by another
channel spending the same points meanwhile is bounded by configuration.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time

from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program, Reward
from kiosk.services.context import Kiosk
from kiosk.services.errors import (
    NotEnoughPoints,
    OfflineLimitReached,
    UnknownMember,
    UnknownReward,
)


@dataclass(frozen=True, slots=True)
class RedemptionResult:
    entry: Entry
    reward: Reward
    balance: int
    authorised: str  # "offline" (local floor limits) or, with a ledger, "online"


def store_day_start(program: Program, now: datetime) -> datetime:
    """Midnight of the store's calendar day containing ``now``, as a UTC instant."""
    local = now.astimezone(program.zone)
    return datetime.combine(local.date(), time(0), program.zone).astimezone(now.tzinfo)


def redeem(kiosk: Kiosk, member_id: uuid.UUID, reward_id: str,
           order_ref: str | None = None) -> RedemptionResult:
    program = kiosk.program
    reward = program.reward(reward_id)
    if reward is None:
        raise UnknownReward(f"there is no reward {reward_id!r} in program {program.version}")
    limits = program.offline
    if reward.cost > limits.max_points_per_redemption:
        raise OfflineLimitReached(
            f"{reward.cost} points is more than the {limits.max_points_per_redemption} a kiosk "
            "may redeem at once while offline")
    now = kiosk.clock()
    with kiosk.store.write() as tx:
        if tx.member(member_id) is None:
            raise UnknownMember("this member is not known at this kiosk")
        balance = tx.balance(member_id)
        if balance < reward.cost:
            raise NotEnoughPoints(f"{reward.cost} points needed, the member has {balance}")
        today = tx.redeemed_since(member_id, store_day_start(program, now), kiosk.channel)
        if today + reward.cost > limits.max_points_per_member_per_day:
            raise OfflineLimitReached(
                f"this member has redeemed {today} points here today; offline the limit is "
                f"{limits.max_points_per_member_per_day} a day")
        if tx.pending_redemptions() >= limits.max_consecutive_redemptions:
            raise OfflineLimitReached(
                f"{limits.max_consecutive_redemptions} redemptions are waiting to reach the "
                "ledger; no more can be taken offline until the kiosk syncs")
        entry = Entry(kiosk.new_id(), member_id, EntryKind.REDEEM, -reward.cost, kiosk.channel,
                      now, program.version, order_ref, reward_id=reward.id)
        tx.append([entry])
        balance = tx.balance(member_id)
    return RedemptionResult(entry, reward, balance, "offline")

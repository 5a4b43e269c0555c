"""A member's tier under a program: the window a counter or the ledger reads of their
history for it, and the tier (with what it takes to reach the next or keep this one) from
that history, by today's rule or the program's ``tier_policy``. Pure: the counter's
services and the ledger's counter and audit read it alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from kiosk.engine.tier_policy import Event, TierStatus, tier_status
from kiosk.ledger import EntryKind
from kiosk.program import Program, Tier


def tier_window_start(program: Program, now: datetime) -> datetime:
    """Where the rolling window of today's rule starts (the fast path's one sum)."""
    return now - timedelta(days=program.tier_rule.window_days)


def tier_history_start(program: Program, now: datetime) -> datetime:
    """The earliest instant whose qualifying events can still bear on the tier at ``now``
    under the program's policy: what a counter or the ledger reads of a member's history.

    With ``M = len(tiers) - 1`` steps down from the top tier:

    * without ``retain``: the rolling window, or the start of this (local) year;
    * ``rolling`` + ``retain``: a tier proven at ``s`` from the events of ``[s - w, s]``
      is worth something (one step down per window after the first) until ``s + M*w``,
      so ``now - (M+1)*w`` reaches every proof that counts; one window more is read so a
      refund finds the purchase it takes back: ``now - (M+2)*w``;
    * ``calendar_year`` + ``retain``: a tier reached in year Y holds through Y+1 and is
      gone by Y+M+1, so the years from ``this - M`` count; one more year is read for the
      refunds: from January 1 of ``this - M - 1``.

    A refund of a purchase older than that counts where it is dated (it can only lower
    the tier, never raise it)."""
    rule, steps = program.tier_rule, len(program.tiers) - 1
    if rule.period == "rolling":
        return now - timedelta(days=rule.window_days) * ((steps + 2) if rule.retain else 1)
    year = now.astimezone(program.zone).year - ((steps + 1) if rule.retain else 0)
    return datetime(max(year, 2), 1, 1, tzinfo=program.zone).astimezone(UTC)


def tier_for_spend(program: Program, spend_minor: int) -> Tier:
    """The highest tier whose threshold the rolling spend reaches."""
    current = program.tiers[0]
    for tier, floor in zip(program.tiers, program.tier_floors_minor, strict=True):
        if spend_minor >= floor:
            current = tier
    return current


@dataclass(frozen=True, slots=True)
class TierProgress:
    tier: Tier
    next_tier: Tier | None
    spend_minor: int  # what counts now, in the policy's unit (``basis``): spend in minor
    # units, or points earned
    remaining_minor: int  # still needed for the next tier; 0 at the top
    holds_until: date | None = None  # the last day the tier holds in full if nothing more
    # is earned (only with ``tier_policy.retain``; None for the first tier)
    keep_needed: int = 0  # still to earn this period to keep the tier past holds_until
    basis: Literal["spend", "points"] = "spend"


def tier_progress(program: Program, spend_minor: int) -> TierProgress:
    """Today's rule (the fast path): the tier the rolling window's net spend reaches."""
    tier = tier_for_spend(program, spend_minor)
    index = program.tiers.index(tier)
    nxt = program.tiers[index + 1] if index + 1 < len(program.tiers) else None
    remaining = program.minor(nxt.min_spend) - spend_minor if nxt else 0
    return TierProgress(tier, nxt, spend_minor, remaining)


def tier_standing(program: Program, events: Iterable[Event], now: datetime) -> TierProgress:
    """The member's tier at ``now`` under the program's ``tier_policy``, replayed from
    their qualifying events (``kiosk.engine.tier_policy``), those since
    :func:`tier_history_start` being enough.

    The events are ``(occurred_at, amount)``: for basis ``spend`` each entry's spend (a
    refund's negative); for basis ``points`` the points the member's purchases earned,
    which are the points of their orders' ``earn`` and ``bonus`` entries (the base earn
    and the promotions), less the reversals of those when refunded; sign-up, birthday,
    first-purchase and referral bonuses (the ``program`` channel, or no order),
    adjustments, redemptions and expiry don't count."""
    status = tier_status(program.tier_rule, program.tier_thresholds, events, now,
                         program.zone)
    return _progress_of(program, status)


TIER_POINT_KINDS = (EntryKind.EARN, EntryKind.BONUS)


def earns_tier_points(kind: EntryKind, points: int, order_ref: str | None) -> bool:
    """Whether an entry's points count toward a tier of basis ``points``: an order's
    ``earn`` and ``bonus`` entries (its base earn and promotions), and a ``reverse`` of one
    of them (negative points: a reversed redemption gives points back and doesn't count).
    Once-only bonuses are dated by stable facts and carry no order, like sign-up points
    and adjustments. The stores' queries say the same in SQL."""
    if order_ref is None:
        return False
    return kind in TIER_POINT_KINDS or (kind is EntryKind.REVERSE and points < 0)


def _progress_of(program: Program, status: TierStatus) -> TierProgress:
    nxt = None if status.next_index is None else program.tiers[status.next_index]
    return TierProgress(program.tiers[status.index], nxt, status.qualified,
                        status.next_needed, status.holds_until, status.keep_needed,
                        program.tier_rule.basis)

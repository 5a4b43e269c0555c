"""What goes into the engine and what comes out of it.

An :class:`Order` is a fact: a visit at the counter or a shop order, with its lines, what
loyalty paid for and the net amount paid. :class:`MemberState` is what the counter knew
of the member when it rang the order up; it is recorded with the order, so the ledger
can re-run the rules with the same inputs and get the same awards (DESIGN, engine point
2). An :class:`Award` is points or stamps a rule grants, before it becomes an entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.frozen import quick_init
from kiosk.ledger import EntryKind

DERIVED_NAMESPACE = uuid.UUID("5a1e6c2e-7d0b-4c59-9a43-0c6f2d1b8e55")
"""UUIDv5 namespace of every award that may happen only once per something."""

POINTS = "points"
"""The wallet of ordinary points; a punch card's stamps are in the wallet ``card:<id>``."""


def derived_id(member_id: uuid.UUID, key: str) -> uuid.UUID:
    """The id of an award that happens once per ``key`` for this member ("birthday:2026",
    "referral:<member>", "expire:<lot>"): two kiosks that both grant it offline make the
    same id, and the primary key keeps one (DESIGN, engine point 4)."""
    return uuid.uuid5(DERIVED_NAMESPACE, f"{member_id}/{key}")


CARD_WALLET = "card:"
"""A punch card's wallet is ``card:<id>``; its stamp entries carry it as their note."""


def card_wallet(card_id: str) -> str:
    return f"{CARD_WALLET}{card_id}"


@quick_init
@dataclass(frozen=True, slots=True)
class OrderLine:
    """One line of an order: a scanned product, or a keyed amount (code ``AMOUNT``)."""

    code: str
    quantity: int
    unit_price_minor: int
    category: str | None = None

    @property
    def total_minor(self) -> int:
        return self.quantity * self.unit_price_minor


KEYED_AMOUNT = "AMOUNT"


@quick_init
@dataclass(frozen=True, slots=True)
class LoyaltyUsed:
    """What loyalty paid for on the order: it is not money the member paid, so it earns
    nothing (points are earned on the net amount)."""

    reward_id: str | None = None
    coupon_ids: tuple[uuid.UUID, ...] = ()
    points_used: int = 0  # points spent as money
    discount_minor: int = 0  # what the reward, coupons and points took off the bill
    coupon_rules: tuple[str, ...] = ()  # each coupon's rule, as the counter priced it (the
    # ledger prices the order again with them, before it may hold the coupons themselves)
    reward_minor: int = 0  # of the discount, the reward's, when it is off some lines only:
    reward_lines: tuple[int, ...] = ()  # those lines (by index; none: off the whole bill)


NO_LOYALTY = LoyaltyUsed()
"""An order loyalty paid nothing for (a plain sale)."""


@quick_init
@dataclass(frozen=True, slots=True)
class Order:
    channel: str  # the kiosk's channel or "web"
    order_ref: str  # unique per channel
    occurred_at: datetime  # UTC
    lines: tuple[OrderLine, ...]
    member_id: uuid.UUID | None = None  # None: a non-member sale, recorded for the reports
    store: str | None = None  # the store the channel belongs to (promotions by store)
    loyalty: LoyaltyUsed = LoyaltyUsed()
    cashier: str | None = None

    @property
    def gross_minor(self) -> int:
        return sum([line.quantity * line.unit_price_minor for line in self.lines])

    @property
    def net_paid_minor(self) -> int:
        """What the member paid in money: the lines less what loyalty paid for."""
        return max(0, self.gross_minor - self.loyalty.discount_minor)

    def line_nets(self) -> tuple[int, ...]:
        """Each line's share of the net amount paid: loyalty's discount spread over the
        lines in proportion to their totals, the remainder to the largest shares first, so
        the shares are whole minor units and add up to exactly the net paid. A reward off
        some lines only (a tea discount, free shipping) comes off those lines first, and
        the rest of the discount (a coupon, points) off what every line has left."""
        totals = [line.total_minor for line in self.lines]
        loyalty = self.loyalty
        if not loyalty.discount_minor:
            return tuple(totals)
        if loyalty.reward_lines and 0 < loyalty.reward_minor <= loyalty.discount_minor:
            covered = [t if i in loyalty.reward_lines else 0 for i, t in enumerate(totals)]
            if sum(covered) >= loyalty.reward_minor:
                off = split_pro_rata(loyalty.reward_minor, covered)
                left = [t - o for t, o in zip(totals, off, strict=True)]
                return split_pro_rata(self.net_paid_minor, left)
        return split_pro_rata(self.net_paid_minor, totals)


@quick_init
@dataclass(frozen=True, slots=True)
class MemberState:
    """What the counter knew of the member when it rang the order up (recorded with the
    order; the ledger re-runs the rules with it)."""

    tier: str
    enrolled_at: datetime | None = None
    birthday: date | None = None
    referrer_id: uuid.UUID | None = None
    purchases_before: int = 0  # the member's qualifying purchases before this order
    stamps: tuple[tuple[str, int], ...] = ()  # (punch card id, stamps held), by card id
    period_spend: tuple[tuple[str, int], ...] = ()  # ("2026-Q4", spend before this order)

    def stamps_on(self, card_id: str) -> int:
        return dict(self.stamps).get(card_id, 0)

    def spend_in(self, period: str) -> int:
        return dict(self.period_spend).get(period, 0)


@quick_init
@dataclass(frozen=True, slots=True)
class Award:
    """Points (or stamps, in a card's wallet) that a rule grants for an order.

    ``rule`` names the rule ("earn", "promo:tuesdays", "birthday") for the receipt and the
    ledger's check; ``line`` is the order line it was earned on, if any; ``amount_minor``
    the spend it stands for (the base earn of each line carries that line's net paid, so
    the order's spend is on the ledger once); ``once`` the key of its derived id, for an
    award that may happen only once per something, and ``at`` the stable time it is dated
    (two kiosks granting it make identical entries, not just the same id)."""

    kind: EntryKind
    points: int
    rule: str
    line: int | None = None
    amount_minor: int = 0
    wallet: str = POINTS
    once: str | None = None
    at: datetime | None = None  # a derived award's stable date (its entry is dated so)

    def id_for(self, member_id: uuid.UUID) -> uuid.UUID | None:
        return None if self.once is None else derived_id(member_id, self.once)


@quick_init
@dataclass(frozen=True, slots=True)
class CouponIssue:
    """A coupon a rule issues: what it is worth is the rule's (``coupons[]`` by id, in the
    program version that issued it); its id is derived from ``once`` (a coupon per
    period, per full punch card, ...), so two kiosks issuing it offline issue one."""

    rule: str
    once: str
    valid_from: datetime
    expires_at: datetime

    def id_for(self, member_id: uuid.UUID) -> uuid.UUID:
        return derived_id(member_id, self.once)


@quick_init
@dataclass(frozen=True, slots=True)
class Awards:
    """Everything the rules grant for one order, in a fixed order (the ledger compares)."""

    awards: tuple[Award, ...] = ()
    applied: tuple[str, ...] = ()  # the promotions that applied, for the preview/receipt
    coupons: tuple[CouponIssue, ...] = ()

    def __iter__(self) -> Iterator[Award]:
        return iter(self.awards)

    @property
    def points(self) -> int:
        return sum([a.points for a in self.awards if a.wallet == POINTS])


def split_pro_rata(total: int, weights: Sequence[int]) -> tuple[int, ...]:
    """``total`` split in proportion to ``weights`` in whole units (largest remainder; ties
    to the earlier weight): the parts add up to ``total`` exactly."""
    whole = sum(weights)
    if not weights:
        return ()
    if whole <= 0:
        return (total,) + (0,) * (len(weights) - 1) if total else (0,) * len(weights)
    parts, remainders = [], []
    for w in weights:
        part, remainder = divmod(total * w, whole)
        parts.append(part)
        remainders.append(remainder)
    rest = total - sum(parts)
    if rest:  # a stable sort keeps the earlier weight first among equal remainders
        for i in sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)[:rest]:
            parts[i] += 1
    return tuple(parts)

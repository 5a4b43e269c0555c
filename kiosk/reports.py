"""The program's numbers, as a store owner reads them: enrolment, member and non-member
baskets, the members' share of revenue, the redemption rate and the repeat rate, for a
range of the store's days.

Pure: the ledger (``sync/server/reports.py``) aggregates its orders, entries and members in
the database into the plain rows below, and :func:`program_report` turns them into the
report. Money is integer minor units; averages and rates are ``Decimal`` rounded half-even
once, at the end (:data:`AVERAGE_PLACES`, :data:`RATE_PLACES`); a number that would divide
by zero is ``None``, never a crash and never a made-up 0.

The range is of dates a person means: ``[start, end)`` in the program's time zone, so
"March" is ``2027-03-01`` to ``2027-04-01`` and starts at Taipei's midnight, not UTC's.
Everything is counted by the date it carries (an order's or entry's ``occurred_at``, a
member's ``enrolled_at``), not by when it reached the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

from kiosk.limits import EARLIEST, LATEST

AVERAGE_PLACES = Decimal("0.01")  # averages: minor units (or items) to two places
RATE_PLACES = Decimal("0.0001")  # rates and shares: 0.1234 is 12.34%

# Points that are "issued" (given to members) and "redeemed" (spent on rewards), by the
# kind of the entry (for a reversal: the kind of the entry it reverses).
ISSUED_KINDS = frozenset({"earn", "bonus"})
REDEEMED_KINDS = frozenset({"redeem"})
EXPIRED_KINDS = frozenset({"expire"})

# The widest range whose midnights, in any zone (UTC-12 to UTC+14), are times the ledger
# stores (kiosk.limits: 1970 to 2999).
FIRST_DAY = (EARLIEST + timedelta(days=1)).date()
LAST_DAY = (LATEST - timedelta(days=1)).date()


class PeriodProblem(ValueError):
    """A range of days the report can't be made for; the message names the problem."""


@dataclass(frozen=True, slots=True)
class Period:
    """The store's days ``start`` up to, not including, ``end``, in the time zone ``zone``
    (an IANA name, the program's ``timezone``). Made by :func:`period`."""

    start: date
    end: date
    zone: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def instants(self) -> tuple[datetime, datetime]:
        """The range as UTC times, ``[first, last)``: local midnight at each end (the
        first moment of the day, where a zone's clocks skip midnight)."""
        zone = ZoneInfo(self.zone)
        return (datetime.combine(self.start, time(), zone).astimezone(UTC),
                datetime.combine(self.end, time(), zone).astimezone(UTC))


def period(start: date, end: date, zone: str) -> Period:
    """The range ``[start, end)``; :class:`PeriodProblem` if ``end`` is not after
    ``start`` or either is outside the dates the ledger keeps."""
    for name, day in (("from", start), ("to", end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise PeriodProblem(f"{name}: {day.isoformat()} is outside the dates the ledger "
                                f"keeps ({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})")
    if end <= start:
        raise PeriodProblem(f"to ({end.isoformat()}) must be after from ({start.isoformat()}); "
                            "the range is [from, to): from the first day up to, not "
                            "including, the day after the last")
    ZoneInfo(zone)  # an unknown zone is a bug upstream (the program validates it): raise
    return Period(start, end, zone)


# -- the rows the ledger aggregates ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OrderTotals:
    """The orders of one channel, of members (``member``) or of non-members, dated in the
    range: how many, what was paid for them in money and how many items they held."""

    channel: str
    member: bool
    orders: int
    net_paid_minor: int
    items: int


@dataclass(frozen=True, slots=True)
class PointTotals:
    """The net points of entries dated in the range whose kind, or for a reversal the kind
    of the entry it reverses, is ``kind`` (a refund's reversal of an earn counts as earn)."""

    kind: str
    points: int


@dataclass(frozen=True, slots=True)
class Buyers:
    """``members`` members had exactly ``orders`` orders dated in the range."""

    orders: int
    members: int


@dataclass(frozen=True, slots=True)
class Enrolments:
    """``members`` members enrolled on ``channel`` in the range."""

    channel: str
    members: int


# -- the report -----------------------------------------------------------------------------

def ratio(part: int, whole: int, places: Decimal = RATE_PLACES) -> Decimal | None:
    """``part / whole`` rounded half-even to ``places``; None when ``whole`` is 0."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(places, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class Basket:
    """One group's orders (members' or non-members'):

    * ``orders``: orders dated in the range (each (channel, order ref) once; a refund
      doesn't remove one: the ledger learns of refunds only as points given back);
    * ``net_paid_minor``: what was paid for them in money, in minor units: the lines'
      total less what a reward, coupon or points took off (``Order.net_paid_minor``);
    * ``items``: the quantities of their lines added up (a keyed amount is one line of
      one item);
    * ``average_net_minor``: ``net_paid_minor / orders``, in minor units to two places;
    * ``items_per_order``: ``items / orders``, to two places.

    The averages are None for a group with no orders.
    """

    orders: int
    net_paid_minor: int
    items: int

    @property
    def average_net_minor(self) -> Decimal | None:
        return ratio(self.net_paid_minor, self.orders, AVERAGE_PLACES)

    @property
    def items_per_order(self) -> Decimal | None:
        return ratio(self.items, self.orders, AVERAGE_PLACES)


def basket(rows: Iterable[OrderTotals]) -> Basket:
    """The rows' orders, money and items added up (a plain sum: one group's rows)."""
    orders = net = items = 0
    for row in rows:
        orders, net, items = orders + row.orders, net + row.net_paid_minor, items + row.items
    return Basket(orders, net, items)


def member_share(members: Basket, non_members: Basket) -> Decimal | None:
    """The members' share of revenue: members' net paid / everyone's net paid (None if
    nothing was paid)."""
    return ratio(members.net_paid_minor, members.net_paid_minor + non_members.net_paid_minor)


@dataclass(frozen=True, slots=True)
class ChannelFigures:
    """One channel's part (a kiosk's device id, or ``web`` for the shop): its members' and
    non-members' baskets, the members' share of its revenue and the members it enrolled."""

    channel: str
    members: Basket
    non_members: Basket
    enrolled: int

    @property
    def member_share_of_revenue(self) -> Decimal | None:
        return member_share(self.members, self.non_members)


@dataclass(frozen=True, slots=True)
class ProgramReport:
    """The program's numbers for the store's days ``period.start`` to ``period.end``
    (exclusive), in its time zone.

    * ``enrolled``: members whose enrolment is dated in the range (members known only by
      another store's card, whose profile hasn't arrived, are counted once it has);
    * ``members`` / ``non_members``: the two groups' baskets (:class:`Basket`);
    * ``member_share_of_revenue``: members' net paid / all net paid;
    * ``points_issued``: points given by earn and bonus entries (sales, sign-up,
      promotions, birthdays, ...) dated in the range, less the reversals of such entries
      dated in the range (refunds); adjustments are not counted;
    * ``points_redeemed``: points spent by redeem entries dated in the range, as a positive
      number, less the reversals of redemptions dated in the range;
    * ``points_expired``: points taken by expiry entries dated in the range, positive;
    * ``redemption_rate``: ``points_redeemed / points_issued``; None unless some points
      were issued (it may pass 1: members spend points earned before the range);
    * ``buying_members``: members with at least one order dated in the range;
      ``repeat_members``: those with two or more;
    * ``repeat_rate``: ``repeat_members / buying_members``;
    * ``channels``: the same order figures and enrolments per channel, by channel name.

    Rates and shares are fractions to four places (0.1234 is 12.34%).
    """

    period: Period
    enrolled: int
    members: Basket
    non_members: Basket
    points_issued: int
    points_redeemed: int
    points_expired: int
    buying_members: int
    repeat_members: int
    channels: tuple[ChannelFigures, ...]

    @property
    def member_share_of_revenue(self) -> Decimal | None:
        return member_share(self.members, self.non_members)

    @property
    def redemption_rate(self) -> Decimal | None:
        if self.points_issued <= 0:
            return None
        return ratio(self.points_redeemed, self.points_issued)

    @property
    def repeat_rate(self) -> Decimal | None:
        return ratio(self.repeat_members, self.buying_members)


def program_report(span: Period, *, orders: Sequence[OrderTotals],
                   points: Sequence[PointTotals], buyers: Sequence[Buyers],
                   enrolments: Sequence[Enrolments]) -> ProgramReport:
    """The report from the ledger's aggregates for ``span`` (rows may come in any order;
    two rows for one key add up)."""
    channels = sorted({r.channel for r in orders} | {r.channel for r in enrolments})
    figures = tuple(ChannelFigures(
        channel,
        basket(r for r in orders if r.channel == channel and r.member),
        basket(r for r in orders if r.channel == channel and not r.member),
        sum(r.members for r in enrolments if r.channel == channel))
        for channel in channels)

    def net(kinds: frozenset[str]) -> int:
        return sum(r.points for r in points if r.kind in kinds)

    return ProgramReport(
        period=span,
        enrolled=sum(r.members for r in enrolments),
        members=basket(r for r in orders if r.member),
        non_members=basket(r for r in orders if not r.member),
        points_issued=net(ISSUED_KINDS),
        points_redeemed=-net(REDEEMED_KINDS),
        points_expired=-net(EXPIRED_KINDS),
        buying_members=sum(r.members for r in buyers if r.orders >= 1),
        repeat_members=sum(r.members for r in buyers if r.orders >= 2),
        channels=figures)

"""The store owner's program report on the ledger (``GET /v1/reports/program``, ``kiosk
ledger report``): four aggregate queries over orders, entries and members, run in the
database (one snapshot on PostgreSQL), whose rows :func:`kiosk.reports.program_report`
turns into the numbers; the numbers are defined there.

The queries are SQLAlchemy Core and run on PostgreSQL and on the embedded ledger's SQLite;
only the items of an order, which live in the order's record (JSON text), are read with
each database's own JSON functions. Orders and entries are chosen by the date they carry
(``occurred_at``), between the range's local midnights in the program's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from pydantic import Field
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Table,
    case,
    cast,
    column,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB

from kiosk.ledger import EntryKind
from kiosk.reports import (
    Basket,
    Buyers,
    ChannelFigures,
    Enrolments,
    OrderTotals,
    PeriodProblem,
    PointTotals,
    ProgramReport,
    period,
    program_report,
)
from sync.server import models as m
from sync.server.calls import Caller, LedgerRefusal
from sync.server.entry_rows import ENTRIES
from sync.server.ledger import Ledger
from sync.server.middleware import caller_of
from sync.server.openapi import refusals
from sync.server.orders import ORDERS
from sync.wire_types import Wire

MEMBERS: Table = m.Member.__table__  # type: ignore[assignment]


# -- the queries ----------------------------------------------------------------------------

def _items(conn: Connection) -> ColumnElement[Any]:
    """The items of the order on the current ``orders`` row: its lines' quantities added up,
    read from the record's JSON (``{"order": {"lines": [{"quantity": n, ...}]}}``)."""
    o = ORDERS.c
    if conn.dialect.name == "postgresql":
        pg_lines = (func.jsonb_array_elements(cast(o.record, JSONB)["order"]["lines"])
                    .table_valued(column("value", JSONB)).alias("line"))
        quantity: ColumnElement[Any] = cast(pg_lines.c.value["quantity"].astext, BigInteger)
        lines: Any = pg_lines
    else:
        lines = func.json_each(o.record, "$.order.lines").table_valued("value").alias("line")
        quantity = func.json_extract(lines.c.value, "$.quantity")
    return (select(func.coalesce(func.sum(quantity), 0)).select_from(lines)
            .scalar_subquery())


def order_totals(conn: Connection, first: datetime, last: datetime) -> list[OrderTotals]:
    """Orders dated in ``[first, last)`` by channel, members' apart from non-members'."""
    o = ORDERS.c
    member = case((o.member_id.is_(None), 0), else_=1).label("member")
    each = (select(o.channel, member, o.net_paid_minor, _items(conn).label("item_count"))
            .where(o.occurred_at >= first, o.occurred_at < last).subquery())
    rows = conn.execute(select(each.c.channel, each.c.member, func.count(),
                                func.sum(each.c.net_paid_minor), func.sum(each.c.item_count))
                        .group_by(each.c.channel, each.c.member))
    return [OrderTotals(channel, bool(is_member), int(n), int(net or 0), int(items or 0))
            for channel, is_member, n, net, items in rows]


def point_totals(conn: Connection, first: datetime, last: datetime) -> list[PointTotals]:
    """Net points of entries dated in ``[first, last)`` by kind, a reversal counted under
    the kind of the entry it reverses."""
    e, original = ENTRIES.alias("e"), ENTRIES.alias("original")
    kind = case((e.c.kind == EntryKind.REVERSE.value, original.c.kind),
                else_=e.c.kind).label("kind")
    rows = conn.execute(select(kind, func.sum(e.c.points))
                        .select_from(e.outerjoin(original, e.c.reverses == original.c.id))
                        .where(e.c.occurred_at >= first, e.c.occurred_at < last)
                        .group_by(kind))
    return [PointTotals(str(k), int(points or 0)) for k, points in rows if k is not None]


def buyers(conn: Connection, first: datetime, last: datetime) -> list[Buyers]:
    """How many members had each number of orders dated in ``[first, last)``."""
    o = ORDERS.c
    per_member = (select(o.member_id, func.count().label("orders"))
                  .where(o.member_id.is_not(None), o.occurred_at >= first,
                         o.occurred_at < last)
                  .group_by(o.member_id).subquery())
    rows = conn.execute(select(per_member.c.orders, func.count())
                        .group_by(per_member.c.orders))
    return [Buyers(int(orders), int(members)) for orders, members in rows]


def enrolments(conn: Connection, first: datetime, last: datetime) -> list[Enrolments]:
    """Members enrolled in ``[first, last)`` by the channel that enrolled them; members
    known only by a card (their profile and true enrolment not arrived) are left out."""
    c = MEMBERS.c
    rows = conn.execute(select(c.channel, func.count())
                        .where(c.enrolled_at >= first, c.enrolled_at < last,
                               c.profile_pending.is_(False))
                        .group_by(c.channel))
    return [Enrolments(channel, int(n)) for channel, n in rows]


@dataclass(frozen=True, slots=True)
class ReportOf:
    """A report with what it takes to read its money (the program's currency)."""

    report: ProgramReport
    currency: str
    minor_units: int


def read_program_report(ledger: Ledger, start: date, end: date) -> ReportOf:
    """The report for the store's days ``[start, end)`` in the current program's time
    zone; :class:`kiosk.reports.PeriodProblem` for a range it can't be made for."""
    with ledger.engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # the four queries see one moment
            conn.execution_options(isolation_level="REPEATABLE READ")
        program = ledger.current_program(conn)
        span = period(start, end, program.timezone)
        first, last = span.instants()
        report = program_report(span, orders=order_totals(conn, first, last),
                                points=point_totals(conn, first, last),
                                buyers=buyers(conn, first, last),
                                enrolments=enrolments(conn, first, last))
    return ReportOf(report, program.currency, program.minor_units)


# -- on the wire ----------------------------------------------------------------------------

Rate = Annotated[Decimal | None, Field(description="a fraction to four places (0.1234 is "
                                                   "12.34%); null when it would divide by 0")]


class BasketWire(Wire):
    """One group's orders in the range (kiosk.reports.Basket)."""

    orders: int
    net_paid_minor: int = Field(description="what was paid in money, minor units")
    items: int
    average_net_minor: Decimal | None = Field(
        description="net paid per order, minor units to two places; null with no orders")
    items_per_order: Decimal | None

    @classmethod
    def of(cls, b: Basket) -> BasketWire:
        return cls(orders=b.orders, net_paid_minor=b.net_paid_minor, items=b.items,
                   average_net_minor=b.average_net_minor, items_per_order=b.items_per_order)


class ChannelReportWire(Wire):
    channel: str
    enrolled: int
    members: BasketWire
    non_members: BasketWire
    member_share_of_revenue: Rate

    @classmethod
    def of(cls, c: ChannelFigures) -> ChannelReportWire:
        return cls(channel=c.channel, enrolled=c.enrolled, members=BasketWire.of(c.members),
                   non_members=BasketWire.of(c.non_members),
                   member_share_of_revenue=c.member_share_of_revenue)


class ProgramReportWire(Wire):
    """The program's numbers for the store's days ``from`` up to, not including, ``to``,
    in the program's time zone; each is defined in ``kiosk/reports.py``
    (``ProgramReport``) and in the README."""

    start: date = Field(alias="from")
    end: date = Field(alias="to", description="the day after the last day counted")
    zone: str
    currency: str
    minor_units: int
    enrolled: int
    members: BasketWire
    non_members: BasketWire
    member_share_of_revenue: Rate
    points_issued: int
    points_redeemed: int
    points_expired: int
    redemption_rate: Rate
    buying_members: int
    repeat_members: int
    repeat_rate: Rate
    channels: list[ChannelReportWire]

    @classmethod
    def of(cls, found: ReportOf) -> ProgramReportWire:
        r, span = found.report, found.report.period
        return cls.model_validate({
            "from": span.start, "to": span.end, "zone": span.zone,
            "currency": found.currency, "minor_units": found.minor_units,
            "enrolled": r.enrolled, "members": BasketWire.of(r.members),
            "non_members": BasketWire.of(r.non_members),
            "member_share_of_revenue": r.member_share_of_revenue,
            "points_issued": r.points_issued, "points_redeemed": r.points_redeemed,
            "points_expired": r.points_expired, "redemption_rate": r.redemption_rate,
            "buying_members": r.buying_members, "repeat_members": r.repeat_members,
            "repeat_rate": r.repeat_rate,
            "channels": [ChannelReportWire.of(c) for c in r.channels]})


# -- the route ------------------------------------------------------------------------------

async def _back_office(request: Request) -> Caller:
    """The report is the back office's, as the ledger's other reports: chain-wide revenue
    is not for a kiosk's or the shop's token."""
    who = caller_of(request)
    if who.kind != "admin":
        raise LedgerRefusal(403, "forbidden", "this is the back office's call")
    return who


def add_program_report_route(app: FastAPI, ledger: Ledger) -> None:
    """Serve ``GET /v1/reports/program`` on ``app`` (a route of the app itself, as the
    others are: the tests that go over every route find it)."""

    @app.get("/v1/reports/program", responses=refusals(403, 422))
    def program_numbers(
            who: Annotated[Caller, Depends(_back_office)],
            start: Annotated[date, Query(alias="from", description=(
                "the first store day counted, YYYY-MM-DD, in the program's time zone"))],
            end: Annotated[date, Query(alias="to", description=(
                "the day after the last day counted, YYYY-MM-DD (the range is "
                "[from, to))"))],
    ) -> ProgramReportWire:
        """The loyalty program's numbers for a range of store days: enrolment, member and
        non-member orders, revenue and baskets, the members' share of revenue, points
        issued and redeemed and the redemption rate, the repeat rate, per channel too.
        A range that is empty, backwards or outside 1970-2999 is a 422 naming it."""
        try:
            return ProgramReportWire.of(read_program_report(ledger, start, end))
        except PeriodProblem as exc:
            raise LedgerRefusal(422, "invalid_range", str(exc)) from None

"""The store owner's program report on the ledger (sync/server/reports.py), on PostgreSQL
and on the embedded ledger's SQLite: a month of members and walk-ins uploaded by two tills
as the counter uploads them (orders with their entries, sign-up bonuses, redemptions, a
refund), then the numbers the owner reads, exactly; the month's edges are Taipei's
midnights, not UTC's. Then the same over HTTP (`GET /v1/reports/program`, the back
office's call) and from the command line (`kiosk ledger report`), and bad ranges refused
with the problem named."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from kiosk.awards import order_entries, record_for
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.engine.refunds import Refund, rest_of
from kiosk.ids import new_id
from kiosk.ledger import Entry, EntryKind, reversal
from kiosk.program import Program, parse_program
from kiosk.reports import Basket, PeriodProblem
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from sync.server.db import ledger_engine
from sync.server.ledger import Caller, Ledger
from sync.server.reports import ProgramReportWire, read_program_report
from sync.wire_orders import RefundWire
from tests.helpers.cli import kiosk, kiosk_json
from tests.helpers.ledger_process import LedgerProcess, postgres_database, start_ledger

TAIPEI = ZoneInfo("Asia/Taipei")
TILL_1, TILL_2 = Caller("till-1", "kiosk"), Caller("till-2", "kiosk")

# The program of these tests, whatever the shipped one becomes: 1 point per NT$100, one
# tier, a sign-up bonus of 50, a coffee for 60 points.
PROGRAM = """
schema = 1
version = "2026.3-report"
currency = "TWD"
minor_units = 0
timezone = "Asia/Taipei"
signup_bonus = 50
tier_window_days = 365
name = { en = "Report", zh-TW = "報表", zh-CN = "报表" }
[earn]
points = 1
per = 100
rounding = "floor"
[[tiers]]
id = "bronze"
names = { en = "Bronze", zh-TW = "銅卡", zh-CN = "铜卡" }
min_spend = 0
multiplier = 1
[[rewards]]
id = "coffee"
kind = "free_item"
item = "Americano"
cost = 60
names = { en = "Free americano", zh-TW = "免費美式咖啡", zh-CN = "免费美式咖啡" }
[offline]
max_points_per_redemption = 500
max_points_per_member_per_day = 600
max_consecutive_redemptions = 200
[limits]
max_sale_amount = 500000
max_adjustment_points = 100000
"""


def taipei(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TAIPEI).astimezone(UTC)


@dataclass
class Till:
    """What one till uploads, as its sync agent would: members, orders, entries."""

    caller: Caller
    program: Program
    members: list[MemberWire] = field(default_factory=list)
    orders: list[OrderWire] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    refunds: list[RefundWire] = field(default_factory=list)

    def enrol(self, name: str, at: datetime) -> MemberWire:
        person = MemberWire(id=new_id(), name=name, phone=f"09{uuid.uuid4().int % 10**8:08d}",
                            enrolled_at=at, channel=self.caller.device_id, consent=True)
        self.members.append(person)
        self.entries.append(Entry(new_id(), person.id, EntryKind.BONUS,
                                  self.program.signup_bonus, self.caller.device_id, at,
                                  self.program.version, note="signup"))
        return person

    def sell(self, ref: str, at: datetime, lines: tuple[OrderLine, ...],
             member: MemberWire | None = None) -> tuple[Entry, ...]:
        order = Order(self.caller.device_id, ref, at, lines,
                      None if member is None else member.id)
        state = None if member is None else MemberState("bronze", member.enrolled_at)
        record = record_for(self.program, order, state)
        self.orders.append(OrderWire.of(record))
        made = order_entries(record, new_id=new_id, staff=None)
        self.entries += made
        return made

    def redeem(self, member: MemberWire, at: datetime) -> None:
        self.entries.append(Entry(new_id(), member.id, EntryKind.REDEEM, -60,
                                  self.caller.device_id, at, self.program.version,
                                  reward_id="coffee"))

    def refund(self, sale: Entry, at: datetime) -> None:
        """Every line of the sale's order, the refund kept beside its reversal."""
        [order] = [w.to_record().order for w in self.orders if w.order_ref == sale.order_ref]
        self.refunds.append(RefundWire.of(Refund(new_id(), self.caller.device_id,
                                                 order.order_ref, at, rest_of(order, {}))))
        self.entries.append(reversal(sale, id=new_id(), occurred_at=at,
                                     channel=self.caller.device_id,
                                     program_version=self.program.version, note="refund"))

    def upload(self, ledger: Ledger) -> None:
        answer = ledger.upload(self.caller, UploadRequest(
            members=self.members, orders=self.orders, refunds=self.refunds,
            entries=[EntryWire.of(e, device_seq=i + 1) for i, e in enumerate(self.entries)]))
        assert {r.status for r in answer.results} == {"accepted"}, answer.results


def tea(n: int) -> OrderLine:
    return OrderLine("TEA", n, 250, "tea")


def one(code: str, price: int, n: int = 1) -> OrderLine:
    return OrderLine(code, n, price)


def seed_march(ledger: Ledger) -> None:
    """March 2026 at two tills, with a day either side of it.

    Enrolled in March: Amy, Ben, Dee (Dee at 23:30 on the 31st, Taipei); Cat in
    February; Eve at 00:10 on April 1st, Taipei, which is still March 31st in UTC.
    Members' March orders: Amy twice (NT$800 for 3 items; NT$1,200 for 1), Ben once at
    till 2 (NT$300, 3 items; refunded), Cat once at 00:05 on March 1st (NT$1,000);
    Cat's February order (23:55 on the 28th) is not March's. Walk-ins: NT$300 (2 items)
    at till 1, NT$700 at till 2, and one at midnight of April 1st, not March's.
    Points: 3 sign-ups (150) + 8 + 12 + 3 + 10 earned - 3 refunded = 180 issued; Amy and
    Cat each redeem a coffee: 120 redeemed.
    """
    program = parse_program(PROGRAM)
    # Published in January: the version in force when the orders are dated (an order under
    # a version that took effect after its date is refused).
    Ledger(ledger.engine, lambda: taipei(1, 1)).publish_program(program)
    ledger.add_device(TILL_2.device_id, "kiosk")
    one_, two = Till(TILL_1, program), Till(TILL_2, program)
    cat = one_.enrol("Cat", taipei(2, 15))
    amy = one_.enrol("Amy", taipei(3, 2))
    ben = one_.enrol("Ben", taipei(3, 10))
    one_.enrol("Dee", taipei(3, 31, 23, 30))
    one_.enrol("Eve", datetime(2026, 4, 1, 0, 10, tzinfo=TAIPEI).astimezone(UTC))
    one_.sell("C-0", taipei(2, 28, 23, 55), (one("CAKE", 500),), cat)
    one_.sell("C-1", datetime(2026, 3, 1, 0, 5, tzinfo=TAIPEI).astimezone(UTC),
              (one("BEANS", 1000),), cat)
    one_.sell("A-1", taipei(3, 5), (tea(2), one("CAKE", 300)), amy)
    one_.sell("A-2", taipei(3, 20), (one("KETTLE", 1200),), amy)
    one_.sell("W-1", taipei(3, 6), (one("MUG", 150, 2),))
    one_.redeem(amy, taipei(3, 21))
    one_.redeem(cat, taipei(3, 25))
    one_.upload(ledger)
    [ben_sale] = two.sell("B-1", taipei(3, 11), (one("COOKIE", 100, 3),), ben)
    two.refund(ben_sale, taipei(3, 12))
    two.sell("W-2", taipei(3, 7), (one("TEAPOT", 700),))
    two.sell("W-3", datetime(2026, 4, 1, 0, 0, tzinfo=TAIPEI).astimezone(UTC),
             (one("TEAPOT", 999),))
    two.upload(ledger)


def test_the_owners_march_exactly(ledger: Ledger) -> None:
    seed_march(ledger)
    report = read_program_report(ledger, date(2026, 3, 1), date(2026, 4, 1)).report
    assert report.enrolled == 3
    assert report.members == Basket(4, 3300, 8)
    assert (report.members.average_net_minor, report.members.items_per_order) == (
        Decimal("825.00"), Decimal("2.00"))
    assert report.non_members == Basket(2, 1000, 3)
    assert (report.non_members.average_net_minor, report.non_members.items_per_order) == (
        Decimal("500.00"), Decimal("1.50"))
    assert report.member_share_of_revenue == Decimal("0.7674")
    assert (report.points_issued, report.points_redeemed, report.points_expired) == (
        180, 120, 0)
    assert report.redemption_rate == Decimal("0.6667")
    assert (report.buying_members, report.repeat_members, report.repeat_rate) == (
        3, 1, Decimal("0.3333"))
    till_1, till_2 = report.channels
    assert (till_1.channel, till_1.enrolled, till_1.members, till_1.non_members) == (
        "till-1", 3, Basket(3, 3000, 5), Basket(1, 300, 2))
    assert (till_2.channel, till_2.enrolled, till_2.members, till_2.non_members) == (
        "till-2", 0, Basket(1, 300, 3), Basket(1, 700, 1))
    assert (till_1.member_share_of_revenue, till_2.member_share_of_revenue) == (
        Decimal("0.9091"), Decimal("0.3000"))


def test_a_single_day_and_the_day_after_the_month(ledger: Ledger) -> None:
    seed_march(ledger)
    first = read_program_report(ledger, date(2026, 3, 1), date(2026, 3, 2)).report
    assert (first.members, first.non_members, first.enrolled) == (
        Basket(1, 1000, 1), Basket(0, 0, 0), 0)  # Cat's order at 00:05
    assert (first.points_issued, first.points_redeemed, first.redemption_rate) == (
        10, 0, Decimal("0.0000"))
    april = read_program_report(ledger, date(2026, 4, 1), date(2026, 4, 2)).report
    assert (april.enrolled, april.members, april.non_members) == (
        1, Basket(0, 0, 0), Basket(1, 999, 1))  # Eve, and the walk-in at midnight
    assert (april.points_issued, april.member_share_of_revenue, april.repeat_rate) == (
        50, Decimal("0.0000"), None)


def test_an_empty_range_has_no_averages_or_rates(ledger: Ledger) -> None:
    seed_march(ledger)
    report = read_program_report(ledger, date(2025, 1, 1), date(2025, 2, 1)).report
    assert (report.enrolled, report.members, report.non_members, report.channels) == (
        0, Basket(0, 0, 0), Basket(0, 0, 0), ())
    assert (report.member_share_of_revenue, report.redemption_rate, report.repeat_rate,
            report.members.average_net_minor) == (None, None, None, None)


@pytest.mark.parametrize(("start", "end"), [(date(2026, 3, 2), date(2026, 3, 1)),
                                            (date(2026, 3, 1), date(2026, 3, 1)),
                                            (date(1, 1, 1), date(2026, 3, 1))])
def test_a_backwards_empty_or_unkept_range_is_refused(ledger: Ledger, start: date,
                                                      end: date) -> None:
    with pytest.raises(PeriodProblem):
        read_program_report(ledger, start, end)


# -- over HTTP and from the command line ----------------------------------------------------

@pytest.fixture(scope="module", params=["postgres", "sqlite"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[LedgerProcess, str]]:
    """A real ledger process with March on it, and the back office's token (one per
    database for the module: the calls only read)."""
    folder = tmp_path_factory.mktemp("ledger")
    with ExitStack() as stack:
        url = (stack.enter_context(postgres_database()) if request.param == "postgres"
               else f"sqlite:///{folder / 'ledger.db'}")
        process = start_ledger(url, folder)
        stack.callback(process.kill)
        engine = ledger_engine(url)
        try:
            books = Ledger(engine, lambda: datetime.now(UTC))
            books.add_device(TILL_1.device_id, "kiosk")
            seed_march(books)
        finally:
            engine.dispose()
        yield process, process.add_device("office", "admin")


def get(process: LedgerProcess, token: str, **query: str) -> requests.Response:
    return requests.get(f"{process.url}/v1/reports/program", params=query, timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


def test_the_back_office_reads_march_over_http(served: tuple[LedgerProcess, str]) -> None:
    process, token = served
    answer = get(process, token, **{"from": "2026-03-01", "to": "2026-04-01"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    ProgramReportWire.model_validate(body)
    assert {k: body[k] for k in ("from", "to", "zone", "currency", "enrolled",
                                 "member_share_of_revenue", "points_issued",
                                 "points_redeemed", "redemption_rate", "repeat_rate")} == {
        "from": "2026-03-01", "to": "2026-04-01", "zone": "Asia/Taipei", "currency": "TWD",
        "enrolled": 3, "member_share_of_revenue": "0.7674", "points_issued": 180,
        "points_redeemed": 120, "redemption_rate": "0.6667", "repeat_rate": "0.3333"}
    assert body["members"] == {"orders": 4, "net_paid_minor": 3300, "items": 8,
                               "average_net_minor": "825.00", "items_per_order": "2.00"}
    assert [c["channel"] for c in body["channels"]] == ["till-1", "till-2"]
    kiosk_token = process.add_device("till-9", "kiosk")
    refused = get(process, kiosk_token, **{"from": "2026-03-01", "to": "2026-04-01"})
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")


@pytest.mark.parametrize(("query", "names"), [
    ({"from": "2026-03-01"}, "to"),
    ({"from": "2026-02-30", "to": "2026-04-01"}, "from"),
    ({"from": "March", "to": "2026-04-01"}, "from"),
    ({"from": "2026-04-01", "to": "2026-03-01"}, "must be after from"),
    ({"from": "0001-01-01", "to": "2026-03-01"}, "outside the dates the ledger keeps"),
])
def test_a_bad_range_is_a_422_naming_the_problem(served: tuple[LedgerProcess, str],
                                                 query: dict[str, str], names: str) -> None:
    process, token = served
    answer = get(process, token, **query)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    said = body.get("message") or " ".join(str(i["loc"]) for i in body["detail"])
    assert names in said, body


def test_the_command_prints_the_month_and_refuses_bad_dates(tmp_path: Path) -> None:
    data = tmp_path / "office"
    kiosk(data, "ledger", "check")  # the embedded ledger's SQLite in the data folder
    engine = ledger_engine(f"sqlite:///{data / 'ledger.db'}")
    try:
        books = Ledger(engine, lambda: datetime.now(UTC))
        books.add_device(TILL_1.device_id, "kiosk")
        seed_march(books)
    finally:
        engine.dispose()
    body = kiosk_json(data, "ledger", "report", "--from", "2026-03-01", "--to", "2026-04-01")
    assert (body["enrolled"], body["members"]["net_paid_minor"], body["redemption_rate"],
            body["repeat_rate"]) == (3, 3300, "0.6667", "0.3333")
    text = kiosk(data, "ledger", "report", "--from", "2026-03-01", "--to", "2026-04-01").stdout
    assert "Program report, 2026-03-01 to 2026-03-31 inclusive (Asia/Taipei)" in text
    assert "Members: 4 orders, TWD 3,300 paid, average basket TWD 825.00" in text
    assert "redemption rate 66.67%" in text
    for args, says in [(("--from", "2026-03-01", "--to", "2026-3-31"), "argument --to: "
                        "'2026-3-31' is not a date (YYYY-MM-DD"),
                       (("--from", "2026-03-31", "--to", "2026-03-01"),
                        "to (2026-03-01) must be after from (2026-03-31)"),
                       (("--to", "2026-03-01"), "--from")]:
        refused = kiosk(data, "ledger", "report", *args, expect=2)
        assert says in refused.stderr and "Traceback" not in refused.stderr, refused.stderr
        error = kiosk_json(data, "ledger", "report", *args, expect=2)["error"]
        assert error["code"] == "usage" and says in error["message"]

"""Orders on the ledger (issue 14; DESIGN, the program engine, points 1-4), over real HTTP
on PostgreSQL and SQLite: a kiosk sends each order's record with the upload that carries
its entries, the ledger keeps it and re-runs the rules with it, refuses what they don't
give, checks once-only bonuses against the member's facts it holds, and hands the order
back to the channel that rang it up."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from kiosk.audit import Rejected
from kiosk.awards import DERIVED_CHANNEL, order_entries, record_for
from kiosk.engine.orders import MemberState, Order, OrderLine, derived_id
from kiosk.engine.record import OrderRecord
from kiosk.ids import new_id
from kiosk.ledger import EntryKind
from kiosk.program import Program, load_program
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from tests.helpers.ledger_process import LedgerProcess, postgres_database
from tests.helpers.program import DOUBLE_AND_BIRTHDAY, program_text

VERSION = "2026.9-orders"
ZONE = ZoneInfo("Asia/Taipei")


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Program]:
    path = tmp_path_factory.mktemp("program") / "orders.toml"
    path.write_text(program_text(DOUBLE_AND_BIRTHDAY, VERSION), encoding="utf-8")
    return path, load_program(path)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                                marks=pytest.mark.postgres)])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           program: tuple[Path, Program]) -> Iterator[LedgerProcess]:
    """One ledger process per database for the module, publishing the program with a
    promotion and a birthday bonus; each test pairs devices of its own."""
    folder = tmp_path_factory.mktemp("ledger")
    with ExitStack() as stack:
        db = (stack.enter_context(postgres_database()) if request.param == "postgres"
              else f"sqlite:///{folder / 'ledger.db'}")
        process = LedgerProcess(db, folder, program=program[0])
        process.start()
        yield process
        process.kill()


class Device:
    """A device paired with the ledger, calling it over HTTP as the kiosk's client does."""

    def __init__(self, ledger: LedgerProcess, kind: str = "kiosk", name: str = "") -> None:
        self.name = name or f"till-{secrets.token_hex(4)}"
        self.url = ledger.url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {ledger.add_device(self.name, kind)}"
        self.seq = 0

    def post(self, body: str | dict[str, Any]) -> requests.Response:
        data = body if isinstance(body, str) else json.dumps(body)
        return self.session.post(self.url + "/v1/upload", data=data,
                                 headers={"Content-Type": "application/json"}, timeout=30)

    def upload(self, request: UploadRequest) -> list[tuple[str, str | None, str | None]]:
        answer = self.post(request.model_dump_json())
        assert answer.status_code == 200, answer.text
        return [(r["status"], r["code"], r["reason"]) for r in answer.json()["results"]]

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.url + path, timeout=30)

    def balance(self, member: uuid.UUID) -> int:
        return int(self.get(f"/v1/members/{member}/balance").json()["balance"])

    def wires(self, entries: tuple[Any, ...]) -> list[EntryWire]:
        out = []
        for e in entries:
            self.seq += 1
            out.append(EntryWire.of(e, device_seq=self.seq))
        return out


def member(birthday: date | None = None, *, channel: str = "till-x") -> MemberWire:
    return MemberWire(id=new_id(), name="林志明", phone="0922333444",
                      enrolled_at=datetime.now(UTC) - timedelta(days=30), channel=channel,
                      birthday=birthday)


def rung_up(program: Program, device: Device, who: MemberWire | None, tier: str = "bronze",
            ref: str | None = None, lines: tuple[OrderLine, ...] | None = None
            ) -> tuple[OrderRecord, list[EntryWire]]:
    """An order as an honest counter rings it up: its record and its entries."""
    order = Order(device.name, ref or f"O-{secrets.token_hex(4)}",
                  datetime.now(UTC) - timedelta(minutes=1),
                  lines or (OrderLine("TEA", 2, 250, "tea"), OrderLine("CAKE", 1, 300, "cake")),
                  None if who is None else who.id)
    state = None if who is None else MemberState(tier, who.enrolled_at, who.birthday)
    record = record_for(program, order, state)
    return record, device.wires(order_entries(record, new_id=new_id, staff=None))


def changed(entry: EntryWire, **changes: Any) -> EntryWire:
    return entry.model_copy(update=changes)


def this_months_birthday() -> date:
    today = datetime.now(ZONE).date()
    return date(1990, today.month, min(today.day, 28))


# -- the honest order ---------------------------------------------------------------------

def test_an_honest_order_is_accepted_and_kept_for_its_channel(served, program):
    till, other = Device(served), Device(served)
    person = member()
    record, entries = rung_up(program[1], till, person)
    assert [(e.kind, e.points, e.note) for e in entries] == [
        ("earn", 8, None), ("bonus", 8, "promo:double")]  # NT$800, doubled
    sent = OrderWire.of(record)
    assert sent.to_record() == record
    request = UploadRequest(members=[person], entries=entries, orders=[sent])
    assert till.upload(request) == [("accepted", None, None)] * 2
    assert till.balance(person.id) == 16

    got = till.get(f"/v1/orders/{till.name}/{record.order.order_ref}")
    assert got.status_code == 200, got.text
    assert OrderWire.model_validate_json(got.content) == sent
    assert OrderWire.model_validate_json(got.content).to_record() == record
    # Another device's order is one it can't see; an unknown one is not there either.
    assert other.get(f"/v1/orders/{till.name}/{record.order.order_ref}").status_code == 404
    assert till.get(f"/v1/orders/{till.name}/NOPE").status_code == 404
    assert till.get(f"/v1/orders/{till.name}/%00").status_code == 422
    assert till.get(f"/v1/orders/{till.name}/{'x' * 65}").status_code == 422

    # A retried upload changes nothing: the order is the same, the entries duplicates.
    assert [r[0] for r in till.upload(request)] == ["duplicate", "duplicate"]
    assert till.balance(person.id) == 16
    assert served.check() == []


def test_a_non_member_order_is_kept_with_no_entries(served, program):
    till = Device(served)
    record, entries = rung_up(program[1], till, None)
    assert entries == []
    assert till.upload(UploadRequest(entries=[], orders=[OrderWire.of(record)])) == []
    got = till.get(f"/v1/orders/{till.name}/{record.order.order_ref}")
    assert OrderWire.model_validate_json(got.content).to_record() == record


def test_the_shop_reads_its_own_orders(served, program):
    shop = Device(served, "shop", name="web")
    person = member(channel="web")
    record, entries = rung_up(program[1], shop, person)
    entries = [changed(e, device_seq=None) for e in entries]
    assert shop.upload(UploadRequest(members=[person], entries=entries,
                                     orders=[OrderWire.of(record)])) == [
        ("accepted", None, None)] * 2
    assert shop.get(f"/v1/orders/web/{record.order.order_ref}").status_code == 200
    assert Device(served).get(f"/v1/orders/web/{record.order.order_ref}").status_code == 404


# -- what the rules don't give --------------------------------------------------------------

def test_inflated_promotion_points_are_refused_with_what_the_rules_give(served, program):
    till = Device(served)
    person = member()
    record, (base, promo) = rung_up(program[1], till, person)
    answers = till.upload(UploadRequest(members=[person], entries=[
        base, changed(promo, points=800)], orders=[OrderWire.of(record)]))
    assert answers[0] == ("accepted", None, None)
    status, code, reason = answers[1]
    assert (status, code) == ("rejected", Rejected.ORDER_AWARDS.value)
    assert "gives 8 points" in (reason or "") and "promo:double" in (reason or "")
    assert till.balance(person.id) == 8
    # The order is kept all the same (it is a fact); its entries are what is refused.
    assert till.get(f"/v1/orders/{till.name}/{record.order.order_ref}").status_code == 200


def test_a_promotion_copied_under_a_new_id_mints_nothing(served, program):
    """Each copy matches the order's rules, so the check passes; the database keeps one
    bonus per rule per order (a stolen token replaying with fresh ids)."""
    till = Device(served)
    person = member()
    record, (base, promo) = rung_up(program[1], till, person)
    till.upload(UploadRequest(members=[person], entries=[base, promo],
                              orders=[OrderWire.of(record)]))
    copies = [changed(promo, id=new_id(), device_seq=till.seq + i) for i in (1, 2)]
    till.seq += 2
    answers = till.upload(UploadRequest(entries=copies))
    assert [(status, code) for status, code, _ in answers] == [
        ("rejected", Rejected.ORDER_RECORDED.value)] * 2
    assert till.balance(person.id) == 16
    assert served.check() == []


def test_entries_that_differ_from_their_order_are_refused(served, program):
    till = Device(served)
    person = member()
    record, (base, promo) = rung_up(program[1], till, person)
    forged = [changed(base, tier="silver", points=12),  # the order says bronze
              changed(promo, tier="silver"),
              changed(base, id=new_id(), note="promo:triple", kind=EntryKind.BONUS, amount_minor=0,
                      device_seq=till.seq + 1)]
    answers = till.upload(UploadRequest(members=[person], entries=forged,
                                        orders=[OrderWire.of(record)]))
    assert [(s, c) for s, c, _ in answers] == [
        ("rejected", Rejected.ORDER_AWARDS.value)] * 3
    assert "tier bronze" in (answers[0][2] or "")
    assert "nothing for 'promo:triple'" in (answers[2][2] or "")
    assert till.balance(person.id) == 0


def test_an_order_at_a_tier_the_member_cannot_hold_is_refused(served, program):
    """The order says gold and its entries agree: the rules give that, but the member's
    spend on the ledger can't have reached gold (the bound kept from before orders)."""
    till = Device(served)
    person = member()
    record, entries = rung_up(program[1], till, person, tier="gold")
    answers = till.upload(UploadRequest(members=[person], entries=entries,
                                        orders=[OrderWire.of(record)]))
    assert answers[0][:2] == ("rejected", Rejected.TIER_NOT_HELD.value)


def test_a_promotion_entry_without_its_order_is_refused(served, program):
    """An older kiosk sends no orders: its sales are audited as before, but a bonus only an
    order's rules give can't be checked without the order."""
    till = Device(served)
    person = member()
    _, (base, promo) = rung_up(program[1], till, person)
    answers = till.upload(UploadRequest(members=[person], entries=[base, promo]))
    assert answers[0] == ("accepted", None, None)  # 8 points for NT$800, as ever
    assert answers[1][:2] == ("rejected", Rejected.BONUS.value)
    assert "upload order" in (answers[1][2] or "")


# -- once-only bonuses under derived ids -----------------------------------------------------

def test_the_same_birthday_bonus_from_two_kiosks_counts_once(served, program):
    one, two = Device(served), Device(served)
    person = member(this_months_birthday(), channel=one.name)  # enrolled where it's sent
    first, entries_one = rung_up(program[1], one, person)
    second, entries_two = rung_up(program[1], two, person)
    gift_one = [e for e in entries_one if e.channel == DERIVED_CHANNEL]
    gift_two = [e for e in entries_two if e.channel == DERIVED_CHANNEL]
    year = datetime.now(ZONE).year
    assert [(g.id, g.points, g.note) for g in gift_one] == [
        (derived_id(person.id, f"birthday:{year}"), 100, f"birthday:{year}")]
    assert [changed(g, device_seq=None) for g in gift_one] == [
        changed(g, device_seq=None) for g in gift_two]

    answers = one.upload(UploadRequest(members=[person], entries=entries_one,
                                       orders=[OrderWire.of(first)]))
    assert [a[0] for a in answers] == ["accepted"] * 3
    answers = two.upload(UploadRequest(entries=entries_two, orders=[OrderWire.of(second)]))
    assert [(e.note, a[0]) for e, a in zip(entries_two, answers, strict=True)] == [
        (None, "accepted"), ("promo:double", "accepted"), (f"birthday:{year}", "duplicate")]
    assert one.balance(person.id) == 16 + 16 + 100
    assert served.check() == []


def test_a_birthday_bonus_the_member_does_not_have_is_refused(served, program):
    till = Device(served)
    person = member(this_months_birthday(), channel=till.name)
    record, entries = rung_up(program[1], till, person)
    [gift] = [e for e in entries if e.channel == DERIVED_CHANNEL]
    early = changed(gift, occurred_at=gift.occurred_at - timedelta(days=1))
    rich = changed(gift, points=1000, device_seq=till.seq + 1)
    till.seq += 1
    answers = till.upload(UploadRequest(members=[person], entries=[early],
                                        orders=[OrderWire.of(record)]))
    answers += till.upload(UploadRequest(entries=[rich]))  # the same id: one a request
    assert [(s, c) for s, c, _ in answers] == [("rejected", Rejected.DERIVED.value)] * 2
    assert "gives 100 points" in (answers[1][2] or "")
    # The ledger's own record of the member decides: not born this month, no bonus.
    other_month = this_months_birthday().replace(month=this_months_birthday().month % 12 + 1)
    stranger = member(other_month, channel=till.name)
    claim = changed(gift, member_id=stranger.id,
                    id=derived_id(stranger.id, gift.note or ""), device_seq=till.seq + 1)
    till.seq += 1
    [answer] = till.upload(UploadRequest(members=[stranger], entries=[claim]))
    assert answer[:2] == ("rejected", Rejected.DERIVED.value)
    assert till.balance(person.id) == till.balance(stranger.id) == 0


# -- refused whole ------------------------------------------------------------------------

def test_an_order_on_another_devices_channel_refuses_the_request(served, program):
    till, other = Device(served), Device(served)
    person = member()
    record, entries = rung_up(program[1], other, person)
    answer = till.post(UploadRequest(members=[person], entries=entries,
                                     orders=[OrderWire.of(record)]).model_dump_json())
    assert answer.status_code == 422
    assert answer.json()["code"] == "wrong_channel"
    assert answer.json()["message"].startswith("orders[0].channel")
    assert other.get(f"/v1/orders/{other.name}/{record.order.order_ref}").status_code == 404
    assert other.balance(person.id) == 0  # nothing of the request was written


def test_an_order_recorded_with_other_content_refuses_the_request(served, program):
    till = Device(served)
    person = member()
    record, entries = rung_up(program[1], till, person, ref="SAME-1")
    assert till.upload(UploadRequest(members=[person], entries=entries,
                                     orders=[OrderWire.of(record)]))[0][0] == "accepted"
    other, more = rung_up(program[1], till, person, ref="SAME-1",
                          lines=(OrderLine("TEA", 9, 250, "tea"),))
    answer = till.post(UploadRequest(entries=more, orders=[OrderWire.of(other)])
                       .model_dump_json())
    assert answer.status_code == 422
    assert answer.json()["code"] == "order_conflict"
    assert "orders[0]" in answer.json()["message"] and "SAME-1" in answer.json()["message"]
    assert till.balance(person.id) == 16  # nothing of the refused request was written


def _order_body(device: Device, **changes: Any) -> dict[str, Any]:
    order: dict[str, Any] = {
        "channel": device.name, "order_ref": "BAD-1", "occurred_at": "2026-12-01T04:00:00Z",
        "lines": [{"code": "TEA", "quantity": 1, "unit_price_minor": 250}],
        "program_version": VERSION}
    order.update(changes)
    return {"entries": [], "orders": [order]}


@pytest.mark.parametrize(("changes", "where"), [
    ({"lines": [{"code": "TEA", "quantity": 1, "unit_price_minor": 2.5}]},
     ["lines", 0, "unit_price_minor"]),
    ({"lines": [{"code": "TEA", "quantity": 1, "unit_price_minor": 1}] * 501}, ["lines"]),
    ({"occurred_at": "2026-12-01T12:00:00"}, ["occurred_at"]),
    ({"channel": "a" * 65}, ["channel"]),
    ({"lines": [{"code": "TEA", "quantity": 10**6, "unit_price_minor": 10**13}]}, ["lines"]),
    ({"colour": "red"}, ["colour"]),
    ({"state": {"tier": "gold", "purchases_before": -1}}, ["state", "purchases_before"]),
])
def test_a_bad_order_is_a_422_naming_the_field(served, changes, where):
    answer = Device(served).post(_order_body(Device(served), **changes))
    assert answer.status_code == 422, answer.text
    assert ["body", "orders", 0, *where] in [d["loc"] for d in answer.json()["detail"]]


# -- older kiosks -----------------------------------------------------------------------------

def test_an_upload_without_orders_goes_up_and_is_answered_as_before(served, program):
    till = Device(served)
    person = member()
    sale = EntryWire(id=new_id(), member_id=person.id, kind="earn", points=5,
                     amount_minor=500, channel=till.name, occurred_at=datetime.now(UTC),
                     program_version=VERSION, order_ref="OLD-1", device_seq=1, tier="bronze")
    request = UploadRequest(members=[person], entries=[sale])
    assert '"orders"' not in request.model_dump_json()  # an older ledger knows no such field
    assert till.upload(request) == [("accepted", None, None)]
    assert till.upload(request) == [("duplicate", None, None)]
    assert till.balance(person.id) == 5
    assert till.get(f"/v1/orders/{till.name}/OLD-1").status_code == 404

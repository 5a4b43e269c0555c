"""What the ledger's database can't hold is refused at the ledger's edge: a NUL or another
control character in text, an integer past 64 bits, a time that overflows on its way to
UTC. Each is a 422 naming the field (never a 500) and writes nothing, on SQLite and on
PostgreSQL, through the real HTTP API."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, func, select

from kiosk.ids import new_id
from kiosk.program import parse_program
from sync.server import models as m
from sync.server.db import ledger_engine
from tests.helpers.ledger_process import LedgerProcess, postgres_database, start_ledger
from tests.helpers.routes import body_routes

NUL, ESC, BEL, NEL = "\x00", "\x1b", "\x07", "\x85"
BIG = 2**63  # one past the largest 64-bit integer
YEAR_1 = "0001-01-01T00:00:00+05:00"  # before 0001-01-01 in UTC
YEAR_9999 = "9999-12-31T23:00:00-05:00"  # after 9999-12-31 in UTC


BODY_ROUTES = body_routes()  # every (method, path) whose route takes a body
NUMBERS = itertools.count(1)  # the kiosk's device_seq
MEMBER = str(new_id())  # on the ledger with points to spend, so holds get that far


@pytest.fixture(scope="module", params=["sqlite",
                                        pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[LedgerProcess, dict[str, str]]]:
    """One ledger for the whole table (each case writes nothing), with a kiosk, a shop and
    a back-office device, and a member with points; a fresh PostgreSQL database for the
    postgres run."""
    folder = tmp_path_factory.mktemp("ledger")
    stack = ExitStack()
    db = (stack.enter_context(postgres_database()) if request.param == "postgres"
          else f"sqlite:///{folder / 'ledger.db'}")
    process = start_ledger(db, folder)
    tokens = {"kiosk": process.add_device("till-1"),
              "shop": process.add_device("web", "shop"),
              "admin": process.add_device("office", "admin")}
    seeded = upload()
    seeded["members"][0]["id"] = seeded["entries"][0]["member_id"] = MEMBER
    seeded["cards"][0]["member_id"] = MEMBER
    seeded["entries"][0].update(points=1000, amount_minor=100_000)  # NT$100,000 at bronze
    answer = requests.post(process.url + "/v1/upload", json=seeded, timeout=30,
                           headers={"Authorization": f"Bearer {tokens['kiosk']}"})
    assert answer.json()["results"][0]["status"] == "accepted", answer.text
    yield process, tokens
    process.kill()
    stack.close()


def upload() -> dict[str, Any]:
    """A kiosk's upload the ledger accepts: a member, their card and a numbered entry."""
    member = str(new_id())
    now = datetime.now(UTC).isoformat()
    return {
        "members": [{"id": member, "name": "陳美玲", "phone": "0912345678",
                     "enrolled_at": now, "channel": "till-1", "consent": True}],
        "cards": [{"card_no": "200000000018", "member_id": member, "key_id": "ABCDEFGH",
                   "payload": "CP1.PAYLOAD", "issued_at": now}],
        "entries": [redeem_entry(member) | {
            "kind": "earn", "points": 3, "amount_minor": 300, "reward_id": None,
            "order_ref": f"K-{next(NUMBERS)}", "note": "first visit\n\tat the counter"}],
    }


def redeem_entry(member: str = MEMBER) -> dict[str, Any]:
    return {"id": str(new_id()), "member_id": member, "kind": "redeem", "points": -60,
            "channel": "till-1", "occurred_at": datetime.now(UTC).isoformat(),
            "program_version": "2026.2", "reward_id": "coffee", "note": "held",  # costs 60
            "device_seq": next(NUMBERS)}


def order() -> dict[str, Any]:
    return {"member_id": MEMBER, "amount_minor": 480, "order_ref": "WEB-1"}


def order_with_lines() -> dict[str, Any]:
    return order() | {"lines": [{"code": "烏龍茶-01", "quantity": 2, "unit_price_minor": 240}]}


def refund_of_lines() -> dict[str, Any]:
    return {"order_ref": "WEB-1", "lines": [{"code": "烏龍茶-01", "quantity": 1}]}


INVISIBLE_CODES = ["烏龍茶\u200b-01", "\ufeff烏龍茶-01", "烏龍茶\u300001", "烏龍茶-01\u2060",
                   " 烏龍茶-01", "烏龍茶-01\u00a0"]
INVISIBLE_REFS = ["WEB\u200b-1", "\ufeffWEB-1", "WEB\u30001", "WEB-1\u2060", " WEB-1", "WEB-1 ",
                  "WEB-1\u00a0", "WEB\u202e-1"]


def changed(body: dict[str, Any], where: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    into: Any = out
    for key in where[:-1]:
        into = into[key]
    into[where[-1]] = value
    return out


# (route, device, base body, field, bad value); the answer must name body.<field>.
BODIES = [
    *[("/v1/upload", "kiosk", upload, where, value) for where, value in [
        (("members", 0, "name"), f"陳{NUL}美玲"),
        (("members", 0, "name"), f"{ESC}[2J陳美玲"),
        (("members", 0, "name"), f"陳美玲{NEL}"),
        (("members", 0, "phone"), f"0912{NUL}345678"),
        (("members", 0, "channel"), f"till{NUL}"),
        (("members", 0, "enrolled_at"), YEAR_1),
        (("members", 0, "enrolled_at"), YEAR_9999),
        (("cards", 0, "payload"), f"CP1.{NUL}"),
        (("cards", 0, "issued_at"), YEAR_9999),
        (("entries", 0, "channel"), f"till-1{NUL}"),
        (("entries", 0, "order_ref"), f"K{NUL}1"),
        (("entries", 0, "order_ref"), f"K{BEL}1"),
        (("entries", 0, "program_version"), f"2026.2{NUL}"),
        (("entries", 0, "reward_id"), f"coffee{NUL}"),
        (("entries", 0, "note"), f"a{NUL}note"),
        (("entries", 0, "note"), f"a{ESC}note"),
        (("entries", 0, "device_seq"), BIG),
        (("entries", 0, "device_seq"), 2**64 + 1),
        (("entries", 0, "seq"), -(BIG + 1)),
        (("entries", 0, "occurred_at"), YEAR_1),
        (("entries", 0, "occurred_at"), YEAR_9999),
    ]],
    *[("/v1/redemptions", "kiosk", lambda: {"entry": redeem_entry()}, ("entry", *where), value)
      for where, value in [
          (("note",), f"hold{NUL}"),
          (("channel",), f"till{NUL}"),
          (("reward_id",), f"{NUL}"),
          (("order_ref",), f"R{NUL}"),
          (("device_seq",), BIG),
          (("occurred_at",), YEAR_1),
          (("occurred_at",), YEAR_9999),
      ]],
    ("/v1/shop/orders", "shop", order, ("order_ref",), f"WEB{NUL}1"),
    ("/v1/shop/orders", "shop", order, ("amount_minor",), BIG),
    ("/v1/shop/refunds", "shop", lambda: {"order_ref": "WEB-1"}, ("order_ref",), f"W{NUL}"),
    # A product code the counter refuses (kiosk.services.errors.check_code): one with a
    # character a receipt doesn't show, or a space at either end.
    *[("/v1/shop/orders", "shop", order_with_lines, ("lines", 0, "code"), code)
      for code in INVISIBLE_CODES],
    *[("/v1/shop/refunds", "shop", refund_of_lines, ("lines", 0, "code"), code)
      for code in INVISIBLE_CODES],
    # A new shop order's number the counter refuses (check_order_ref): the same rule. A
    # refund's stays Text64: it names an order the ledger may have taken before the rule.
    *[("/v1/shop/orders", "shop", order, ("order_ref",), ref) for ref in INVISIBLE_REFS],
    ("/v1/pair", "kiosk", lambda: {"public_key": "A" * 52}, ("public_key",), "A" * 51 + NUL),
]

QUERIES = [
    ("/v1/members", "shop", "phone", f"0912{NUL}345678"),
    ("/v1/members", "shop", "phone", f"0912{ESC}345678"),
    ("/v1/entries", "kiosk", "after", str(BIG)),
    ("/v1/entries", "kiosk", "after", str(2**64 * 10)),
]


def rows(db: str) -> dict[str, int]:
    """How many rows each table that requests write to holds."""
    engine: Engine = ledger_engine(db)
    try:
        with engine.connect() as conn:
            return {t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in (m.Member, m.Card, m.Entry, m.Receipt, m.Balance, m.Reservation,
                              m.Overdraft, m.Certificate)}
    finally:
        engine.dispose()


def named(answer: requests.Response, *where: str | int) -> bool:
    return answer.status_code == 422 and list(where) in [
        e["loc"] for e in answer.json()["detail"]]


@pytest.mark.parametrize(("path", "device", "base", "where", "value"), BODIES,
                         ids=[f"{p}:{'.'.join(map(str, w))}={v!r}"[:90]
                              for p, _, _, w, v in BODIES])
def test_a_body_the_database_cannot_hold_is_a_422_naming_the_field_and_writes_nothing(
        ledger, path, device, base, where, value):
    process, tokens = ledger
    before = rows(process.db)
    answer = requests.post(process.url + path, json=changed(base(), where, value),
                           headers={"Authorization": f"Bearer {tokens[device]}"}, timeout=30)
    assert named(answer, "body", *where), (answer.status_code, answer.text)
    assert rows(process.db) == before


@pytest.mark.parametrize(("path", "device", "name", "value"), QUERIES,
                         ids=[f"{p}?{n}={v!r}" for p, _, n, v in QUERIES])
def test_a_query_the_database_cannot_hold_is_a_422_naming_the_parameter(
        ledger, path, device, name, value):
    process, tokens = ledger
    answer = requests.get(process.url + path, params={name: value},
                          headers={"Authorization": f"Bearer {tokens[device]}"}, timeout=30)
    assert named(answer, "query", name), (answer.status_code, answer.text)


def test_the_refusal_says_what_is_wrong_in_words(ledger):
    process, tokens = ledger
    answer = requests.post(process.url + "/v1/shop/refunds",  # a new order's: below
                           json={"order_ref": f"W{NUL}"},
                           headers={"Authorization": f"Bearer {tokens['shop']}"}, timeout=30)
    [error] = answer.json()["detail"]
    assert error["msg"] == "control characters (such as NUL) are not allowed here"


def test_a_code_refused_says_what_a_code_may_be(ledger):
    process, tokens = ledger
    answer = requests.post(process.url + "/v1/shop/orders",
                           json=changed(order_with_lines(), ("lines", 0, "code"), "SP\u200b"),
                           headers={"Authorization": f"Bearer {tokens['shop']}"}, timeout=30)
    [error] = answer.json()["detail"]
    assert (error["loc"], error["msg"]) == (
        ["body", "lines", 0, "code"], "a product code is 1 to 64 characters a receipt "
        "shows, with no space at either end")


def test_an_order_ref_refused_says_what_an_order_number_may_be(ledger):
    process, tokens = ledger
    answer = requests.post(process.url + "/v1/shop/orders",
                           json=changed(order(), ("order_ref",), "WEB-1\u200b"),
                           headers={"Authorization": f"Bearer {tokens['shop']}"}, timeout=30)
    [error] = answer.json()["detail"]
    assert (error["loc"], error["msg"]) == (
        ["body", "order_ref"], "an order reference is 1 to 64 characters a receipt shows, "
        "with no space at either end")


def test_the_same_bodies_unbroken_are_accepted(ledger):
    """The table's bodies are refused for the one field changed, nothing else: here they
    go through (a note may have line breaks and tabs; names any script)."""
    process, tokens = ledger
    kiosk = {"Authorization": f"Bearer {tokens['kiosk']}"}
    body = upload()
    answer = requests.post(process.url + "/v1/upload", json=body, headers=kiosk, timeout=30)
    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == ["accepted"]
    member = body["members"][0]["id"]
    hold = requests.post(process.url + "/v1/redemptions", headers=kiosk, timeout=30,
                         json={"entry": redeem_entry()})
    assert hold.status_code == 201, hold.text
    shop = {"Authorization": f"Bearer {tokens['shop']}"}
    found = requests.get(process.url + "/v1/members", params={"phone": "0912345678"},
                         headers=shop, timeout=30)
    assert member in found.json()["member_ids"]
    for after in (0, BIG - 1):
        assert requests.get(process.url + "/v1/entries", params={"after": after},
                            headers=kiosk, timeout=30).status_code == 200
    shop_order = order_with_lines() | {"order_ref": "WEB-LINES"}  # codes in any script
    shop_order["lines"].append({"code": "TEA OOLONG", "quantity": 1, "unit_price_minor": 0})
    answer = requests.post(process.url + "/v1/shop/orders", json=shop_order, headers=shop,
                           timeout=30)
    assert answer.status_code == 200, answer.text
    answer = requests.post(process.url + "/v1/shop/refunds", headers=shop, timeout=30,
                           json=refund_of_lines() | {"order_ref": "WEB-LINES"})
    assert answer.status_code == 200, answer.text


# -- found by the schema fuzzer (tests/sync/test_schema_fuzz.py) ------------------------

def test_a_card_for_a_member_nobody_sent_is_a_422_naming_it_and_writes_nothing(ledger):
    """A card's member must come with it or be on the ledger already (a foreign key):
    the fuzzer's card for an unknown member answered 500."""
    process, tokens = ledger
    body = upload()
    body["members"] = []
    before = rows(process.db)
    answer = requests.post(process.url + "/v1/upload", json=body, timeout=30,
                           headers={"Authorization": f"Bearer {tokens['kiosk']}"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "unknown_member"
    assert "cards[0].member_id" in answer.json()["message"]
    assert rows(process.db) == before
    body["cards"][0]["member_id"] = MEMBER  # on the ledger already: lean uploads
    answer = requests.post(process.url + "/v1/upload", json=body, timeout=30,
                           headers={"Authorization": f"Bearer {tokens['kiosk']}"})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES,
                         ids=[f"{m} {p}" for m, p in BODY_ROUTES])
def test_a_body_that_is_not_utf8_is_a_422_like_any_bad_json(ledger, method, path):
    """FastAPI answered 400 (undocumented) where it parsed the body itself."""
    process, tokens = ledger
    answer = requests.request(method, process.url + path, data=b'{"\xff\xfe": 1}',
                              timeout=30, headers={"Authorization": f"Bearer {tokens['admin']}",
                                                   "Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize("over", [1, 9_999_999_999_999 - 500_000])
def test_a_shop_order_above_the_programs_largest_sale_is_refused(ledger, over):
    """The counter and the ledger's audit hold kiosks to the program's max_sale_amount;
    the shop's orders were not: one unit over it earned its points, and the fuzzer's
    9,999,999,999,999 answered 500 (its points overflowed the entry's bound)."""
    process, tokens = ledger
    shop = {"Authorization": f"Bearer {tokens['shop']}"}
    state = requests.get(process.url + "/v1/state", headers=shop, timeout=30).json()
    largest = parse_program(state["program"], format="json").max_sale_minor
    before = rows(process.db)
    answer = requests.post(process.url + "/v1/shop/orders", headers=shop, timeout=30,
                           json=order() | {"amount_minor": largest + over, "order_ref": "B-1"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "amount_over_limit"
    assert rows(process.db) == before


@pytest.mark.parametrize(("path", "body", "key"), [
    ("/v1/checkouts", f'{{"member_id": "{MEMBER}", "order_ref": "C-1", "order_ref": "C-2"}}',
     "order_ref"),
    ("/v1/checkouts/confirm", '{"order_ref": "C-1", "order_ref": "C-2"}', "order_ref"),
    ("/v1/shop/orders", f'{{"member_id": "{MEMBER}", "amount_minor": 480, '
                        '"amount_minor": 48000, "order_ref": "WEB-9"}', "amount_minor"),
], ids=["hold", "confirm", "shop-order"])  # the bodies name a member made at import
def test_a_checkout_body_naming_a_key_twice_is_a_422_naming_it(ledger, path, body, key):
    """JSON parsers differ on which of two keys counts (pydantic's took the last): a
    checkout read one way of two is refused, and nothing is written."""
    process, tokens = ledger
    device = "shop" if path.startswith("/v1/shop") else "kiosk"
    before = rows(process.db)
    answer = requests.post(process.url + path, data=body.encode(), timeout=30,
                           headers={"Authorization": f"Bearer {tokens[device]}",
                                    "Content-Type": "application/json"})
    assert named(answer, "body", key), (answer.status_code, answer.text)
    assert "given twice" in answer.json()["detail"][0]["msg"]
    assert rows(process.db) == before

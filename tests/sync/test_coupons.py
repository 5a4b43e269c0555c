"""Coupons as instruments (issue 14, point 6): "spend NT$3,000, 10% off next time" and
"NT$300 for every NT$10,000 in a quarter" issue coupons with an id, a QR and a validity
window; the ledger issues each itself from the order's rules (a device's word mints
nothing), keeps one copy of a coupon two kiosks issued, and lets it be used once across
every channel."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import requests

from kiosk.engine.coupons import coupon_payload, next_period_start
from kiosk.engine.orders import derived_id
from kiosk.services import Enrolment, Sale, SaleLine, enrol, identify, ring_up_sale
from kiosk.services.refunds import refund_order
from sync.client import LedgerClient
from sync.protocol import OrderWire, UploadRequest
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk, paired
from tests.helpers.program import program_text
from tests.helpers.program_ledger import BOTH_DATABASES, own_name, shared_ledger_on_program

COUPONS = '''
[[coupons]]
id = "ten-off"
names = { en = "10% off next time", zh-TW = "下次九折", zh-CN = "下次九折" }
value = { kind = "percent_off", percent = 10 }
valid_days = 30
trigger = { on = "order", min_amount = 3000 }

[[coupons]]
id = "quarter-300"
names = { en = "NT$300 voucher", zh-TW = "NT$300 折價券", zh-CN = "NT$300 代金券" }
value = { kind = "amount_off", amount = 300 }
valid_days = 90
trigger = { on = "period_spend", every = 10000, period = "quarter" }

[[coupons]]
id = "birthday-cake"
names = { en = "Birthday cake", zh-TW = "生日蛋糕", zh-CN = "生日蛋糕" }
value = { kind = "free_item", item = "CAKE" }
valid_days = 30
trigger = { on = "birthday" }
'''
VERSION = "2026.2-coupons"


def bag(amount: int) -> tuple[SaleLine, ...]:
    return (SaleLine("BAG-1", 1, amount, "bags"),)


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[LedgerProcess]:
    """One ledger for the module's tests: each pairs devices and enrols members of its own."""
    yield from shared_ledger_on_program(request, tmp_path_factory,
                                        program_text(COUPONS, version=VERSION))


def till(ledger: LedgerProcess, folder: Path, name: str) -> PairedKiosk:
    return paired(ledger, folder, own_name(name))


def _coupons(ledger: LedgerProcess, token: str, member: uuid.UUID) -> list[dict[str, object]]:
    answer = requests.get(f"{ledger.url}/v1/members/{member}/coupons",
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def _use(ledger: LedgerProcess, token: str, coupon: object, order_ref: str,
         member: uuid.UUID | None = None) -> requests.Response:
    """``POST /v1/coupons/{id}/use`` on the caller's order ``order_ref``; ``member``: the
    shop's order for them made first (a coupon is spent on an order the ledger has)."""
    if member is not None:
        _shop_order(ledger, token, member, order_ref)
    return requests.post(f"{ledger.url}/v1/coupons/{coupon}/use", json={"order_ref": order_ref},
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)


def _shop_order(ledger: LedgerProcess, token: str, member: uuid.UUID, order_ref: str,
                amount_minor: int = 100) -> None:
    answer = requests.post(f"{ledger.url}/v1/shop/orders", timeout=10, json={
        "member_id": str(member), "order_ref": order_ref, "amount_minor": amount_minor},
        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text


def test_a_big_order_issues_a_coupon_for_next_time_used_once_anywhere(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    a, b = till(ledger, tmp_path, "till-a"), till(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    member = joined.member.id
    small = ring_up_sale(a.kiosk, Sale.of_basket(member, bag(2999), order_ref="A-1"))
    big = ring_up_sale(a.kiosk, Sale.of_basket(member, bag(3200), order_ref="A-2"))
    assert small.coupons == ()
    assert [c.rule for c in big.coupons] == ["ten-off"]
    coupon = big.coupons[0].id_for(member)
    assert coupon == derived_id(member, f"coupon:ten-off:{a.kiosk.channel}:A-2")
    seen = identify(a.kiosk, joined.card.payload)  # the member screen lists it at once
    assert [c.id_for(member) for c in seen.coupons] == [coupon]
    a.agent().sync_once()

    web = own_name("web")
    shop = ledger.add_device(web, "shop")
    held = _coupons(ledger, shop, member)
    assert [(c["id"], c["rule"], c["payload"], c["used_at"]) for c in held] == [
        (str(coupon), "ten-off", coupon_payload(coupon), None)]
    assert held[0]["issued_order_ref"] == "A-2"

    used = _use(ledger, shop, coupon, "W-7", member)
    assert used.status_code == 200, used.text
    assert (used.json()["used_channel"], used.json()["used_order_ref"]) == (web, "W-7")
    assert _use(ledger, shop, coupon, "W-7").status_code == 200  # a retry, answered the same
    b.agent().sync_once()  # till-b's own order, for the member it now knows
    ring_up_sale(b.kiosk, Sale(member, 100, "B-1"))
    b.agent().sync_once()
    again = _use(ledger, b.token, coupon, "B-1")  # another till, another order: once only
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "coupon_used"
    assert web in again.json()["message"] and "W-7" in again.json()["message"]
    unknown = _use(ledger, shop, uuid.uuid4(), "W-8")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_coupon"
    for k in (a, b):
        k.kiosk.store.close()


def test_the_ledger_issues_what_the_rules_give_not_what_a_device_says(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """A kiosk claims a coupon for an order under the threshold: the ledger re-runs the
    rules and issues none."""
    a = till(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    member = joined.member.id
    ring_up_sale(a.kiosk, Sale.of_basket(member, bag(500), order_ref="A-1"))
    with a.kiosk.store.read() as tx:
        record = tx.orders.get(a.kiosk.channel, "A-1")
    assert record is not None
    forged = OrderWire.model_validate({**OrderWire.of(record).model_dump(),
                                       "order_ref": "A-FORGED", "coupons": [
        {"rule": "ten-off", "once": "coupon:ten-off:forged",
         "valid_from": record.order.occurred_at, "expires_at": datetime(2030, 1, 1, tzinfo=UTC)}]})
    a.agent().sync_once()
    LedgerClient(ledger.url, a.token).upload(UploadRequest(entries=[], orders=[forged]))
    assert _coupons(ledger, ledger.add_device(own_name("web"), "shop"), member) == []
    a.kiosk.store.close()


def test_two_kiosks_issue_one_birthday_coupon_and_a_quarter_voucher_waits_for_its_quarter(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    a, b = till(ledger, tmp_path, "till-a"), till(ledger, tmp_path, "till-b")
    b.agent().sync_once()
    now = datetime.now(UTC).astimezone(a.kiosk.program.zone)
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", birthday=date(1990, now.month, 1),
                                      consent=True))
    member = joined.member.id
    a.agent().sync_once()
    identify(b.kiosk, joined.card.payload)
    b.agent().sync_once()
    at_a = ring_up_sale(a.kiosk, Sale.of_basket(member, bag(6000), order_ref="A-1"))
    at_b = ring_up_sale(b.kiosk, Sale.of_basket(member, bag(2000), order_ref="B-1"))
    cake = derived_id(member, f"coupon:birthday-cake:{now.year}")
    assert cake in [c.id_for(member) for c in at_a.coupons]
    assert cake in [c.id_for(member) for c in at_b.coupons]  # both offline: the same coupon
    a.agent().sync_once()
    b.agent().sync_once()
    # a knows of its NT$6,000 (and b's NT$2,000 once pulled): the quarter's spend adds up.
    a.agent().sync_once()
    third = ring_up_sale(a.kiosk, Sale.of_basket(member, bag(2500), order_ref="A-2"))
    quarter = next_period_start(third.entries[0].occurred_at, a.kiosk.program.zone, "quarter")
    vouchers = [c for c in third.coupons if c.rule == "quarter-300"]
    assert [(c.valid_from, c.once.rsplit(":", 1)[1]) for c in vouchers] == [(quarter, "1")]
    a.agent().sync_once()

    shop = ledger.add_device(own_name("web"), "shop")
    held = {c["rule"]: c for c in _coupons(ledger, shop, member)}
    assert sorted(held) == ["birthday-cake", "quarter-300", "ten-off"]
    assert held["birthday-cake"]["id"] == str(cake)  # one copy of the two kiosks' coupon
    early = _use(ledger, shop, held["quarter-300"]["id"], "W-1", member)
    assert early.status_code == 422 and early.json()["code"] == "coupon_not_valid"
    # Said in the store's days, as the receipt says them, not as a UTC instant.
    first_day = quarter.astimezone(a.kiosk.program.zone).date()
    assert f"is valid from {first_day} (Asia/Taipei)" in early.json()["message"]
    screen = identify(a.kiosk, joined.card.payload)
    assert {c.rule for c in screen.coupons} == {"birthday-cake", "quarter-300", "ten-off"}
    for k in (a, b):
        k.kiosk.store.close()


def test_of_two_uses_at_once_exactly_one_wins(ledger: LedgerProcess, tmp_path: Path) -> None:
    a = till(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    big = ring_up_sale(a.kiosk, Sale.of_basket(joined.member.id, bag(5000), order_ref="A-1"))
    a.agent().sync_once()
    coupon = next(c for c in big.coupons if c.rule == "ten-off").id_for(joined.member.id)
    tokens = [ledger.add_device(own_name(f"shop-{i}"), "shop") for i in range(4)]
    for i, token in enumerate(tokens):
        _shop_order(ledger, token, joined.member.id, f"W-{i}")
    answers: list[int] = []
    start = threading.Barrier(len(tokens))

    def spend(i: int) -> None:
        start.wait()
        answers.append(_use(ledger, tokens[i], coupon, f"W-{i}").status_code)

    threads = [threading.Thread(target=spend, args=(i,)) for i in range(len(tokens))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200, 409, 409, 409]
    a.kiosk.store.close()


WELCOME = '''
[[coupons]]
id = "welcome"
names = { en = "Welcome: NT$50 off", zh-TW = "新會員折 NT$50", zh-CN = "新会员减 NT$50" }
value = { kind = "amount_off", amount = 50 }
valid_days = 30
trigger = { on = "welcome" }

[[coupons]]
id = "friend"
names = { en = "A friend's gift: 20% off", zh-TW = "好友禮八折", zh-CN = "好友礼八折" }
value = { kind = "percent_off", percent = 20 }
valid_days = 60
trigger = { on = "welcome", referred_only = true }
'''


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def welcome_ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[LedgerProcess]:
    yield from shared_ledger_on_program(request, tmp_path_factory,
                                        program_text(WELCOME, version="2026.2-welcome"))


def test_a_new_member_gets_the_welcome_coupons_a_referred_one_the_friends_gift_too(
        welcome_ledger: LedgerProcess, tmp_path: Path) -> None:
    a = till(welcome_ledger, tmp_path, "till-a")
    first = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    friend = enrol(a.kiosk, Enrolment("王小美", "0922111000", consent=True,
                                      referrer_id=first.member.id))
    assert [c.rule for c in identify(a.kiosk, first.card.payload).coupons] == ["welcome"]
    on_kiosk = identify(a.kiosk, friend.card.payload).coupons
    assert [c.rule for c in on_kiosk] == ["welcome", "friend"]
    a.agent().sync_once()
    shop = welcome_ledger.add_device(own_name("web"), "shop")
    on_ledger = _coupons(welcome_ledger, shop, friend.member.id)
    # The ledger issued them itself, from the member it stored: the very coupons (ids,
    # dates) the kiosk issued offline.
    assert [(c["id"], c["issued_order_ref"]) for c in on_ledger] == [
        (str(c.id_for(friend.member.id)), "enrolment") for c in on_kiosk]
    assert [datetime.fromisoformat(str(c["expires_at"])) for c in on_ledger] == [
        c.expires_at for c in on_kiosk]
    a.agent().sync_once()  # the member goes up once; a second round issues nothing new
    assert len(_coupons(welcome_ledger, shop, friend.member.id)) == 2
    a.kiosk.store.close()


def test_a_refunded_order_takes_its_coupon_back_everywhere(ledger: LedgerProcess,
                                                           tmp_path: Path) -> None:
    """Review of issue 14: a refund left the order's coupon usable ("spend NT$3,000, 10%
    off", refund, repeat). The kiosk stops listing it; the ledger withdraws its copy."""
    a = till(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    big = ring_up_sale(a.kiosk, Sale.of_basket(joined.member.id, bag(3200), order_ref="A-1"))
    coupon = big.coupons[0].id_for(joined.member.id)
    a.agent().sync_once()
    refund_order(a.kiosk, "A-1")
    assert identify(a.kiosk, joined.card.payload).coupons == ()
    a.agent().sync_once()
    shop = ledger.add_device(own_name("web"), "shop")
    [held] = _coupons(ledger, shop, joined.member.id)
    assert held["id"] == str(coupon) and held["voided_at"] is not None
    refused = _use(ledger, shop, coupon, "W-1", joined.member.id)
    assert refused.status_code == 409 and refused.json()["code"] == "coupon_void"
    a.kiosk.store.close()


def test_a_quarters_voucher_counts_every_channels_spend(ledger: LedgerProcess,
                                                        tmp_path: Path) -> None:
    """Review of issue 14: NT$9,000 in the online shop, then NT$2,000 at a kiosk that
    hadn't heard of it: the kiosk issues nothing (it knows of NT$2,000), and the ledger,
    which counts every channel's spend, issues the NT$300 voucher the NT$11,000 earn."""
    a = till(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    a.agent().sync_once()
    shop_token = ledger.add_device(own_name("web"), "shop")
    LedgerClient(ledger.url, shop_token).order(joined.member.id, 9000, "W-1")
    at_kiosk = ring_up_sale(a.kiosk, Sale.of_basket(joined.member.id, bag(2000),
                                                    order_ref="A-1"))
    assert [c.rule for c in at_kiosk.coupons] == []
    a.agent().sync_once()
    rules = [c["rule"] for c in _coupons(ledger, shop_token, joined.member.id)]
    assert rules.count("quarter-300") == 1  # (and the shop order's own "ten-off")
    a.kiosk.store.close()


def test_an_expired_coupon_is_said_by_its_last_day_in_the_stores_zone():
    """A coupon valid through 30 December in Taipei ends at 16:00 UTC that day: the shop was
    told 'expired at 2026-12-30T16:00:00+00:00', which reads as a day early."""
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from sync.server.coupon_uses import coupon_refusal

    zone = ZoneInfo("Asia/Taipei")
    row = SimpleNamespace(id=uuid.uuid4(), member_id=None, voided_at=None, used_at=None,
                          held_until=None, valid_from=datetime(2026, 12, 1, tzinfo=zone),
                          expires_at=datetime(2026, 12, 31, tzinfo=zone))
    refused = coupon_refusal(row, None, "web", "W-1", datetime(2027, 1, 2, tzinfo=UTC), zone)
    assert refused is not None
    assert "was valid until 2026-12-30 (Asia/Taipei) and has expired" in str(refused)


def test_a_coupon_is_spent_only_on_its_members_order_and_one_the_ledger_has(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """Review: ``POST /v1/coupons/{id}/use`` spent mum's coupon on her son's order (200),
    where the checkout hold and the shop's order refuse exactly that; and on an order
    nobody recorded."""
    a = till(ledger, tmp_path, "till-a")
    mum = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id
    son = enrol(a.kiosk, Enrolment("陳小明", "0912345679", consent=True)).member.id
    big = ring_up_sale(a.kiosk, Sale.of_basket(mum, bag(3200), order_ref="A-1"))
    coupon = big.coupons[0].id_for(mum)
    a.agent().sync_once()
    a.kiosk.store.close()
    shop = ledger.add_device(own_name("web"), "shop")
    theirs = _use(ledger, shop, coupon, "W-SON", son)
    assert theirs.status_code == 409, theirs.text
    assert theirs.json()["code"] == "coupon_not_members"
    assert "another member" in theirs.json()["message"]
    nowhere = _use(ledger, shop, coupon, "W-NONE")
    assert nowhere.status_code == 404 and nowhere.json()["code"] == "unknown_order"
    [held] = _coupons(ledger, shop, mum)
    assert held["used_at"] is None  # still hers to spend
    assert _use(ledger, shop, coupon, "W-MUM", mum).status_code == 200

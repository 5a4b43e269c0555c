"""Orders end to end (issue 14): two kiosks ring up promotion sales offline for a member in
their birthday month, sync in either order, and the ledger, which re-runs every order's
rules, accepts them; the birthday and first-purchase bonuses, granted by both kiosks,
count once everywhere. A non-member sale reaches the ledger as an order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import requests

from kiosk.engine.orders import derived_id
from kiosk.services import (
    Enrolment,
    Sale,
    SaleLine,
    enrol,
    identify,
    ring_up_sale,
    verify_store,
)
from sync.client import LedgerClient
from sync.wire_shop import OrderLineWire
from tests.helpers.ledger_process import LedgerProcess
from tests.helpers.program import program_text
from tests.helpers.program_ledger import (
    BOTH_DATABASES,
    own_name,
    own_till,
    shared_ledger_on_program,
)

EVERY_DAY = '''
[[promotions]]
id = "tea-double"
names = { en = "Double points on tea", zh-TW = "茶飲雙倍點數", zh-CN = "茶饮双倍积分" }
multiplier = 2
categories = ["tea"]

[bonuses.birthday]
points = 100

[bonuses.first_purchase]
points = 30
'''
TEA = SaleLine("TEA-OOLONG", 4, 65, "tea")  # NT$260: 2 points, 2 more on tea


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[LedgerProcess]:
    """One ledger for the module's tests: each pairs devices and enrols members of its own."""
    yield from shared_ledger_on_program(request, tmp_path_factory,
                                        program_text(EVERY_DAY, version="2026.2-promo"))


@pytest.mark.parametrize("first", ["a", "b"])
def test_two_kiosks_offline_grant_the_birthday_once_and_the_ledger_agrees(
        ledger: LedgerProcess, tmp_path: Path, first: str) -> None:
    a, b = own_till(ledger, tmp_path, "till-a"), own_till(ledger, tmp_path, "till-b")
    b.agent().sync_once()  # b trusts a's card key
    this_month = datetime.now(UTC).astimezone(a.kiosk.program.zone).month
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", birthday=date(1990, this_month, 1),
                                      consent=True))
    a.agent().sync_once()
    identify(b.kiosk, joined.card.payload)  # b meets the card; the profile comes with sync
    b.agent().sync_once()

    # Both offline now: each grants the birthday and first-purchase bonuses itself.
    at_a = ring_up_sale(a.kiosk, Sale.of_basket(joined.member.id, (TEA,)))
    at_b = ring_up_sale(b.kiosk, Sale.of_basket(joined.member.id, (TEA,)))
    year = datetime.now(UTC).astimezone(a.kiosk.program.zone).year
    for sale in (at_a, at_b):
        assert [(e.note, e.points) for e in sale.entries] == [
            (None, 2), ("promo:tea-double", 2), (f"birthday:{year}", 100),
            ("first_purchase", 30)]
        assert sale.entries[2].id == derived_id(joined.member.id, f"birthday:{year}")

    for k in ([a, b] if first == "a" else [b, a]) + [a, b]:
        k.agent().sync_once()

    expected = 50 + (2 + 2) * 2 + 100 + 30
    shop = LedgerClient(ledger.url, ledger.add_device(own_name("web"), "shop"))
    history = shop.member(joined.member.id)
    assert history.balance == expected
    assert sorted(e.note or "" for e in history.entries if e.channel == "program") == [
        f"birthday:{year}", "first_purchase"]
    for k in (a, b):
        assert identify(k.kiosk, joined.card.payload).balance == expected
        assert verify_store(k.kiosk).ok
        with k.kiosk.store.read() as tx:
            assert tx.outbox.rejections() == []  # nothing the ledger refused
    assert ledger.check() == []
    for k in (a, b):
        k.kiosk.store.close()


def test_a_non_member_sale_reaches_the_ledger_as_an_order(ledger: LedgerProcess,
                                                          tmp_path: Path) -> None:
    a = own_till(ledger, tmp_path, "till-a")
    ring_up_sale(a.kiosk, Sale.of_basket(None, (TEA,), order_ref="WALK-IN-1"))
    a.agent().sync_once()
    answer = requests.get(f"{ledger.url}/v1/orders/{a.kiosk.channel}/WALK-IN-1",
                          headers={"Authorization": f"Bearer {a.token}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    order = answer.json()
    assert (order["member_id"], order["state"], order["lines"][0]["code"]) == (
        None, None, "TEA-OOLONG")
    with a.kiosk.store.read() as tx:
        assert tx.orders.unsent(10) == []
    a.kiosk.store.close()


def test_the_shops_orders_earn_by_the_same_engine(ledger: LedgerProcess, tmp_path: Path) -> None:
    """The shop sends lines: tea earns the promotion; the birthday and first purchase a
    kiosk already granted offline are not granted again online."""
    a = own_till(ledger, tmp_path, "till-a")
    this_month = datetime.now(UTC).astimezone(a.kiosk.program.zone).month
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", birthday=date(1990, this_month, 1),
                                      consent=True))
    ring_up_sale(a.kiosk, Sale.of_basket(joined.member.id, (TEA,)))  # grants both, offline
    a.agent().sync_once()
    web = own_name("web")
    token = ledger.add_device(web, "shop")
    shop = LedgerClient(ledger.url, token)
    online = shop.order(joined.member.id, 260, "W-1", [OrderLineWire(
        code="TEA-OOLONG", quantity=4, unit_price_minor=65, category="tea")])
    assert online.points == 2 + 2  # base and the tea promotion; no second birthday
    stored = requests.get(f"{ledger.url}/v1/orders/{web}/W-1",
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert stored.status_code == 200 and stored.json()["lines"][0]["category"] == "tea"
    keyed = shop.order(joined.member.id, 260, "W-2")  # no lines: one keyed amount, no tea
    assert keyed.points == 2
    assert shop.member(joined.member.id).balance == 50 + 4 + 100 + 30 + 4 + 2
    assert ledger.check() == []
    a.kiosk.store.close()


def test_once_only_bonuses_dated_by_stable_facts_raise_no_clock_flag(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """The birthday bonus is dated at the start of the birthday month and the first
    purchase at enrolment, before the sale that granted them: not a clock gone back."""
    a = own_till(ledger, tmp_path, "till-a")
    this_month = datetime.now(UTC).astimezone(a.kiosk.program.zone).month
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", birthday=date(1990, this_month, 1),
                                      consent=True))
    sale = ring_up_sale(a.kiosk, Sale.of_basket(joined.member.id, (TEA,)))
    assert {e.note for e in sale.entries} >= {"first_purchase"}
    a.agent().sync_once()
    assert ledger.cli("clock-flags")["clock_flags"] == []
    a.kiosk.store.close()

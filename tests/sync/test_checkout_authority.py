"""The ledger holds a checkout's order and its redemption to each other (issue 15, found by
review): an order stripped of its loyalty, a redemption smaller than the points the order
used, or no redemption at all earns nothing; an online retry is a duplicate."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.engine.orders import LoyaltyUsed
from kiosk.engine.record import record_json
from kiosk.services import Enrolment, Sale, SaleLine, enrol, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from kiosk.store import STORE_FILE
from sync.client import LedgerClient
from tests.helpers.checkout_ledger import KEYED, online, rejections, shared_checkout_ledger
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk
from tests.helpers.program_ledger import BOTH_DATABASES, own_name, own_till


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[LedgerProcess]:
    """One ledger for the module's tests: each pairs devices and enrols members of its own."""
    yield from shared_checkout_ledger(request, tmp_path_factory)






def test_online_retry_of_a_checkout_that_spent_every_point_is_a_duplicate(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """The till retries the same order_ref (it crashed before hearing back). check_out makes
    a NEW redeem entry id and asks the ledger to hold the points again; the member has none
    left, so the retry is refused NotEnoughPoints instead of answered 'already rung up'."""
    k = own_till(ledger, tmp_path, "till-a")
    joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    member = joined.member.id
    ring_up_sale(k.kiosk, Sale(member, 9000, "TOP-UP"))  # 140 points
    online(k)
    first = check_out(k.kiosk, Checkout(member, (SaleLine("AMOUNT", 1, 3000),), points=140,
                                        order_ref="C-1"))
    assert first.authorised == "online"
    again = check_out(k.kiosk, Checkout(member, (SaleLine("AMOUNT", 1, 3000),), points=140,
                                        order_ref="C-1"))
    assert again.sale.duplicate
    k.kiosk.store.close()


def _tamper(k: PairedKiosk, ref: str, loyalty: LoyaltyUsed | None = None,
            earn_sql: str | None = None, redeem_points: int | None = None) -> None:
    with k.kiosk.store.read() as tx:
        record = tx.orders.get(k.kiosk.channel, ref)
    assert record is not None
    with sqlite3.connect(k.data_dir / STORE_FILE) as db:
        if loyalty is not None:
            forged = replace(record, order=replace(record.order, loyalty=loyalty))
            db.execute("UPDATE orders SET record = ? WHERE order_ref = ?",
                       (record_json(forged), ref))
        db.execute("DROP TRIGGER entries_append_only_update")
        if earn_sql:
            db.execute(earn_sql)
        if redeem_points is not None:
            db.execute("UPDATE entries SET points = ? WHERE order_ref = ? AND kind = 'redeem'",
                       (redeem_points, ref))


def test_an_order_stripped_of_its_loyalty_earns_on_money_paid_in_points(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """A tampered till pays NT$100 of the bill with 100 points (redeem entry, note
    'checkout', order C-1) but uploads the order with no loyalty and earns on the whole
    NT$1,000 (10 points, not 9). loyalty_problem sees NO_LOYALTY and passes; the checkout
    redeem entry is never matched to its order's points_used."""
    a = own_till(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    member = joined.member.id
    ring_up_sale(a.kiosk, Sale(member, 9000, "TOP-UP"))
    check_out(a.kiosk, Checkout(member, (KEYED,), points=100, order_ref="C-1"))
    _tamper(a, "C-1", loyalty=LoyaltyUsed(),
            earn_sql="UPDATE entries SET points = 10, amount_minor = 1000 "
                     "WHERE order_ref = 'C-1' AND kind = 'earn'")
    a.agent().sync_once()
    rejected = rejections(ledger, a.kiosk.channel)
    assert rejected, "the ledger accepted an earn on NT$100 paid in points"
    a.kiosk.store.close()


def test_a_checkout_redeem_entry_smaller_than_the_orders_points_used_is_refused(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """The order says 100 points paid NT$100 (and earns on NT$900, consistent), but its
    checkout redeem entry takes only 10 points: a NT$90 discount no points paid for."""
    a = own_till(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    member = joined.member.id
    ring_up_sale(a.kiosk, Sale(member, 9000, "TOP-UP"))
    check_out(a.kiosk, Checkout(member, (KEYED,), points=100, order_ref="C-1"))
    _tamper(a, "C-1", redeem_points=-10)
    a.agent().sync_once()
    shop = LedgerClient(ledger.url, ledger.add_device(own_name("web"), "shop"))
    rejected = rejections(ledger, a.kiosk.channel)
    assert rejected, f"accepted: balance {shop.balance(member)} (140 - 10 + 9)"
    a.kiosk.store.close()


def test_a_checkout_order_uploaded_without_any_redeem_entry_is_refused(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """The order claims reward nt100-off + 20 points (NT$120 off) but no redeem entry is
    ever uploaded: the discount was never paid for in points."""
    a = own_till(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    member = joined.member.id
    ring_up_sale(a.kiosk, Sale(member, 9000, "TOP-UP"))
    check_out(a.kiosk, Checkout(member, (KEYED,), points=20, reward_id="nt100-off",
                                order_ref="C-1"))
    with sqlite3.connect(a.data_dir / STORE_FILE) as db:
        db.execute("DROP TRIGGER IF EXISTS entries_append_only_update")
        # the outbox: mark the redeem as withheld is not needed; just zero its points
        # would be caught by the audit, so give it to another order ref instead
        db.execute("UPDATE entries SET order_ref = 'ELSEWHERE', note = 'checkout' "
                   "WHERE order_ref = 'C-1' AND kind = 'redeem'")
    a.agent().sync_once()
    rejected = rejections(ledger, a.kiosk.channel)
    assert rejected, "an order's loyalty accepted with no redeem entry of its own"
    a.kiosk.store.close()

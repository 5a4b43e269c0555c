"""Refund by line through the ledger (issue 15, point 3): a kiosk's partial refunds go up
with their reversals and the ledger checks each against them, from the order it stored;
a reversal beyond what the refunded lines take back is refused; the shop refunds by line
through the same engine."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from kiosk.engine.refunds import Refund, RefundLine
from kiosk.ledger import reversal
from kiosk.services import Enrolment, Sale, SaleLine, enrol, identify, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.refunds import refund_lines, refund_order
from sync.client import LedgerClient
from sync.errors import LedgerRefused
from sync.wire_shop import OrderLineWire
from tests.helpers.checkout_ledger import online, rejections, shared_checkout_ledger
from tests.helpers.ledger_process import LedgerProcess
from tests.helpers.program_ledger import BOTH_DATABASES, own_name, own_till

KETTLE = SaleLine("KETTLE", 1, 2000, "kitchen")
CUPS = SaleLine("CUP", 4, 250, "kitchen")


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[LedgerProcess]:
    """One ledger for the module's tests: each pairs devices and enrols members of its own."""
    yield from shared_checkout_ledger(request, tmp_path_factory)


def test_partial_refunds_of_a_checkout_agree_with_the_ledger(ledger, tmp_path):
    k = own_till(ledger, tmp_path, "till-a")
    joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    member = joined.member.id
    ring_up_sale(k.kiosk, Sale(member, 9000, "TOP-UP"))  # 50 + 90
    online(k)
    check_out(k.kiosk, Checkout(member, (KETTLE, CUPS), points=100, order_ref="C-1"))
    k.agent().sync_once()
    shop = LedgerClient(ledger.url, ledger.add_device(own_name("web"), "shop"))
    refund_lines(k.kiosk, "C-1", [RefundLine(1, 2)], approved_by="Mei")
    k.agent().sync_once()
    assert shop.balance(member) == identify(k.kiosk, joined.card.payload).balance
    refund_lines(k.kiosk, "C-1", [RefundLine(1, 2)])
    refund_order(k.kiosk, "C-1")  # the kettle: the member is back where they were
    k.agent().sync_once()
    assert identify(k.kiosk, joined.card.payload).balance == 140
    assert shop.balance(member) == 140
    assert rejections(ledger, k.kiosk.channel) == []
    k.kiosk.store.close()


def test_a_reversal_beyond_the_refunded_lines_is_refused(ledger, tmp_path):
    """A tampered till records a refund of one cup and reverses the whole order's earn:
    the ledger refuses the reversal, naming what the refund takes back."""
    k = own_till(ledger, tmp_path, "till-b")
    joined = enrol(k.kiosk, Enrolment("林志明", "0922333444", consent=True))
    ring_up_sale(k.kiosk, Sale.of_basket(joined.member.id, (KETTLE, CUPS), "T-1"))
    k.agent().sync_once()
    now = k.kiosk.clock()
    with k.kiosk.store.write() as tx:
        [(earn, _, _)] = [row for row in tx.entries.of_order(k.kiosk.channel, "T-1")]
        tx.refunds.add(Refund(uuid.uuid4(), k.kiosk.channel, "T-1", now, (RefundLine(1, 1),)))
        tx.entries.append([reversal(earn, id=uuid.uuid4(), occurred_at=now,
                                    channel=k.kiosk.channel,
                                    program_version=k.kiosk.program.version)])
    k.agent().sync_once()
    [refused] = rejections(ledger, k.kiosk.channel)
    assert refused["code"] == "beyond_refund"
    assert "take back -2 and -250 more" in str(refused["reason"])
    shop = LedgerClient(ledger.url, ledger.add_device(own_name("web"), "shop"))
    assert shop.balance(joined.member.id) == 50 + 30  # the order's points stand
    k.kiosk.store.close()


def test_a_refund_that_reverses_nothing_still_reaches_the_ledger(ledger, tmp_path):
    """A line at zero (a free bag) handed back moves no points: its refund goes up on its
    own, and the rest of the order is refunded as usual after it."""
    k = own_till(ledger, tmp_path, "till-c")
    joined = enrol(k.kiosk, Enrolment("王小華", "0933444555", consent=True))
    ring_up_sale(k.kiosk, Sale.of_basket(joined.member.id, (KETTLE, SaleLine("BAG", 1, 0)),
                                         "Z-1"))
    k.agent().sync_once()
    assert refund_lines(k.kiosk, "Z-1", [RefundLine(1, 1)]).entries == ()
    k.agent().sync_once()
    with k.kiosk.store.read() as tx:
        assert tx.refunds.unsent(10) == []
    refund_order(k.kiosk, "Z-1")
    k.agent().sync_once()
    assert rejections(ledger, k.kiosk.channel) == []
    shop = LedgerClient(ledger.url, ledger.add_device(own_name("web"), "shop"))
    assert shop.balance(joined.member.id) == 50
    k.kiosk.store.close()


def test_the_shop_refunds_by_line_with_the_same_engine(ledger, tmp_path):
    k = own_till(ledger, tmp_path, "till-d")
    joined = enrol(k.kiosk, Enrolment("張雅婷", "0944555666", consent=True))
    k.agent().sync_once()
    shop = LedgerClient(ledger.url, ledger.add_device(own_name("web"), "shop"))
    lines = [OrderLineWire(code="KETTLE", quantity=1, unit_price_minor=2000),
             OrderLineWire(code="CUP", quantity=4, unit_price_minor=250)]
    assert shop.order(joined.member.id, 3000, "W-1", lines).points == 30
    assert shop.refund("W-1", [("CUP", 2)]).points == -5
    with pytest.raises(LedgerRefused, match="CUP: 2 left to refund on order 'W-1', 3 asked"):
        shop.refund("W-1", [("CUP", 3)])
    assert shop.refund("W-1").points == -25
    with pytest.raises(LedgerRefused) as twice:
        shop.refund("W-1")
    assert twice.value.status == 404
    assert shop.balance(joined.member.id) == 50
    k.kiosk.store.close()


def test_a_counter_checkout_with_a_reward_off_the_tea_syncs_and_refunds_by_line(ledger,
                                                                                tmp_path):
    """Offline, 20% off the tea lines only: the ledger prices the order again and takes
    it; returning the tea hands back what the tea cost after its discount (NT$400), not a
    share of the whole bill's discount."""
    k = own_till(ledger, tmp_path, "till-e")
    joined = enrol(k.kiosk, Enrolment("黃美華", "0955666777", consent=True))
    member = joined.member.id
    ring_up_sale(k.kiosk, Sale(member, 9000, "TOP-UP"))  # 140 points
    tea = SaleLine("TEA-OOLONG", 2, 250, "tea")
    done = check_out(k.kiosk, Checkout(member, (tea, KETTLE), reward_id="tea-20",
                                       order_ref="T-20"))
    assert done.priced.net_minor == 2500 - 100
    back = refund_lines(k.kiosk, "T-20", [RefundLine(0, 2)])
    assert back.money_back_minor == 400
    k.agent().sync_once()
    assert rejections(ledger, k.kiosk.channel) == []
    shop = LedgerClient(ledger.url, ledger.add_device(own_name("web"), "shop"))
    assert shop.balance(member) == identify(k.kiosk, joined.card.payload).balance
    k.kiosk.store.close()

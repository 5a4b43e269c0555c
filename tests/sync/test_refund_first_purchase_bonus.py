"""A whole refund takes back the first-purchase bonus, on the counter and on the ledger
alike (review 28b): the bonus is one of the order's stored awards, but its entry has a
derived id on the derived channel and names no order, so a refund, which reversed only
the entries on the order's own channel and ref, left it: buy, refund whole, keep 30
points, once per member. Now the refund that hands the order back whole reverses it too,
naming the order; the ledger takes such a reversal only from the order's own device, once,
with the whole order back, and still takes an older kiosk's whole refund without it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.engine.orders import OrderLine, derived_id
from kiosk.engine.refunds import Refund, RefundLine, bonus_reversal
from kiosk.ledger import reversal
from kiosk.services import Enrolment, Sale, SaleLine, enrol, identify, ring_up_sale
from kiosk.services.refunds import refund_lines, refund_order
from sync.client import LedgerClient
from sync.protocol import UploadRequest
from sync.server.counter import OnlineCounter
from sync.server.ledger import Ledger
from tests.helpers.checkout_ledger import rejections
from tests.helpers.ledger_process import LedgerProcess
from tests.helpers.ledger_wire import KIOSK, SHOP, members
from tests.helpers.program import program_text
from tests.helpers.program_ledger import (
    BOTH_DATABASES,
    own_name,
    own_phone,
    own_till,
    shared_ledger_on_program,
)
from tests.sync.conftest import in_process_ledger_on, program_file

FIRST = "\n[bonuses.first_purchase]\npoints = 30\n"
KETTLE = SaleLine("KETTLE", 1, 2000, "kitchen")
CUPS = SaleLine("CUP", 4, 250, "kitchen")


@pytest.fixture(params=["postgres", "sqlite"])
def first_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    yield from in_process_ledger_on(request, tmp_path, program_file(tmp_path, program_text(FIRST)))


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[LedgerProcess]:
    yield from shared_ledger_on_program(request, tmp_path_factory, program_text(FIRST))


def test_the_shops_whole_refund_takes_back_the_first_purchase_bonus(first_ledger):
    ledger = first_ledger
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    counter = OnlineCounter(ledger)
    before = ledger.balance(member.id)
    counter.order(SHOP, member.id, 1000, "W-1", (OrderLine("KETTLE", 1, 1000),))
    assert ledger.balance(member.id) == before + 10 + 30  # the earn and the first purchase
    refunded = counter.refund(SHOP, "W-1")
    assert refunded.points == -40 and ledger.balance(member.id) == before
    assert all(r.status == "accepted" for r in refunded.results)


def test_the_shops_bonus_comes_back_with_the_last_line(first_ledger):
    ledger = first_ledger
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    counter = OnlineCounter(ledger)
    before = ledger.balance(member.id)
    counter.order(SHOP, member.id, 3000, "W-1",
                  (OrderLine("KETTLE", 1, 2000), OrderLine("CUP", 4, 250)))
    assert counter.refund(SHOP, "W-1", [("CUP", 4)]).points == -10  # a purchase is left
    assert ledger.balance(member.id) == before + 20 + 30
    assert counter.refund(SHOP, "W-1").points == -50
    assert ledger.balance(member.id) == before


def test_a_kiosks_whole_refund_takes_the_bonus_back_on_the_ledger_too(ledger, tmp_path):
    k = own_till(ledger, tmp_path, "till-a")
    joined = enrol(k.kiosk, Enrolment("陳美玲", own_phone(), consent=True))
    enrolled = identify(k.kiosk, joined.card.payload).balance
    sale = ring_up_sale(k.kiosk, Sale.of_basket(joined.member.id, (KETTLE, CUPS), "S-1"))
    assert "first_purchase" in {e.note for e in sale.entries}
    k.agent().sync_once()
    refund_lines(k.kiosk, "S-1", [RefundLine(1, 4)])  # the cups: the bonus stays
    refund_order(k.kiosk, "S-1")  # the kettle: the order is back whole, and the bonus
    k.agent().sync_once()
    shop = LedgerClient(ledger.url, ledger.add_device(own_name("web"), "shop"))
    assert identify(k.kiosk, joined.card.payload).balance == enrolled
    assert shop.balance(joined.member.id) == enrolled
    assert rejections(ledger, k.kiosk.channel) == []
    k.kiosk.store.close()


def _refund_by_hand(k, ref: str, lines, *, bonus: bool) -> None:  # type: ignore[no-untyped-def]
    """What a kiosk from before this change (``bonus=False``) or a tampered one writes:
    the refund of ``lines`` and a whole reversal of the order's entries."""
    now = k.kiosk.clock()
    with k.kiosk.store.write() as tx:
        found = [e for e, _, _ in tx.entries.of_order(k.kiosk.channel, ref)]
        member = found[0].member_id
        tx.refunds.add(Refund(uuid.uuid4(), k.kiosk.channel, ref, now, tuple(lines)))
        backs = [reversal(e, id=uuid.uuid4(), occurred_at=now, channel=k.kiosk.channel,
                          program_version=k.kiosk.program.version) for e in found]
        if bonus:
            [first] = [e for e in tx.entries.of_member(member)
                       if e.id == derived_id(member, "first_purchase")]
            backs.append(bonus_reversal(first, ref, id=uuid.uuid4(), occurred_at=now,
                                        channel=k.kiosk.channel,
                                        program_version=k.kiosk.program.version))
        tx.entries.append(backs)


def test_an_older_kiosks_whole_refund_without_the_bonus_still_stands(ledger, tmp_path):
    k = own_till(ledger, tmp_path, "till-b")
    joined = enrol(k.kiosk, Enrolment("林志明", own_phone(), consent=True))
    enrolled = identify(k.kiosk, joined.card.payload).balance
    ring_up_sale(k.kiosk, Sale.of_basket(joined.member.id, (KETTLE,), "S-1"))
    k.agent().sync_once()
    _refund_by_hand(k, "S-1", [RefundLine(0, 1)], bonus=False)
    k.agent().sync_once()
    assert rejections(ledger, k.kiosk.channel) == []
    shop = LedgerClient(ledger.url, ledger.add_device(own_name("web"), "shop"))
    assert shop.balance(joined.member.id) == enrolled + 30  # as that kiosk refunded it
    k.kiosk.store.close()


def test_the_bonus_is_not_taken_back_while_some_of_the_order_stands(ledger, tmp_path):
    """A tampered till reverses the bonus with a refund of one cup: refused."""
    k = own_till(ledger, tmp_path, "till-c")
    joined = enrol(k.kiosk, Enrolment("王小明", own_phone(), consent=True))
    ring_up_sale(k.kiosk, Sale.of_basket(joined.member.id, (KETTLE, CUPS), "S-1"))
    k.agent().sync_once()
    with k.kiosk.store.write() as tx:
        member = joined.member.id
        [first] = [e for e in tx.entries.of_member(member)
                   if e.id == derived_id(member, "first_purchase")]
        now = k.kiosk.clock()
        tx.refunds.add(Refund(uuid.uuid4(), k.kiosk.channel, "S-1", now, (RefundLine(1, 1),)))
        tx.entries.append([bonus_reversal(first, "S-1", id=uuid.uuid4(), occurred_at=now,
                                          channel=k.kiosk.channel,
                                          program_version=k.kiosk.program.version)])
    k.agent().sync_once()
    [refused] = rejections(ledger, k.kiosk.channel)
    assert refused["code"] == "beyond_refund"
    assert "comes back with the whole order" in str(refused["reason"])
    k.kiosk.store.close()

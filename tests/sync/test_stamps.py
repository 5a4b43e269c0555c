"""Punch cards end to end (issue 14, point 5): stamps are entries in the card's own wallet
of the one ledger. Two kiosks stamp the same member's card; the second sees the first's
stamps after sync and fills the card; the ledger, which re-runs every order's rules with
the stamps the counter recorded, accepts it all; no stamp is ever a point; a refund takes
the stamps back; a stamp entry that no order gives is refused."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.engine.orders import derived_id
from kiosk.ledger import EntryKind
from kiosk.services import Enrolment, Sale, SaleLine, enrol, identify, ring_up_sale, verify_store
from kiosk.services.refunds import recent_orders, refund_order
from sync.client import LedgerClient
from sync.protocol import EntryWire, UploadRequest
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import COFFEE_CARD, program_text
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program

LATTE = "LATTE"


def coffees(n: int) -> tuple[SaleLine, ...]:
    return (SaleLine(LATTE, n, 120, "coffee"),)  # NT$120 a cup


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path,
                                 program_text(COFFEE_CARD, version="2026.2-stamps"))


def test_two_kiosks_fill_one_card_and_the_ledger_agrees(ledger: LedgerProcess,
                                                        tmp_path: Path) -> None:
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    b.agent().sync_once()  # b trusts a's card key
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    member = joined.member.id
    first = ring_up_sale(a.kiosk, Sale.of_basket(member, coffees(3), order_ref="A-1"))
    assert [(e.kind, e.note, e.points) for e in first.entries] == [
        (EntryKind.EARN, None, 3), (EntryKind.STAMP, "card:coffee", 3)]
    assert first.points == 3 and first.balance == 50 + 3  # stamps are no points
    assert [(o.order_ref, o.points) for o in recent_orders(a.kiosk, member)] == [("A-1", 3)]
    a.agent().sync_once()

    identify(b.kiosk, joined.card.payload)
    b.agent().sync_once()  # b pulls a's stamps
    with b.kiosk.store.read() as tx:
        assert tx.entries.stamps(member) == {"coffee": 3}
    second = ring_up_sale(b.kiosk, Sale.of_basket(member, coffees(2), order_ref="B-1"))
    # 3 held + 2 new fill the 4-stamp card once: one stamp carries over, one coupon.
    assert [(e.kind, e.note, e.points) for e in second.entries] == [
        (EntryKind.EARN, None, 2), (EntryKind.STAMP, "card:coffee", 2 - 4)]
    with b.kiosk.store.read() as tx:
        assert tx.entries.stamps(member) == {"coffee": 1}
        record = tx.orders.get(b.kiosk.channel, "B-1")
    assert record is not None and record.state is not None
    assert record.state.stamps == (("coffee", 3),)  # what b knew, for the ledger's re-run
    assert [c.id_for(member) for c in record.coupons] == [
        derived_id(member, f"card:coffee:{b.kiosk.channel}:B-1:1")]
    for k in (b, a):
        k.agent().sync_once()

    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    history = shop.member(member)
    assert history.balance == 50 + 3 + 2
    assert sum(e.points for e in history.entries if e.kind is EntryKind.STAMP) == 1
    for k in (a, b):
        with k.kiosk.store.read() as tx:
            assert tx.outbox.rejections() == []  # the ledger re-ran both orders: accepted
            assert tx.entries.stamps(member) == {"coffee": 1}
        assert identify(k.kiosk, joined.card.payload).balance == 50 + 3 + 2
        assert verify_store(k.kiosk).ok
    assert ledger.check() == []

    # The first order is refunded: its three stamps go back, the card is 2 short of
    # the one it already filled; the points balance moves by the earn only.
    refund = refund_order(a.kiosk, "A-1")
    assert refund.points == -3 and refund.balance == 50 + 2
    assert sorted((e.kind, e.points) for e in refund.entries) == [
        (EntryKind.REVERSE, -3), (EntryKind.STAMP, -3)]
    a.agent().sync_once()
    with a.kiosk.store.read() as tx:
        assert tx.outbox.rejections() == []
        assert tx.entries.stamps(member) == {"coffee": -2}
    assert shop.member(member).balance == 50 + 2
    assert ledger.check() == []
    for k in (a, b):
        k.kiosk.store.close()


def test_a_stamp_entry_no_order_gives_is_refused(ledger: LedgerProcess,
                                                 tmp_path: Path) -> None:
    """A stolen token is no licence to fill cards: stamps come only with an order whose
    rules give them."""
    a = paired(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("王小明", "0922333444", consent=True))
    a.agent().sync_once()
    client = LedgerClient(ledger.url, a.token)
    forged = EntryWire(id=uuid.uuid4(), member_id=joined.member.id, kind=EntryKind.STAMP,
                       points=9, channel=a.kiosk.channel, occurred_at=datetime.now(UTC),
                       program_version="2026.2-stamps", note="card:coffee", device_seq=10_000)
    answer = client.upload(UploadRequest(entries=[forged]))
    assert [(r.status, r.code) for r in answer.results] == [("rejected", "kind_not_issued")]
    assert "stamp" in (answer.results[0].reason or "")
    assert not [e for e in LedgerClient(ledger.url, ledger.add_device("web", "shop"))
                .member(joined.member.id).entries if e.kind is EntryKind.STAMP]
    a.kiosk.store.close()

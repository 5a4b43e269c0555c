"""A checkout's points come back only with a refund of its lines (found at review 26, left
open then): the ledger took a whole-mirror reversal of any entry of the device's own
channel with no refund behind it, so a kiosk token could upload a ``reverse`` of its
checkout's redemption: the member kept the goods the points paid for and got the points
back, as often as the token liked ("nothing minted"). An order the ledger holds by line
is refunded by line, with the refund kept beside its reversals, as every kiosk does; what
only took back what the order gave (its earn) may still be mirrored whole, as kiosks from
before refunds by line refunded (second review 27: their queued refunds were refused)."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.ledger import EntryKind
from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.refunds import refund_order
from sync.client import LedgerClient
from sync.protocol import EntryWire, UploadRequest
from tests.helpers.checkout_ledger import KEYED, checkout_ledger, get
from tests.helpers.ledger_process import LedgerProcess
from tests.helpers.ledger_process import paired as pair
from tests.helpers.program_ledger import BOTH_DATABASES


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from checkout_ledger(request, tmp_path)


def mirror(original: EntryWire, device_seq: int) -> EntryWire:
    """A whole mirror of ``original``, on its own channel, with no refund beside it
    (numbered far past the kiosk's own numbers, which its refund takes later)."""
    return EntryWire(id=uuid.uuid4(), member_id=original.member_id,
                     kind="stamp" if original.kind is EntryKind.STAMP else "reverse",
                     points=-original.points, amount_minor=-original.amount_minor,
                     channel=original.channel, occurred_at=original.occurred_at,
                     program_version=original.program_version, note=original.note,
                     order_ref=original.order_ref, reverses=original.id,
                     device_seq=device_seq)


def test_a_device_cannot_give_back_a_checkouts_points_without_a_refund(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    till = pair(ledger, tmp_path, "till-a")
    joined = enrol(till.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    member = joined.member.id
    ring_up_sale(till.kiosk, Sale(member, 9000, "TOP-UP"))  # 140 points
    check_out(till.kiosk, Checkout(member, (KEYED,), points=100, order_ref="C-1"))
    till.agent().sync_once()
    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    paid = shop.balance(member)
    assert paid == 140 - 100 + 9  # NT$900 paid in money earns 9
    with till.kiosk.store.read() as tx:
        recorded = [EntryWire.of(e) for e, _, _ in tx.entries.of_order(till.kiosk.channel,
                                                                        "C-1")]
    assert {e.kind for e in recorded} == {EntryKind.REDEEM, EntryKind.EARN}

    # The kiosk's own token uploads a mirror of the redemption, twice: refused, naming
    # the order; a mirror of the earn would only take points away (an older kiosk's
    # whole refund), and is not what this guards.
    [redeem] = [e for e in recorded if e.kind is EntryKind.REDEEM]
    forger = LedgerClient(ledger.url, till.token)
    for attempt in range(2):
        answer = forger.upload(UploadRequest(entries=[mirror(redeem, 1000 + attempt)]))
        assert [(r.status, r.code) for r in answer.results] == [("rejected", "beyond_refund")]
        reason = answer.results[0].reason or ""
        assert "'C-1'" in reason and "refund of its lines" in reason
    assert shop.balance(member) == paid  # nothing given back, nothing minted

    # The counter's refund (the refund kept with its reversals) still gives them back.
    refund_order(till.kiosk, "C-1")
    till.agent().sync_once()
    assert shop.balance(member) == 140
    rejected = get(ledger, "/v1/reports/rejections")
    assert {r["code"] for r in rejected} == {"beyond_refund"}  # the forger's, no others
    till.kiosk.store.close()


def test_an_older_kiosks_queued_whole_refund_still_takes_the_points_back(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """A kiosk from before refunds by line (store 0007-0012) recorded its orders by line and
    refunded them by mirroring their entries whole; one such refund still queued when the
    kiosk is upgraded goes up with no refund. It only takes back what the sale gave."""
    till = pair(ledger, tmp_path, "till-a")
    joined = enrol(till.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    member = joined.member.id
    sold = ring_up_sale(till.kiosk, Sale(member, 9000, "A-1"))
    till.agent().sync_once()
    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    assert shop.balance(member) == 50 + sold.points
    [earn] = [EntryWire.of(e) for e in sold.entries if e.kind is EntryKind.EARN]
    old_kiosk = LedgerClient(ledger.url, till.token)
    answer = old_kiosk.upload(UploadRequest(entries=[mirror(earn, 1000)]))
    assert [(r.status, r.code) for r in answer.results] == [("accepted", None)]
    assert shop.balance(member) == 50
    again = old_kiosk.upload(UploadRequest(entries=[mirror(earn, 1001)]))
    assert [(r.status, r.code) for r in again.results] == [("rejected", "already_reversed")]
    till.kiosk.store.close()

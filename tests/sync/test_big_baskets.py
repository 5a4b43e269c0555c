"""Big baskets don't stop sync: 60 sales of 400 lines each, rung up offline, make a batch
whose orders are well over the ledger's 4 MB body limit. The ledger answers 413; the kiosk
sends the batch again in halves until each part fits, and everything arrives. Before, the
413 was raised on every round and nothing after those sales ever synced."""

from __future__ import annotations

from pathlib import Path

from kiosk.services import Enrolment, Sale, SaleLine, enrol, ring_up_sale, verify_store
from sync.protocol import OrderWire
from sync.server.app import MAX_BODY_BYTES
from tests.helpers.ledger import all_server_entries
from tests.helpers.ledger_process import LedgerProcess, paired

LINES = 400
SALES = 60


def test_a_batch_over_the_body_limit_goes_up_in_halves(sqlite_ledger: LedgerProcess,
                                                       tmp_path: Path) -> None:
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id
    basket = tuple(SaleLine(f"SKU-{i:04d}-{'x' * 40}", 1, 25, f"aisle-{i % 20:02d}")
                   for i in range(LINES))
    for n in range(SALES):
        ring_up_sale(k.kiosk, Sale.of_basket(member, basket, f"BIG-{n}"))
    with k.kiosk.store.read() as tx:
        records = tx.orders.unsent(SALES)
    assert sum(len(OrderWire.of(r).model_dump_json()) for r in records) > MAX_BODY_BYTES

    report = k.agent().sync_once()
    assert report.pending_uploads == 0 and report.rejected == 0
    on_ledger = all_server_entries(k)
    assert {e.order_ref for e in on_ledger if e.order_ref} == {f"BIG-{n}" for n in range(SALES)}
    with k.kiosk.store.read() as tx:
        assert tx.outbox.rejections() == [] and tx.orders.unsent(10) == []
    assert verify_store(k.kiosk).ok
    assert sqlite_ledger.check() == []
    k.kiosk.store.close()

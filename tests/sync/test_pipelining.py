"""Two uploads in flight: a later batch that only adds points may reach the ledger before
the one sent just before it; a batch with a refund never does, so the ledger always has a
reversal's original first. A proxy holds back the first connection to make the later
batch overtake when it is allowed to."""

from __future__ import annotations

import uuid
from pathlib import Path

from kiosk.services import Enrolment, Sale, enrol, refund_order, ring_up_sale
from sync.agent import SyncAgent
from sync.client import LedgerClient
from tests.helpers.chaos_proxy import ChaosProxy, Fault
from tests.sync.conftest import LedgerProcess, PairedKiosk, paired
from tests.sync.test_convergence import all_server_entries

HOLD_FIRST = 1.0  # seconds the proxy holds back the first connection's traffic


def outbox_size(k: PairedKiosk) -> int:
    with k.kiosk.store.read() as tx:
        return tx.outbox_size()


def sync_through_slow_first_connection(ledger: LedgerProcess, k: PairedKiosk,
                                       batch: int) -> list[tuple[str, int]]:
    """Sync once with ``batch``-entry uploads; the ledger's (order_ref or kind, seq) of
    every entry, in the kiosk's own order."""
    with ChaosProxy("127.0.0.1", ledger.port) as proxy:
        proxy.set_schedule(lambda i: Fault.DELAY if i == 0 else Fault.PASS, delay=HOLD_FIRST)
        agent = SyncAgent(k.kiosk, LedgerClient(proxy.url, k.token, timeout=(2.0, 10.0)),
                          batch=batch)
        report = agent.sync_once()
    assert report.rejected == 0 and report.pending_uploads == 0
    assert ledger.check() == []
    seqs = {e.id: e.seq for e in all_server_entries(k)}
    with k.kiosk.store.read() as tx:
        mine = [e for m in tx.member_ids() for e in tx.member_entries(m)]
    mine.sort(key=lambda e: e.id)  # UUIDv7: the order they were made
    return [(e.order_ref or e.kind.value, seqs[e.id]) for e in mine]


def first_batch(k: PairedKiosk) -> tuple[uuid.UUID, int]:
    member = enrol(k.kiosk, Enrolment("Chan Tai Man", "0912345678", consent=True)).member
    for i in range(3):
        ring_up_sale(k.kiosk, Sale(member.id, 50_000, f"S-{i}"))
    return member.id, outbox_size(k)


def test_a_batch_that_only_adds_points_may_overtake_the_one_before(sqlite_ledger,
                                                                   tmp_path: Path):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member_id, batch = first_batch(k)
    for i in range(3, 6):
        ring_up_sale(k.kiosk, Sale(member_id, 50_000, f"S-{i}"))
    assert batch < outbox_size(k) <= 2 * batch
    order = sync_through_slow_first_connection(sqlite_ledger, k, batch)
    first, second = order[:batch], order[batch:]
    # the second batch was sent while the first was held back, and got the lower seqs
    assert max(seq for _, seq in second) < min(seq for _, seq in first)


def test_a_batch_with_a_refund_waits_for_the_one_before(sqlite_ledger, tmp_path: Path):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member_id, batch = first_batch(k)
    refund_order(k.kiosk, "S-0", "returned")  # reverses an entry of the first batch
    for i in range(3, 6):
        ring_up_sale(k.kiosk, Sale(member_id, 50_000, f"S-{i}"))
    assert batch < outbox_size(k) <= 2 * batch
    order = sync_through_slow_first_connection(sqlite_ledger, k, batch)
    first, second = order[:batch], order[batch:]
    assert max(seq for _, seq in first) < min(seq for _, seq in second)
    assert [seq for _, seq in order] == sorted(seq for _, seq in order)

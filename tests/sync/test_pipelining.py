"""Two uploads in flight: a later batch that only adds points is sent before the one
before it is answered; a batch with a refund never is, so the ledger always has a
reversal's original first. A proxy slows every connection down, so a request in flight
takes long enough for the agent to decide; two requests at once need two connections,
one at a time reuse one (keep-alive)."""

from __future__ import annotations

import uuid
from pathlib import Path

from kiosk.services import Enrolment, Sale, enrol, refund_order, ring_up_sale
from sync.agent import SyncAgent
from sync.client import LedgerClient
from tests.helpers.chaos_proxy import ChaosProxy, Fault
from tests.sync.conftest import LedgerProcess, PairedKiosk, paired
from tests.sync.test_convergence import all_server_entries

LATENCY = 0.3  # seconds the proxy holds back each chunk, both ways


def outbox_size(k: PairedKiosk) -> int:
    with k.kiosk.store.read() as tx:
        return tx.outbox_size()


def sync_over_a_slow_network(ledger: LedgerProcess, k: PairedKiosk, batch: int
                             ) -> tuple[int, list[int]]:
    """Sync once with ``batch``-entry uploads: the connections it took, and the ledger's
    seq of every entry in the order the kiosk made them."""
    with ChaosProxy("127.0.0.1", ledger.port) as proxy:
        proxy.set_fault(Fault.DELAY, delay=LATENCY)
        agent = SyncAgent(k.kiosk, LedgerClient(proxy.url, k.token, timeout=(5.0, 20.0)),
                          batch=batch)
        report = agent.sync_once()
        connections = proxy.stats["connections"]
    assert report.rejected == 0 and report.pending_uploads == 0
    assert ledger.check() == []
    seqs = {e.id: e.seq for e in all_server_entries(k)}
    with k.kiosk.store.read() as tx:
        mine = sorted((e for m in tx.member_ids() for e in tx.member_entries(m)),
                      key=lambda e: e.id)  # UUIDv7: the order they were made
    return connections, [seqs[e.id] for e in mine]


def first_batch(k: PairedKiosk) -> tuple[uuid.UUID, int]:
    member = enrol(k.kiosk, Enrolment("Chan Tai Man", "0912345678", consent=True)).member
    for i in range(3):
        ring_up_sale(k.kiosk, Sale(member.id, 50_000, f"S-{i}"))
    return member.id, outbox_size(k)


def test_a_batch_that_only_adds_points_goes_while_the_one_before_is_in_flight(
        sqlite_ledger, tmp_path: Path):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member_id, batch = first_batch(k)
    for i in range(3, 6):
        ring_up_sale(k.kiosk, Sale(member_id, 50_000, f"S-{i}"))
    assert batch < outbox_size(k) <= 2 * batch
    connections, _ = sync_over_a_slow_network(sqlite_ledger, k, batch)
    assert connections == 2


def test_a_batch_with_a_refund_waits_for_the_one_before(sqlite_ledger, tmp_path: Path):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member_id, batch = first_batch(k)
    refund_order(k.kiosk, "S-0", "returned")  # reverses an entry of the first batch
    for i in range(3, 6):
        ring_up_sale(k.kiosk, Sale(member_id, 50_000, f"S-{i}"))
    assert batch < outbox_size(k) <= 2 * batch
    connections, seqs = sync_over_a_slow_network(sqlite_ledger, k, batch)
    assert connections == 1
    assert seqs == sorted(seqs)  # the ledger has them in the kiosk's order

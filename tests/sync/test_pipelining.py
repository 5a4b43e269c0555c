"""Two uploads in flight: a later batch that only adds points is sent before the one
before it is answered; a batch with a refund never is, so the ledger always has a
reversal's original first. A proxy slows every connection down, so a request in flight
takes long enough for the agent to decide; two requests at once need two connections,
one at a time reuse one (keep-alive)."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from kiosk.services import Enrolment, Sale, enrol, refund_order, ring_up_sale, verify_store
from sync.agent import SyncAgent
from sync.client import LedgerClient, LedgerUnavailable
from sync.protocol import UploadRequest, UploadResponse
from tests.helpers.chaos_proxy import ChaosProxy, Fault
from tests.helpers.ledger import all_server_entries
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk, paired

LATENCY = 0.3  # seconds the proxy holds back each chunk, both ways


def outbox_size(k: PairedKiosk) -> int:
    with k.kiosk.store.read() as tx:
        return tx.outbox.size()


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
        mine = sorted((e for m in tx.members.ids() for e in tx.entries.of_member(m)),
                      key=lambda e: (e.occurred_at, e.id))  # the order they were made (a
        # sale's entries share its time and have UUIDv7 ids; the sign-up bonus's is derived)
    return connections, [seqs[e.id] for e in mine]


def test_a_tier_claim_waits_for_the_batch_with_the_spend_behind_it(sqlite_ledger,
                                                                   tmp_path: Path):
    """Gold from the first batch's sales, claimed in the second: sent alongside, the
    second could reach the ledger first and be refused as a tier the member can't hold."""
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member_id, batch = first_batch(k)
    for i in range(3, 6):
        ring_up_sale(k.kiosk, Sale(member_id, 50_000, f"S-{i}"))  # at gold
    connections, seqs = sync_over_a_slow_network(sqlite_ledger, k, batch)
    assert connections == 1
    assert seqs == sorted(seqs)


def first_batch(k: PairedKiosk) -> tuple[uuid.UUID, int]:
    member = enrol(k.kiosk, Enrolment("Chan Tai Man", "0912345678", consent=True)).member
    for i in range(3):
        ring_up_sale(k.kiosk, Sale(member.id, 50_000, f"S-{i}"))
    return member.id, outbox_size(k)


def independent_batch(k: PairedKiosk) -> None:
    """A second batch that only adds points and claims no tier above the first for the
    first batch's buyer (the ledger checks such a claim against the spend it knows)."""
    other = enrol(k.kiosk, Enrolment("Lee Siu Ming", "0912345679", consent=True)).member
    for i in range(3, 6):
        ring_up_sale(k.kiosk, Sale(other.id, 5_000, f"S-{i}"))


def test_a_batch_that_only_adds_points_goes_while_the_one_before_is_in_flight(
        sqlite_ledger, tmp_path: Path):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    _, batch = first_batch(k)
    independent_batch(k)
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


class LaterBatchFirst(LedgerClient):
    """A network that delivers the later of two batches in flight first, and, with
    ``lose_its_answer``, loses that batch's answer on the way back (the issue's
    reproduction); only then is the earlier one delivered. A real client to a real ledger,
    with the order forced."""

    def __init__(self, url: str, token: str, *, lose_its_answer: bool) -> None:
        super().__init__(url, token)
        self.lose = lose_its_answer
        self.later_committed = threading.Event()
        self.calls = 0
        self._count = threading.Lock()

    def upload(self, request: UploadRequest) -> UploadResponse:
        with self._count:
            self.calls += 1
            call = self.calls
        if call == 1:
            assert self.later_committed.wait(30)
        answer = super().upload(request)
        if call == 2:
            self.later_committed.set()
            if self.lose:
                raise LedgerUnavailable("the answer was lost on the way back")
        return answer


@pytest.mark.parametrize("lose_its_answer", [False, True])
def test_every_entry_learns_its_seq_when_the_later_batch_is_numbered_first(
        sqlite_ledger, tmp_path: Path, lose_its_answer: bool):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    _, batch = first_batch(k)
    independent_batch(k)
    made = outbox_size(k)
    assert batch < made <= 2 * batch
    network = LaterBatchFirst(k.url, k.token, lose_its_answer=lose_its_answer)
    agent = SyncAgent(k.kiosk, network, batch=batch)
    if lose_its_answer:
        with pytest.raises(LedgerUnavailable):
            agent.sync_once()
        agent.sync_once()  # the next round, on a network that works
    else:
        assert agent.sync_once().pending_uploads == 0
    assert network.calls >= 2

    seqs = {e.id: e.seq for e in all_server_entries(k)}
    with k.kiosk.store.read() as tx:
        local = dict(tx.conn.execute(text("SELECT id, server_seq FROM entries")).all())
        assert tx.outbox.size() == 0
    assert len(local) == made
    assert {uuid.UUID(bytes=i): seq for i, seq in local.items()} == seqs
    assert verify_store(k.kiosk).ok
    k.kiosk.store.close()


def test_an_orders_other_awards_wait_for_the_batch_with_its_earn():
    """An order cut by the batch size: its promotion's points in the later batch stand
    only with its earn (the ledger refuses an order's other awards without it), so that
    batch is never sent before the earn's is numbered; another order's may be."""
    from sync.uploads import independent
    from tests.helpers.ledger_wire import members, sale

    [member] = members(1)
    earn = sale(member, 1, 10, order_ref="R-1")
    promo = sale(member, 2, 10, kind="bonus", amount_minor=0, order_ref="R-1",
                 note="promo:double")
    other = sale(member, 3, 10, kind="bonus", amount_minor=0, order_ref="R-2",
                 note="promo:double")
    assert not independent(UploadRequest(entries=[promo]), UploadRequest(entries=[earn]),
                            "bronze")
    assert independent(UploadRequest(entries=[other]), UploadRequest(entries=[earn]),
                        "bronze")


def test_a_batch_takes_the_rest_of_its_last_order():
    """Cut at the batch's size, an order's stamp entry would go up after its earn was
    answered: its card's coupon would never be issued (it stands only with the order's
    stamp entry). The batch takes the rest of its last order, and stops there."""
    from sync.uploads import _whole_orders
    from tests.helpers.ledger_wire import members, sale

    [member] = members(1)
    rows = [(1, sale(member, 1, order_ref="R-1")), (2, sale(member, 2, order_ref="R-2")),
            (3, sale(member, 3, kind="stamp", amount_minor=0, order_ref="R-2",
                     note="card:coffee")),
            (4, sale(member, 4, order_ref="R-3"))]
    entries = [(seq, wire.to_entry()) for seq, wire in rows]
    assert [seq for seq, _ in _whole_orders(entries, 2)] == [1, 2, 3]
    assert [seq for seq, _ in _whole_orders(entries, 1)] == [1]
    assert [seq for seq, _ in _whole_orders(entries, 9)] == [1, 2, 3, 4]

"""Ledger.upload on both databases: a fresh batch takes PostgreSQL's one-statement path,
anything seen before falls back to the careful one, and the outcome is the same either
way: gap-free seqs, one receipt per number, balances equal to the sums, nothing twice."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from sync.protocol import UploadRequest, UploadResponse
from sync.server import models as m
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK, SHOP, members, sale


def receipts(ledger: Ledger) -> dict[int, str]:
    with ledger.engine.connect() as conn:
        return dict(conn.execute(select(m.Receipt.device_seq, m.Receipt.status)).all())


def test_a_fresh_batch_a_replay_and_a_mixed_batch_agree(ledger):
    people = members(3)
    first = [sale(people[i % 3], i + 1) for i in range(6)]
    answer = ledger.upload(KIOSK, UploadRequest(members=people, entries=first))
    assert [(r.status, r.seq) for r in answer.results] == [("accepted", i) for i in range(1, 7)]
    assert answer.acked_through == 6 and answer.gaps == []

    replay = ledger.upload(KIOSK, UploadRequest(entries=first))
    assert [(r.status, r.seq) for r in replay.results] == [("duplicate", i) for i in range(1, 7)]

    mixed = [first[4], sale(people[0], 7), first[5], sale(people[1], 8)]
    answer = ledger.upload(KIOSK, UploadRequest(entries=mixed))
    assert [(r.status, r.seq) for r in answer.results] == [
        ("duplicate", 5), ("accepted", 7), ("duplicate", 6), ("accepted", 8)]
    assert answer.acked_through == 8
    assert receipts(ledger) == {i: "accepted" for i in range(1, 9)}
    assert [ledger.balance(p.id) for p in people] == [15, 15, 10]
    assert ledger.check() == []


def test_an_order_already_recorded_is_refused_alone_and_seqs_stay_gap_free(ledger):
    people = members(2)
    ledger.upload(KIOSK, UploadRequest(members=people, entries=[
        sale(people[0], 1, order_ref="A-1")]))
    again = [sale(people[1], 2), sale(people[0], 3, order_ref="A-1"), sale(people[1], 4)]
    answer = ledger.upload(KIOSK, UploadRequest(entries=again))
    assert [(r.status, r.seq) for r in answer.results] == [
        ("accepted", 2), ("rejected", None), ("accepted", 3)]
    assert "already recorded" in (answer.results[1].reason or "")
    assert answer.acked_through == 4  # a rejected number is decided, so it is received too
    assert receipts(ledger) == {1: "accepted", 2: "accepted", 3: "rejected", 4: "accepted"}
    assert [ledger.balance(p.id) for p in people] == [5, 10]
    assert ledger.check() == []


def test_a_redemption_that_overdraws_is_recorded_as_an_overdraft(ledger):
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[sale(member, 1, 50)]))
    spend = sale(member, 2, -60, kind="redeem", amount_minor=0, order_ref=None,
                 reward_id="coffee")
    answer = ledger.upload(KIOSK, UploadRequest(entries=[spend]))
    assert answer.results[0].status == "accepted"
    with ledger.engine.connect() as conn:
        overdraft = conn.execute(select(m.Overdraft.balance_after)).scalar_one()
    assert overdraft == ledger.balance(member.id) == -10


def test_entries_come_back_as_uploaded_whichever_columns_are_empty(ledger):
    """PostgreSQL's fast path sends a column that is empty in every entry of a batch as a
    single null array; every field must still come back as it went up, in batches where
    a column is empty throughout, and where it is only sometimes."""
    [member] = members(1)
    batches = [
        [sale(member, 1, note="gift wrap"), sale(member, 2, order_ref=None)],
        [sale(member, 3, 9, order_ref=None), sale(member, 4)],  # no notes at all
        [sale(member, 5, -60, kind="redeem", amount_minor=0, order_ref=None,
              reward_id="coffee", note="birthday")],
    ]
    for i, batch in enumerate(batches):
        answer = ledger.upload(KIOSK, UploadRequest(members=[member] if i == 0 else [],
                                                    entries=batch))
        assert {r.status for r in answer.results} == {"accepted"}
    sent = [e for batch in batches for e in batch]
    pulled = ledger.pull(0, 100).entries
    assert [e.model_dump(exclude={"seq", "device_seq"}) for e in pulled] == [
        e.model_dump(exclude={"seq", "device_seq"}) for e in sent]
    assert ledger.balance(member.id) == 5 + 5 + 9 + 5 - 60


def test_the_shop_gets_no_receipts_and_its_batches_take_the_same_path(ledger):
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[sale(member, 1)]))
    web = [sale(member, None, 7, channel="web") for _ in range(3)]
    answer = ledger.upload(SHOP, UploadRequest(entries=web))
    assert [r.seq for r in answer.results] == [2, 3, 4]
    assert ledger.upload(SHOP, UploadRequest(entries=web)).results[0].status == "duplicate"
    assert receipts(ledger) == {1: "accepted"}
    with ledger.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(m.Entry)).scalar_one() == 4
    assert ledger.balance(member.id) == 26 and ledger.check() == []


def test_the_mark_stops_at_a_missing_batch_and_the_gap_is_reported_until_it_comes(ledger):
    """A kiosk clears its outbox only below the mark: a batch lost on the way must hold
    the mark back, however many later batches arrive."""
    people = members(2)
    sent = [sale(people[i % 2], i + 1) for i in range(12)]
    first = ledger.upload(KIOSK, UploadRequest(members=people, entries=sent[:3]))
    assert (first.acked_through, first.gaps) == (3, [])
    later = ledger.upload(KIOSK, UploadRequest(entries=sent[5:7]))  # 4 and 5 were lost
    assert (later.acked_through, later.gaps) == (3, [(4, 5)])
    more = ledger.upload(KIOSK, UploadRequest(entries=sent[9:11]))
    assert (more.acked_through, more.gaps) == (3, [(4, 5), (8, 9)])
    resent = ledger.upload(KIOSK, UploadRequest(entries=sent[3:5]))
    assert (resent.acked_through, resent.gaps) == (7, [(8, 9)])
    rest = ledger.upload(KIOSK, UploadRequest(entries=sent[7:9] + sent[11:]))
    assert (rest.acked_through, rest.gaps) == (12, [])
    assert sorted(receipts(ledger)) == list(range(1, 13))
    assert ledger.check() == []


@pytest.mark.parametrize("ledger", ["postgres"], indirect=True)
@pytest.mark.parametrize("first", ["later", "earlier"])
def test_two_batches_racing_for_the_head_both_count_towards_the_mark(ledger, first):
    """A kiosk with two uploads in flight, both waiting for the ledger's head. Whichever
    goes second started its statement before the first committed, so it can't see that
    batch's receipts. If the later batch went first, the earlier one's answer must still
    acknowledge both, or the kiosk would think the later batch lost."""
    people = members(2)
    ledger.upload(KIOSK, UploadRequest(members=people, entries=[sale(people[0], 1)]))
    earlier = UploadRequest(entries=[sale(people[0], seq) for seq in (2, 3)])
    later = UploadRequest(entries=[sale(people[1], seq) for seq in (4, 5)])
    answers: dict[str, UploadResponse] = {}

    def waiting_for_the_head(conn, n: int) -> bool:
        return conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")).scalar_one() == n

    with ledger.engine.connect() as holder, ThreadPoolExecutor(2) as uploads, \
            ledger.engine.connect() as watcher:
        watcher.execution_options(isolation_level="AUTOCOMMIT")
        holder.execute(text("SELECT last_seq FROM ledger_head WHERE id = 1 FOR UPDATE"))
        queue = [("later", later), ("earlier", earlier)]
        if first == "earlier":
            queue.reverse()
        for queued, (name, request) in enumerate(queue, start=1):
            answer = uploads.submit(ledger.upload, KIOSK, request)
            answer.add_done_callback(lambda f, name=name: answers.__setitem__(name, f.result()))
            deadline = time.monotonic() + 10
            while not waiting_for_the_head(watcher, queued):
                assert time.monotonic() < deadline, "the upload never queued for the head"
                time.sleep(0.01)
        holder.commit()  # the lock queue is first come, first served
    if first == "later":
        assert (answers["later"].acked_through, answers["later"].gaps) == (1, [(2, 3)])
        assert (answers["earlier"].acked_through, answers["earlier"].gaps) == (5, [])
        assert [r.seq for r in answers["later"].results] == [2, 3]
    else:
        assert (answers["earlier"].acked_through, answers["earlier"].gaps) == (3, [])
        assert (answers["later"].acked_through, answers["later"].gaps) == (5, [])
        assert [r.seq for r in answers["later"].results] == [4, 5]
    assert ledger.check() == []

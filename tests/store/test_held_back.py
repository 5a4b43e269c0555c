"""Entries held back from the ledger stay in the store for good, but the sync badge counts
a week's: one refusal long ago no longer keeps the counter amber."""

from __future__ import annotations

from kiosk.services import Sale, ring_up_sale
from sync.agent import HELD_BACK_FOR, SyncAgent
from sync.client import LedgerClient


def test_the_badge_counts_a_weeks_held_back_entries(kiosk, member, clock):
    [entry] = ring_up_sale(kiosk, Sale(member.member.id, 1000, "T-1")).entries
    with kiosk.store.write() as tx:
        tx.outbox.quarantine([(entry.id, "it can't be sent")], clock())
    agent = SyncAgent(kiosk, LedgerClient("http://127.0.0.1:9", "cpt_x"))
    assert (agent.status.held_back, agent.status.held_back_reasons) == (1, ("it can't be sent",))
    clock.advance(days=HELD_BACK_FOR.days, seconds=1)
    assert SyncAgent(kiosk, LedgerClient("http://127.0.0.1:9", "cpt_x")).status.held_back == 0
    with kiosk.store.read() as tx:
        assert [r for r, _ in tx.outbox.rejections()] == [entry.id]  # still there

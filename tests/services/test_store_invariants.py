"""The store keeps the ledger's invariants itself, and `verify` finds any breach."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kiosk.services import Sale, identify, refund_order, ring_up_sale, verify_store
from kiosk.store import StorageError

pytestmark = pytest.mark.sqlite_only  # raw SQL against the schema, a real full disk


def test_entries_cannot_be_edited_or_deleted_in_the_database(kiosk, member):
    with pytest.raises(IntegrityError, match="append-only"), kiosk.store.write() as tx:
        tx.conn.execute(text("UPDATE entries SET points = 9999"))
    with pytest.raises(IntegrityError, match="append-only"), kiosk.store.write() as tx:
        tx.conn.execute(text("DELETE FROM entries"))
    assert identify(kiosk, member.card.payload).balance == 50


def test_an_entry_can_be_reversed_only_once_even_bypassing_the_service(kiosk, member):
    """A refund by line reverses an entry in parts: never past the whole of it."""
    ring_up_sale(kiosk, Sale(member.member.id, 500, "X-1"))
    [back] = refund_order(kiosk, "X-1").entries
    with pytest.raises(IntegrityError, match="reversals within the entry"), \
            kiosk.store.write() as tx:
        tx.conn.execute(text(
            "INSERT INTO entries (id, member_id, kind, points, amount_minor, channel, "
            "program_version, occurred_at, reverses) SELECT randomblob(16), member_id, "
            "'reverse', points, amount_minor, channel, program_version, occurred_at, reverses "
            "FROM entries WHERE kind = 'reverse'"))
    assert back.reverses is not None


def test_an_order_earns_only_once_per_channel_even_bypassing_the_service(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 500, "X-1"))
    copy = ("INSERT INTO entries (id, member_id, kind, points, amount_minor, channel, "
            "order_ref, program_version, occurred_at) SELECT randomblob(16), member_id, kind, "
            "points, amount_minor, {channel}, order_ref, program_version, occurred_at "
            "FROM entries WHERE order_ref = 'X-1'")
    with pytest.raises(IntegrityError, match="one sale per channel and order"), \
            kiosk.store.write() as tx:
        tx.conn.execute(text(copy.format(channel="channel")))
    assert identify(kiosk, member.card.payload).balance == 55
    # The same order number on another channel (the online shop's W-1 is not ours) is fine.
    with kiosk.store.write() as tx:
        tx.conn.execute(text(copy.format(channel="'shop'")))
    assert identify(kiosk, member.card.payload).balance == 60


def test_verify_finds_a_cached_balance_that_disagrees_with_the_entries(kiosk, member):
    assert verify_store(kiosk).ok
    with kiosk.store.write() as tx:
        tx.conn.execute(text("UPDATE balances SET points = points + 7"))
    report = verify_store(kiosk)
    assert not report.ok
    assert "cached balance 57 != sum of entries 50" in report.problems[0]


def test_verify_finds_a_gap_in_the_device_sequence(kiosk, member):
    for _ in range(3):
        ring_up_sale(kiosk, Sale(member.member.id, 100))
    with kiosk.store.write() as tx:
        tx.conn.execute(text("DELETE FROM outbox WHERE device_seq = 2"))
    assert any("gaps" in p for p in verify_store(kiosk).problems)


def test_a_full_disk_refuses_the_sale_plainly_and_keeps_the_store_whole(kiosk, member):
    # A real SQLITE_FULL: the writer may not grow the database file past its current size.
    with kiosk.store.write() as tx:
        pages = tx.conn.exec_driver_sql("PRAGMA page_count").scalar()
        tx.conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
    recorded = []
    with pytest.raises(StorageError, match="disk is full"):
        for i in range(5000):
            recorded.append(ring_up_sale(kiosk, Sale(member.member.id, 100, f"F-{i:04}")))
    assert recorded, "some sales fit before the disk filled"
    # Every sale acknowledged before the failure is there; the failed one is not.
    view_balance = identify(kiosk, member.card.payload).balance
    assert view_balance == 50 + sum(r.points for r in recorded)
    with kiosk.store.read() as tx:
        assert tx.entries.sale(kiosk.channel, f"F-{len(recorded):04}") is None
    report = verify_store(kiosk)
    assert report.ok, report.problems
    # Space freed (here: the cap lifted with a new connection), sales work again.
    ring_up_sale(kiosk, Sale(member.member.id, 100, "after"))

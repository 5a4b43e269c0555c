"""A damaged value in a readable row of the kiosk's store (a flipped sector, a restore from
a damaged backup, a hand edit): the cashier, the counter's screens and `kiosk verify` got a
ValueError or TypeError (a traceback at the command line, exit 1 as if the cashier's input
were wrong); now the store says its database is damaged, naming the row, as a damaged page
is said (a StorageError, reads included; found at review 27)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from kiosk.services import Sale, identify, ring_up_sale, verify_store
from kiosk.store import StorageError

BAD_TIME = ("INSERT INTO entries (id, member_id, kind, points, amount_minor, channel, "
            "program_version, occurred_at) SELECT randomblob(16), id, 'earn', 5, 0, "
            "'test-kiosk', '2026.2', 'yesterday' FROM members")


def damage(kiosk, sql: str) -> None:
    with kiosk.store.write() as tx:
        tx.conn.execute(text(sql))


def test_an_entry_whose_time_is_not_a_time_is_a_storage_error(kiosk, member):
    """The member screen (identify) reads the member's entries, verify reads them all:
    each says the database is damaged, naming the entries, not TypeError / ValueError."""
    damage(kiosk, BAD_TIME)
    with pytest.raises(StorageError, match=r"damaged \(entries .*'yesterday'"):
        identify(kiosk, member.card.payload)
    with pytest.raises(StorageError, match=r"damaged \(entries row .*'yesterday'"):
        verify_store(kiosk)


def test_an_order_record_that_does_not_read_is_a_storage_error(kiosk, member):
    """A sale's stored order record is garbage: reading it back (a refund, a retry of the
    sale, the upload) and verify say the database is damaged, naming the order."""
    ring_up_sale(kiosk, Sale(member.member.id, 1000, "T-1"))
    damage(kiosk, "UPDATE orders SET record = '{bad'")
    with pytest.raises(StorageError, match=r"orders row 'test-kiosk'/'T-1'"), \
            kiosk.store.read() as tx:
        tx.orders.get("test-kiosk", "T-1")
    with pytest.raises(StorageError, match=r"orders row 'test-kiosk'/'T-1'"):
        verify_store(kiosk)

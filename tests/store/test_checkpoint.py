"""Checkpoints happen between sales, never inside one, and lose nothing."""

from __future__ import annotations

import shutil
import sqlite3
import time

from kiosk.services import Sale, ring_up_sale
from kiosk.store.checkpoint import AUTOCHECKPOINT_PAGES


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def test_once_the_counter_is_quiet_the_sales_are_in_the_database_file(kiosk, member,
                                                                       tmp_path):
    checkpointer = kiosk.store.checkpointer
    assert checkpointer is not None
    for i in range(30):
        ring_up_sale(kiosk, Sale(member.member.id, 1000, f"Q-{i}"))
    assert wait_for(lambda: checkpointer.checkpoints >= 1), "no checkpoint once quiet"
    # The database file alone, without its WAL, now holds every sale.
    copy = tmp_path / "file-only.db"
    shutil.copyfile(kiosk.store.engine.url.database, copy)
    with sqlite3.connect(copy) as conn:
        orders = conn.execute("SELECT count(*) FROM entries WHERE order_ref LIKE 'Q-%'")
        assert orders.fetchone()[0] == 30


def test_the_sale_path_itself_checkpoints_only_under_a_long_burst(kiosk):
    with kiosk.store.write() as tx:
        pages = tx.conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert pages == AUTOCHECKPOINT_PAGES > 1000


def test_closing_the_store_stops_the_checkpoint_thread(kiosk, member):
    ring_up_sale(kiosk, Sale(member.member.id, 1000, "C-1"))
    checkpointer = kiosk.store.checkpointer
    assert checkpointer is not None and checkpointer._thread is not None
    thread = checkpointer._thread
    kiosk.store.close()
    assert not thread.is_alive()

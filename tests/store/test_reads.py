"""Reads keep their connection between reads (``LocalStore.read``): what a cashier would
notice if that went wrong is a member screen showing points from before a sale, or a
counter that hangs waiting for a connection. Neither may happen."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from kiosk.services import EnrolmentResult, Kiosk, Sale, member_view, ring_up_sale


def test_a_read_that_fails_part_way_leaves_the_next_one_seeing_every_sale_since(
        kiosk: Kiosk, member: EnrolmentResult) -> None:
    before = member_view(kiosk, member.member.id).balance
    with pytest.raises(ZeroDivisionError), kiosk.store.read() as tx:
        tx.entries.balance(member.member.id)
        _ = 1 / 0  # a bug in the caller, mid-read
    with pytest.raises(ZeroDivisionError), kiosk.store.read() as tx:
        tx.conn.execute(text("SELECT count(*) FROM entries"))  # SQLAlchemy joined it
        _ = 1 / 0
    sale = ring_up_sale(kiosk, Sale(member.member.id, 500))
    assert member_view(kiosk, member.member.id).balance == before + sale.points > before


def test_a_read_through_sqlalchemy_then_a_sale_then_a_read_sees_the_sale(
        kiosk: Kiosk, member: EnrolmentResult) -> None:
    with kiosk.store.read() as tx:
        (count,) = tx.conn.execute(text("SELECT count(*) FROM entries")).one()
    ring_up_sale(kiosk, Sale(member.member.id, 500))
    with kiosk.store.read() as tx:
        (after,) = tx.conn.execute(text("SELECT count(*) FROM entries")).one()
    assert after == count + 1


def test_many_readers_at_once_leave_the_writer_a_connection(
        kiosk: Kiosk, member: EnrolmentResult) -> None:
    """More readers at once than the store keeps (and than its pool holds without
    overflow): each gets its answer, and a sale afterwards is written."""
    readers = 7  # the pool's 4 + 4 overflow, less the writer's
    inside = threading.Barrier(readers, timeout=30)
    seen: list[int] = []

    def read() -> None:
        with kiosk.store.read() as tx:
            inside.wait()  # all of them hold a read at the same time
            seen.append(tx.entries.balance(member.member.id))

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert seen == [member.balance] * readers
    sale = ring_up_sale(kiosk, Sale(member.member.id, 500))
    assert member_view(kiosk, member.member.id).balance == member.balance + sale.points


def test_a_read_that_raised_with_its_cursor_part_read_leaves_no_old_snapshot(
        kiosk: Kiosk, member: EnrolmentResult) -> None:
    """Found by a review: the traceback of a read refused part-way (which the sale screen
    keeps, to say it) holds a half-read cursor, and with it SQLite's snapshot; the kept
    connection went on to the next read, which showed the points from before a sale."""
    for i in range(3):
        ring_up_sale(kiosk, Sale(member.member.id, 100, f"E-{i}"))
    before = member_view(kiosk, member.member.id).balance
    kept: list[BaseException] = []
    try:
        with kiosk.store.read() as tx:
            rows = tx.driver.execute("SELECT id FROM entries")
            rows.fetchone()  # part-way
            raise LookupError("a refusal mid-read")
    except LookupError as exc:
        kept.append(exc)
    sale = ring_up_sale(kiosk, Sale(member.member.id, 500))
    assert member_view(kiosk, member.member.id).balance == before + sale.points
    assert kept

"""Two shop refunds of one order at once (PostgreSQL, READ COMMITTED): counter.refund
reads the order's entries and their reversals so far (``back``) BEFORE lock_order, so the
second refund works out its reversal from a stale ``back``: it asks for the first refund's
part again, the ledger's own ReversalCheck (which reads after the lock) refuses it as
beyond_refund, but the refund itself is kept and the call answers 200 -- the refunded cups
keep their points (the member is credited for lines handed back)."""
from __future__ import annotations

import threading

from kiosk.engine.orders import OrderLine
from sync.protocol import UploadRequest
from sync.server import counter as counter_module
from sync.server.counter import OnlineCounter
from tests.helpers.ledger_wire import KIOSK, SHOP, members


def test_two_shop_refunds_at_once_reverse_both(pg_inproc):
    ledger = pg_inproc
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    counter = OnlineCounter(ledger)
    lines = (OrderLine("KETTLE", 1, 2000), OrderLine("CUP", 4, 250))
    placed = counter.order(SHOP, member.id, 3000, "W-1", lines)
    earned = placed.points
    assert earned > 0

    real_lock = counter_module.lock_order
    first = threading.Event()
    other: dict[str, object] = {}

    def racing_lock(conn, channel, *refs):
        # The first refund has read the entries and their reversals; before it takes the
        # order's lock another shop call refunds two cups and commits.
        if not first.is_set():
            first.set()
            t = threading.Thread(target=lambda: other.setdefault(
                "r", counter.refund(SHOP, "W-1", [("CUP", 2)])))
            t.start()
            t.join(30)
        return real_lock(conn, channel, *refs)

    counter_module.lock_order = racing_lock
    try:
        mine = counter.refund(SHOP, "W-1", [("CUP", 2)])
    finally:
        counter_module.lock_order = real_lock
    theirs = other["r"]
    statuses = [r.status for r in mine.results] + [r.status for r in theirs.results]
    # Both refunds were kept (4 cups handed back): each must have reversed its part.
    assert "rejected" not in statuses, (mine.results, theirs.results)
    with ledger.engine.connect() as conn:
        balance = counter._balance(conn, member.id)
    # 4 cups of 250 back: 10 points of the order's 30 come back off.
    assert balance == earned - 10

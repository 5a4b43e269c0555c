"""A void racing a confirm of the same hold (PostgreSQL; review 28b). ``void_points`` read
the reservation without locking it and set "voided" whatever its state: a void that read
"held" while a confirm of the hold was committing waited for the confirm's row lock, then
overwrote "confirmed" with "voided", and the caller was told the hold was released (200,
state voided; a checkout's release, "released") while the redemption was recorded and the
member's points were gone. Now the void reads the hold locked and is refused, 409
``already_confirmed``, once the confirm has committed."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text, update

from sync.protocol import EntryWire, UploadRequest
from sync.server import models as m
from sync.server.calls import LedgerRefusal
from sync.server.checkout_holds import CheckoutHolds
from sync.server.counter import OnlineCounter
from sync.server.ledger import Ledger
from sync.wire_holds import CheckoutRef
from tests.helpers.ledger_wire import KIOSK, SHOP, members, sale


def _someone_waits_on_a_lock(ledger: Ledger) -> bool:
    with ledger.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")).scalar())


def _release(counter: OnlineCounter) -> Callable[[uuid.UUID], object]:
    return lambda hold_id: CheckoutHolds(counter).release(
        SHOP, CheckoutRef(order_ref="W-5", entry_id=hold_id))


def _void(counter: OnlineCounter) -> Callable[[uuid.UUID], object]:
    return lambda hold_id: counter.void(SHOP, hold_id)


@pytest.mark.parametrize("let_go", [_void, _release], ids=["void", "checkout release"])
def test_letting_go_of_a_hold_while_it_is_confirmed_is_refused(
        pg_inproc: Ledger, let_go: Callable[[OnlineCounter], Callable[[uuid.UUID], object]]
) -> None:
    ledger = pg_inproc
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[sale(member, 1, 300)]))
    counter = OnlineCounter(ledger)
    entry = EntryWire(id=uuid.uuid4(), member_id=member.id, kind="redeem", points=-100,
                      channel="web", occurred_at=datetime.now(UTC),
                      program_version="2026.2", reward_id="nt100-off")
    counter.reserve(SHOP, entry, 60)
    outcome: dict[str, object] = {}

    def racer() -> None:
        try:
            outcome["answer"] = let_go(counter)(entry.id)
        except LedgerRefusal as exc:
            outcome["refused"] = exc

    with ledger.engine.connect() as conn:
        tx = conn.begin()
        assert counter.confirm_points(conn, SHOP, entry.id).status == "accepted"
        thread = threading.Thread(target=racer)
        thread.start()  # reads the hold while the confirm is not committed
        deadline = time.monotonic() + 10
        while not _someone_waits_on_a_lock(ledger) and time.monotonic() < deadline:
            time.sleep(0.05)
        tx.commit()
    thread.join(30)
    assert ledger.balance(member.id) == 200  # the redemption is recorded: points spent
    with ledger.engine.connect() as conn:
        state = conn.execute(select(m.Reservation.state).where(
            m.Reservation.id == entry.id)).scalar_one()
    refused = outcome.get("refused")
    assert isinstance(refused, LedgerRefusal), f"answered {outcome}; the hold is {state}"
    assert (refused.status, refused.code) == (409, "already_confirmed")
    assert state == "confirmed"


def test_a_hold_whose_entry_is_recorded_is_not_voided(ledger: Ledger) -> None:
    """However the hold reads (a lapsed hold whose entry the kiosk uploaded after its
    time), a recorded redemption is refunded, never "voided"."""
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[sale(member, 1, 300)]))
    counter = OnlineCounter(ledger)
    entry = EntryWire(id=uuid.uuid4(), member_id=member.id, kind="redeem", points=-100,
                      channel="web", occurred_at=datetime.now(UTC),
                      program_version="2026.2", reward_id="nt100-off")
    counter.reserve(SHOP, entry, 60)
    counter.confirm(SHOP, entry.id)
    with ledger.engine.begin() as conn:  # as if it had lapsed before its entry came
        conn.execute(update(m.Reservation).where(
            m.Reservation.id == entry.id).values(state="lapsed"))
    with pytest.raises(LedgerRefusal) as refused:
        counter.void(SHOP, entry.id)
    assert (refused.value.status, refused.value.code) == (409, "already_confirmed")

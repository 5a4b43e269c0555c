"""Review of issue 14: the ledger's reversal check (channel, mirror) does not look at the
kinds of the reversal and of its original. A `reverse` entry that "reverses" a full card's
negative stamp entry mints points; a `stamp` entry that "reverses" a redemption mints
stamps (and so coupons) and takes the reversal slot of the redemption."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.awards import order_entries, record_for
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.ledger import EntryKind
from kiosk.program import parse_program
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK
from tests.helpers.program import COFFEE_CARD, program_text

VERSION = "2026.2-review"


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    engine = ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    ledger = Ledger(engine, lambda: datetime.now(UTC))
    ledger.initialise(parse_program(program_text(COFFEE_CARD, version=VERSION)))
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger
    engine.dispose()


def _member() -> MemberWire:
    return MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                      enrolled_at=datetime.now(UTC) - timedelta(days=1), channel=KIOSK.device_id)


def _full_card_order(ledger: Ledger, member: MemberWire, seq: int) -> list[EntryWire]:
    """An honest order: the member held 3 stamps (recorded), buys one latte, fills the card:
    its stamp entry is -3 (1 new, 4 taken back)."""
    program = ledger.current_program()
    order = Order(KIOSK.device_id, "A-1", datetime.now(UTC) - timedelta(minutes=1),
                  (OrderLine("LATTE", 1, 120, "coffee"),), member.id)
    record = record_for(program, order, MemberState("bronze", stamps=(("coffee", 3),)))
    entries = order_entries(record, new_id=uuid.uuid4, staff=None)
    wires = [EntryWire.of(e, device_seq=seq + i) for i, e in enumerate(entries)]
    answer = ledger.upload(KIOSK, UploadRequest(members=[member], entries=wires,
                                                orders=[OrderWire.of(record)]))
    assert [r.status for r in answer.results] == ["accepted"] * len(wires)
    return wires


def test_a_reverse_entry_of_a_stamp_entry_mints_points(ledger: Ledger) -> None:
    member = _member()
    wires = _full_card_order(ledger, member, 1)
    stamp = next(w for w in wires if w.kind is EntryKind.STAMP)
    assert stamp.points == 1 - 4
    before = ledger.balance(member.id)
    forged = EntryWire(id=uuid.uuid4(), member_id=member.id, kind=EntryKind.REVERSE,
                       points=-stamp.points, channel=KIOSK.device_id,
                       occurred_at=datetime.now(UTC), program_version=VERSION,
                       order_ref=stamp.order_ref, reverses=stamp.id, device_seq=100)
    answer = ledger.upload(KIOSK, UploadRequest(entries=[forged]))
    # A stamp is not a point: its reversal is a stamp entry, never a `reverse` entry.
    assert answer.results[0].status == "rejected", "3 stamps came back as 3 points"
    assert ledger.balance(member.id) == before


def test_a_stamp_entry_reversing_a_points_entry_is_refused(ledger: Ledger) -> None:
    member = _member()
    wires = _full_card_order(ledger, member, 1)
    earn = next(w for w in wires if w.kind is EntryKind.EARN)
    forged = EntryWire(id=uuid.uuid4(), member_id=member.id, kind=EntryKind.STAMP,
                       points=-earn.points, amount_minor=-earn.amount_minor,
                       channel=KIOSK.device_id,
                       occurred_at=datetime.now(UTC), program_version=VERSION,
                       order_ref=earn.order_ref, reverses=earn.id, note="card:coffee",
                       device_seq=100)
    answer = ledger.upload(KIOSK, UploadRequest(entries=[forged]))
    # Accepted, it takes the earn's one reversal slot: the refund's real `reverse` entry
    # would then be refused "already reversed", and the points stay with the member.
    assert answer.results[0].status == "rejected"

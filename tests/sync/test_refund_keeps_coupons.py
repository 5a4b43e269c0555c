"""Review of issue 14: a refund takes back an order's points and stamps, but the coupons the
order issued stay valid on the ledger. Buy, get the coupon, refund, repeat: a coupon per
cycle, for nothing.

- "spend NT$3,000, 10% off next time": buy NT$3,000, refund it all, the coupon is usable;
- a punch card: the filling order's net stamp entry (1 new - 4 taken back = -3) is mirrored
  by the refund (+3), so the card is full-minus-one again *and* the free coffee stays:
  the next coffee fills it again (a second coupon for the same 3 paid stamps).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.awards import order_entries, record_for
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.engine.refunds import Refund, rest_of
from kiosk.ledger import Entry, EntryKind, reversal
from kiosk.program import parse_program
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from sync.server.calls import LedgerRefusal
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from sync.wire_orders import RefundWire
from tests.helpers.ledger_wire import KIOSK
from tests.helpers.program import COFFEE_CARD, program_text

EXTRA = COFFEE_CARD + '''
[[coupons]]
id = "ten-off"
names = { en = "10% off next time", zh-TW = "下次九折", zh-CN = "下次九折" }
value = { kind = "percent_off", percent = 10 }
valid_days = 30
trigger = { on = "order", min_amount = 3000 }
'''
VERSION = "2026.2-review-refunds"


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    engine = ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    ledger = Ledger(engine, lambda: datetime.now(UTC))
    ledger.initialise(parse_program(program_text(EXTRA, version=VERSION)))
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger
    engine.dispose()


class Till:
    """What an honest kiosk uploads: orders with their entries, a refund of every line
    kept beside its reversals (a whole mirror with no refund is refused for an order the
    ledger holds by line: ``test_checkout_void.py``)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger, self.seq = ledger, 0
        self.member = MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                                 enrolled_at=datetime.now(UTC) - timedelta(days=1),
                                 channel=KIOSK.device_id)
        self.ledger.upload(KIOSK, UploadRequest(members=[self.member], entries=[]))
        self.stamps = 0
        self.entries: dict[str, list[EntryWire]] = {}
        self.orders: dict[str, Order] = {}

    def _send(self, wires: list[EntryWire], orders: list[OrderWire] = (),
              refunds: list[RefundWire] = ()) -> None:
        answer = self.ledger.upload(KIOSK, UploadRequest(entries=wires, orders=list(orders),
                                                         refunds=list(refunds)))
        assert [r.status for r in answer.results] == ["accepted"] * len(wires), answer

    def _wire(self, e: Entry) -> EntryWire:
        self.seq += 1
        return EntryWire.of(e, device_seq=self.seq)

    def buy(self, ref: str, lines: tuple[OrderLine, ...]) -> list[uuid.UUID]:
        program = self.ledger.current_program()
        order = Order(KIOSK.device_id, ref, datetime.now(UTC) - timedelta(minutes=5),
                      lines, self.member.id)
        state = MemberState("bronze", stamps=(("coffee", self.stamps),) if self.stamps else ())
        record = record_for(program, order, state)
        wires = [self._wire(e) for e in order_entries(record, new_id=uuid.uuid4, staff=None)]
        self._send(wires, [OrderWire.of(record)])
        self.stamps += sum(w.points for w in wires if w.kind is EntryKind.STAMP)
        self.entries[ref] = wires
        self.orders[ref] = order
        return [c.id_for(self.member.id) for c in record.coupons]

    def refund(self, ref: str) -> None:
        at = datetime.now(UTC) - timedelta(minutes=1)
        reversals = []
        for w in self.entries[ref]:
            original = w.to_entry()
            reversals.append(self._wire(reversal(
                original, id=uuid.uuid4(), occurred_at=at, channel=KIOSK.device_id,
                program_version=VERSION)))
        every_line = Refund(uuid.uuid4(), KIOSK.device_id, ref, at,
                            rest_of(self.orders[ref], {}))
        self._send(reversals, refunds=[RefundWire.of(every_line)])
        self.stamps += sum(w.points for w in reversals if w.kind is EntryKind.STAMP)

    def usable(self, coupon: uuid.UUID) -> bool:
        try:
            self.ledger.coupons.use(KIOSK, coupon, f"USE-{uuid.uuid4().hex[:8]}")
        except LedgerRefusal:
            return False
        return True


def test_a_refunded_order_leaves_no_usable_coupon(ledger: Ledger) -> None:
    till = Till(ledger)
    [coupon] = till.buy("BIG-1", (OrderLine("BAG-1", 1, 3000, "bags"),))
    till.refund("BIG-1")
    assert not till.usable(coupon), "refunded NT$3,000, kept the 10% off"


def test_a_refunded_card_filling_order_fills_no_second_card(ledger: Ledger) -> None:
    till = Till(ledger)
    till.buy("C-1", (OrderLine("LATTE", 3, 120, "coffee"),))
    assert till.stamps == 3
    first = till.buy("C-2", (OrderLine("LATTE", 1, 120, "coffee"),))
    assert len(first) == 1 and till.stamps == 0
    till.refund("C-2")
    # Three coffees paid for and kept. Either the free coffee is void and the card is
    # back at 3, or the free coffee stays and the card is at -1; not both.
    assert not (till.usable(first[0]) and till.stamps == 3), (
        "the refund gave the 4 stamps back and left the free coffee")

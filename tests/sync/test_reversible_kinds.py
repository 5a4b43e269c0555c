"""What a device may take back with a reversal it uploads: what an order or a redemption
recorded (a refund's reversal of an earn, a voided redemption), never an entry the ledger
made or one no refund undoes (``kiosk.ledger.REVERSIBLE``).

The defect (review 26): a transfer's two entries are the ledger's own but on the channel
of the device that asked for it, and the ledger took a whole-mirror reversal of any entry
of the device's channel. The kiosk that asked for a transfer uploaded a ``reverse`` of the
giver's side: the giver got the points back and the receiver kept them, points minted
("nothing minted"; "a stolen kiosk token is not a licence to mint points"), as often as
the token liked. Uploading the transfer kind itself was refused, but not this."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import select

from kiosk.program import Program, parse_program
from sync.protocol import EntryWire, UploadRequest
from sync.server.calls import LedgerRefusal
from sync.server.counter import OnlineCounter
from sync.server.entry_rows import ENTRIES, wire_of_row
from sync.server.ledger import Ledger
from sync.server.transfers import Transfers
from sync.wire_holds import TransferRequest
from tests.helpers.clock import FakeClock
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import program_text
from tests.sync.test_transfer_expiry import EXPIRED, EXPIRY, TRANSFERS, books, family

__all__ = ["books"]  # the fixture, for both databases, under this module's program

CAUSE = '''
[[causes]]
id = "school-meals"
names = { en = "School meals", zh-TW = "學童營養午餐", zh-CN = "学童营养午餐" }
min_points = 10
'''


@pytest.fixture
def program() -> Program:
    return parse_program(program_text(EXPIRY + TRANSFERS + CAUSE))


def undo(original: EntryWire, seq: int, at: datetime | None = None) -> EntryWire:
    """A whole mirror of ``original`` from the kiosk, as an old refund would send it."""
    return EntryWire(id=uuid.uuid4(), member_id=original.member_id, kind="reverse",
                     points=-original.points, amount_minor=-original.amount_minor,
                     channel=KIOSK.device_id, occurred_at=at or original.occurred_at,
                     program_version=original.program_version, order_ref=original.order_ref,
                     reverses=original.id, device_seq=seq)


def uploaded(books: Ledger, *entries: EntryWire) -> list[tuple[str, str | None]]:
    answer = books.upload(KIOSK, UploadRequest(entries=list(entries)))
    return [(r.status, r.code) for r in answer.results]


def sale_of(books: Ledger, member: uuid.UUID, seq: int) -> EntryWire:
    """A sale of 3 points to a member the ledger holds, dated at its clock."""
    return sale(members(1)[0], seq, 3, member_id=member, occurred_at=books.clock())


@pytest.mark.parametrize("side", [0, -1], ids=["givers", "receivers"])
def test_a_device_cannot_undo_either_side_of_a_transfer(books: Ledger, side: int) -> None:
    mum, son = family(books)
    made = Transfers(OnlineCounter(books)).transfer(KIOSK, TransferRequest(
        id=uuid.uuid4(), from_member=mum, to_member=son, points=120))
    assert {e.channel for e in made.entries} == {KIOSK.device_id}  # the caller's
    answer = books.upload(KIOSK, UploadRequest(entries=[undo(made.entries[side], 3)]))
    assert [(r.status, r.code) for r in answer.results] == [("rejected", "not_reversible")]
    assert "transfer" in (answer.results[0].reason or "")
    # Again: the same refusal, and the sale after it in the upload is not held up.
    assert uploaded(books, undo(made.entries[side], 4), sale_of(books, mum, 5)) == [
        ("rejected", "not_reversible"), ("accepted", None)]
    assert (books.balance(mum), books.balance(son)) == (3, 140)  # nothing minted
    assert books.check() == []


def test_nor_a_donation_an_adjustment_or_an_expiry(books: Ledger, clock: FakeClock) -> None:
    mum, son = family(books)
    at = books.clock()
    gift = EntryWire(id=uuid.uuid4(), member_id=mum, kind="donate", points=-20,
                     channel=KIOSK.device_id, occurred_at=at, program_version="2026.2",
                     note="cause:school-meals", device_seq=3)
    fix = EntryWire(id=uuid.uuid4(), member_id=son, kind="adjust", points=10,
                    channel=KIOSK.device_id, occurred_at=at, program_version="2026.2",
                    note="a stamp card lost in the wash", device_seq=4)
    assert uploaded(books, gift, fix) == [("accepted", None)] * 2
    assert uploaded(books, undo(gift, 5), undo(fix, 6)) == [("rejected", "not_reversible")] * 2
    clock.now = EXPIRED
    assert books.expire().entries == 1  # mum's 100 left of her 120
    with books.engine.connect() as conn:
        expired = wire_of_row(conn.execute(select(ENTRIES).where(
            ENTRIES.c.kind == "expire")).one())
    assert uploaded(books, undo(expired, 7, at=clock.now)) == [
        ("rejected", "other_channels_order")]
    assert (books.balance(mum), books.balance(son)) == (0, 30)
    assert books.check() == []


def test_a_refunds_reversal_and_a_voided_redemption_still_go_through(books: Ledger) -> None:
    mum, son = family(books)
    bought = sale_of(books, son, 3)
    coffee = EntryWire(id=uuid.uuid4(), member_id=mum, kind="redeem", points=-60,
                       channel=KIOSK.device_id, occurred_at=books.clock(),
                       program_version="2026.2", reward_id="coffee", device_seq=4)
    assert uploaded(books, bought, coffee) == [("accepted", None)] * 2
    assert uploaded(books, undo(bought, 5), undo(coffee, 6)) == [("accepted", None)] * 2
    assert (books.balance(mum), books.balance(son)) == (120, 20)
    # Once each, as before.
    assert uploaded(books, undo(coffee, 7)) == [("rejected", "already_reversed")]
    assert books.check() == []


def test_a_refund_takes_back_no_adjustment_or_donation_that_names_the_order(
        books: Ledger) -> None:
    """A device may write any order ref on an adjustment or a donation; the shop's refund
    of that order (``OnlineCounter.refund``) reverses only what the sale recorded: no
    reversal the ledger would refuse (a 5xx), no donation given back."""
    _, son = family(books)
    bought = sale_of(books, son, 3)
    ref, at = bought.order_ref, books.clock()
    gift = EntryWire(id=uuid.uuid4(), member_id=son, kind="donate", points=-10,
                     channel=KIOSK.device_id, occurred_at=at, program_version="2026.2",
                     note="cause:school-meals", order_ref=ref, device_seq=4)
    fix = EntryWire(id=uuid.uuid4(), member_id=son, kind="adjust", points=-5,
                    channel=KIOSK.device_id, occurred_at=at, program_version="2026.2",
                    note="a slip", order_ref=ref, device_seq=5)
    assert uploaded(books, bought, gift, fix) == [("accepted", None)] * 3
    assert books.balance(son) == 8
    refunded = OnlineCounter(books).refund(KIOSK, ref or "")
    assert [r.status for r in refunded.results] == ["accepted"]  # the sale's 3 points
    assert books.balance(son) == 5 == refunded.balance
    with pytest.raises(LedgerRefusal) as refused:
        OnlineCounter(books).refund(KIOSK, ref or "")
    assert refused.value.status == 404
    assert books.check() == []

"""Spend only on sales (the authority review): ``amount_minor`` is the spend the tier window
and period vouchers count, and only an earn's was audited, so a bonus or an adjustment
'carrying' spend lifted a member's tier or issued vouchers. On both databases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from kiosk.awards import order_entries, record_for
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.program import parse_program
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import QUARTER_VOUCHER, program_text

_seq = iter(range(1, 10**6))


def test_a_sign_up_bonus_carries_no_spend_toward_a_tier(ledger: Ledger) -> None:
    """amount_minor is the spend the tier window counts, and only an earn's was audited: a
    sign-up bonus 'carrying' NT$30,000 of spend made a new member gold (2x points)."""
    [member] = members(1)
    carrier = sale(member, 1, 50, kind="bonus", amount_minor=30_000, order_ref=None,
                   note="signup")
    gold = sale(member, 2, 10, amount_minor=500, tier="gold")  # bronze gives 5
    first = ledger.upload(KIOSK, UploadRequest(members=[member], entries=[carrier]))
    second = ledger.upload(KIOSK, UploadRequest(entries=[gold]))
    assert (first.results[0].status, second.results[0].status) != ("accepted", "accepted"), (
        "a bonus with 30,000 of 'spend' made a new member gold")


def test_an_adjustment_carries_no_spend_toward_a_tier(ledger: Ledger) -> None:
    [member] = members(1)
    carrier = sale(member, 1, 1, kind="adjust", amount_minor=30_000, order_ref=None,
                   note="goodwill")
    gold = sale(member, 2, 10, amount_minor=500, tier="gold")
    first = ledger.upload(KIOSK, UploadRequest(members=[member], entries=[carrier]))
    second = ledger.upload(KIOSK, UploadRequest(entries=[gold]))
    assert (first.results[0].status, second.results[0].status) != ("accepted", "accepted"), (
        "an adjustment of 1 point with 30,000 of 'spend' made a new member gold")
    assert (first.results[0].code, second.results[0].code) == (
        "amount_out_of_bounds", "tier_not_held")


def test_period_vouchers_count_only_what_was_bought(ledger: Ledger) -> None:
    """The ledger counted a quarter's spend from every entry's amount_minor: a 1-point
    adjustment 'carrying' NT$1,000,000, then an honest NT$100 sale, and it issued 100
    NT$300 vouchers."""
    program = parse_program(program_text(QUARTER_VOUCHER, "2026.2-review-period"))
    ledger.publish_program(program)
    member = MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                        enrolled_at=datetime.now(UTC) - timedelta(days=30),
                        channel=KIOSK.device_id)
    carrier = sale(member, next(_seq), 1, kind="adjust", amount_minor=1_000_000,
                   order_ref=None, note="goodwill", program_version=program.version)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[carrier]))
    order = Order(KIOSK.device_id, "R-1", datetime.now(UTC) - timedelta(minutes=1),
                  (OrderLine("TEA", 1, 100, "tea"),), member.id)
    record = record_for(program, order, MemberState("bronze", member.enrolled_at))
    entries = [EntryWire.of(e, device_seq=next(_seq))
               for e in order_entries(record, new_id=uuid.uuid4, staff=None)]
    answer = ledger.upload(KIOSK, UploadRequest(orders=[OrderWire.of(record)],
                                                entries=entries))
    assert [r.status for r in answer.results] == ["accepted"]
    coupons = ledger.coupons.of_member(member.id)
    assert coupons == [], f"{len(coupons)} vouchers for NT$100 of purchases"



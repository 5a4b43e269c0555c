"""Only a sale carries spend (``kiosk.ledger.SPEND_KINDS``), on the shop's side too. The
ledger refuses spend on any other kind now (tests/sync/test_authority_spend.py), but an
older ledger stored some: the member state the shop's orders run on (the tier, a period's
spend) must not count it. On both databases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, update

from kiosk.program import parse_program
from sync.protocol import MemberWire, UploadRequest
from sync.server import models as m
from sync.server.counter import OnlineCounter
from sync.server.ledger import Ledger
from sync.server.orders import records_of
from tests.helpers.ledger_wire import KIOSK, SHOP, sale
from tests.helpers.program import QUARTER_VOUCHER, program_text


def _member_with_stray_spend(ledger: Ledger, version: str, amount_minor: int) -> MemberWire:
    """A member whose adjustment of 1 point 'carries' ``amount_minor``, as an older
    ledger stored it (today's refuses it: amount_out_of_bounds)."""
    member = MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                        enrolled_at=datetime.now(UTC) - timedelta(days=30),
                        channel=KIOSK.device_id)
    first = sale(member, 1, 1, amount_minor=100, program_version=version)
    assert ledger.upload(KIOSK, UploadRequest(members=[member], entries=[first])
                         ).results[0].status == "accepted"
    old = sale(member, 2, 1, kind="adjust", amount_minor=amount_minor, order_ref=None,
               note="goodwill", program_version=version,
               occurred_at=datetime.now(UTC) - timedelta(minutes=5))
    with ledger.engine.begin() as conn:
        conn.execute(insert(m.Entry).values(
            id=old.id, seq=2, member_id=old.member_id, kind="adjust", points=1,
            amount_minor=amount_minor, channel=KIOSK.device_id, program_version=version,
            occurred_at=old.occurred_at, note=old.note, device_id=KIOSK.device_id,
            device_seq=2))
        conn.execute(update(m.LedgerHead).values(last_seq=2))
        conn.execute(update(m.Balance).where(m.Balance.member_id == old.member_id)
                     .values(points=m.Balance.points + 1))
    return member


def test_an_old_adjustments_spend_raises_no_tier_for_the_shop(ledger: Ledger) -> None:
    member = _member_with_stray_spend(ledger, "2026.2", 30_000)
    result = OnlineCounter(ledger).order(SHOP, member.id, 1_000, "W-1")
    assert (result.tier, result.points) == ("bronze", 10)  # gold would earn 20
    assert ledger.check() == []


def test_the_period_spend_a_shop_order_records_is_its_sales_only(ledger: Ledger) -> None:
    """The member state kept with the order is what anyone re-runs its rules with (and a
    period voucher counts from): the quarter's spend before it is the NT$100 bought."""
    program = parse_program(program_text(QUARTER_VOUCHER, "2026.2-stray-period"))
    ledger.publish_program(program)
    member = _member_with_stray_spend(ledger, program.version, 9_800)  # bronze still
    OnlineCounter(ledger).order(SHOP, member.id, 100, "W-1")
    with ledger.engine.connect() as conn:
        record = records_of(conn, SHOP.device_id, ["W-1"])["W-1"]
    assert record.state is not None
    assert [spend for _, spend in record.state.period_spend] == [100]
    assert ledger.coupons.of_member(member.id) == []

"""Review of issue 14: what a device says can still make the ledger issue coupons.

- issue_for_orders issues the coupons of every newly stored order, with the member state
  the order records, whatever becomes of its entries: a forged `stamps` (or
  `period_spend`) in the state issues a full card's coupon with no stamp on the ledger, and
  an order uploaded with no entries at all issues its coupons all the same.
- issue_on_enrolment reads the uploaded MemberWire, not the member the ledger holds: a
  second upload of a known member with a `referrer_id` issues the referred-only welcome
  coupon to a member nobody referred.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.awards import record_for
from kiosk.engine.orders import MemberState, Order, OrderLine
from kiosk.program import parse_program
from sync.protocol import MemberWire, OrderWire, UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK
from tests.helpers.program import COFFEE_CARD, program_text

EXTRA = COFFEE_CARD + '''
[[coupons]]
id = "friend"
names = { en = "A friend's welcome", zh-TW = "好友禮", zh-CN = "好友礼" }
value = { kind = "amount_off", amount = 100 }
valid_days = 30
trigger = { on = "welcome", referred_only = true }
'''
VERSION = "2026.2-review-coupons"


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    engine = ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    ledger = Ledger(engine, lambda: datetime.now(UTC))
    ledger.initialise(parse_program(program_text(EXTRA, version=VERSION)))
    ledger.add_device(KIOSK.device_id, "kiosk")
    yield ledger
    engine.dispose()


def _member(**changes: object) -> MemberWire:
    fields: dict[str, object] = dict(
        id=uuid.uuid4(), name="陳美玲", phone="0912345678",
        enrolled_at=datetime.now(UTC) - timedelta(days=1), channel=KIOSK.device_id)
    fields.update(changes)
    return MemberWire.model_validate(fields)


def test_an_order_without_entries_and_a_forged_card_issues_no_coupon(ledger: Ledger) -> None:
    member = _member()
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    program = ledger.current_program()
    order = Order(KIOSK.device_id, "X-1", datetime.now(UTC) - timedelta(minutes=1),
                  (OrderLine("LATTE", 1, 120, "coffee"),), member.id)
    # The ledger holds no stamp for this member; the order says the counter knew of 3,
    # and none of its entries (earn, stamps) goes up.
    record = record_for(program, order, MemberState("bronze", stamps=(("coffee", 3),)))
    assert record.coupons  # what the rules give for the forged state
    ledger.upload(KIOSK, UploadRequest(entries=[], orders=[OrderWire.of(record)]))
    assert ledger.coupons.of_member(member.id) == [], "a coupon for a card never stamped"


def test_a_second_upload_of_a_member_with_a_referrer_issues_no_referred_coupon(
        ledger: Ledger) -> None:
    member = _member()
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    assert ledger.coupons.of_member(member.id) == []  # nobody referred them
    referrer = _member(phone="0922333444")
    ledger.upload(KIOSK, UploadRequest(members=[referrer], entries=[]))
    again = member.model_copy(update={"referrer_id": referrer.id})
    ledger.upload(KIOSK, UploadRequest(members=[again], entries=[]))
    assert ledger.coupons.of_member(member.id) == [], (
        "the ledger's member has no referrer, yet a referred-only coupon was issued")

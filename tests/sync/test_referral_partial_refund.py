"""The referral run (sync/server/referrals.py _candidates/_purchases) counts a purchase as
"refunded" when ANY reversal of its earn exists (written when reverses was unique and a
refund was always whole). With refunds by line, handing back one NT$100 cup of a
NT$2,100 order reverses part of the earn: the purchase no longer qualifies though
NT$2,000 of it (well above min_amount) stands -- the referrer never gets the bonus."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.engine.orders import OrderLine
from kiosk.program import parse_program
from sync.protocol import UploadRequest
from sync.server.counter import OnlineCounter
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from sync.server.referrals import Referrals
from tests.helpers.ledger_wire import KIOSK, SHOP, members
from tests.helpers.program import program_text

REFERRAL = '''
[bonuses.referral]
referrer_points = 100
min_amount = 500

[points]
pending_days = 14
'''
NOW = datetime(2027, 1, 10, tzinfo=UTC)


def test_a_partly_refunded_purchase_still_qualifies(tmp_path):
    engine = ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    ledger = Ledger(engine, lambda: NOW)
    ledger.initialise(parse_program(program_text(REFERRAL)))
    ledger.add_device(KIOSK.device_id, "kiosk")
    ledger.add_device(SHOP.device_id, "shop")
    referrer, friend = members(2)
    friend = friend.model_copy(update={"referrer_id": referrer.id})
    ledger.upload(KIOSK, UploadRequest(members=[referrer, friend], entries=[]))
    counter = OnlineCounter(ledger)
    counter.order(SHOP, friend.id, 2100, "W-1",
                  (OrderLine("KETTLE", 1, 2000), OrderLine("CUP", 1, 100)))
    counter.refund(SHOP, "W-1", [("CUP", 1)])  # NT$2,000 of it stands
    run = Referrals(engine, ledger.clock, ledger.programs, ledger.ingest)
    report = run.run(NOW + timedelta(days=15))
    assert report.points == 100, "the purchase that stands (NT$2,000) earns the referral"
    engine.dispose()

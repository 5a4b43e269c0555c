"""A whole refund of an order the member paid entirely with loyalty (net 0: a free-item
coupon on its one line) moves no points on its base earn (0 points, 0 spend), so
still_to_undo gives (0, 0) and no reversal of the earn is made (counter.refund and the
kiosk's _to_undo drop (0, 0) parts). void_refunded only looks at reversed EARN entries,
so the coupon the order used is never given back on the ledger (before refunds by line a
whole refund mirrored every entry, 0/0 included, and void_refunded found the earn).
The kiosk's refund gives it back locally (coupons_back): kiosk and ledger disagree."""
from __future__ import annotations

import time

from sqlalchemy import select

from kiosk.engine.orders import OrderLine
from sync.protocol import UploadRequest
from sync.server.counter import OnlineCounter
from sync.server.coupon_uses import COUPONS
from sync.server.shop_checkout import ShopLoyalty
from tests.helpers.ledger_wire import KIOSK, SHOP, members
from tests.helpers.program import COFFEE_CARD, program_text
from tests.sync.conftest import in_process_ledger as make_ledger


def test_a_whole_refund_gives_back_the_coupon_a_net_zero_order_used(tmp_path):
    doc = tmp_path / "program.toml"
    doc.write_text(program_text(COFFEE_CARD, version="2026.2-card"), encoding="utf-8")
    ledger = make_ledger(f"sqlite:///{tmp_path / 'ledger.db'}", doc)
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    counter = OnlineCounter(ledger)
    counter.order(SHOP, member.id, 400, "W-1", (OrderLine("LATTE", 4, 100, "coffee"),))
    with ledger.engine.connect() as conn:
        [coupon] = conn.execute(select(COUPONS.c.id).where(
            COUPONS.c.member_id == member.id)).scalars().all()
    time.sleep(0.01)  # usable strictly after it was issued
    counter.order(SHOP, member.id, 100, "W-2", (OrderLine("LATTE", 1, 100, "coffee"),),
                  ShopLoyalty(coupon_id=coupon))
    with ledger.engine.connect() as conn:
        assert conn.execute(select(COUPONS.c.used_order_ref).where(
            COUPONS.c.id == coupon)).scalar_one() == "W-2"
    counter.refund(SHOP, "W-2")  # the whole order, which the coupon paid for
    with ledger.engine.connect() as conn:
        used = conn.execute(select(COUPONS.c.used_order_ref).where(
            COUPONS.c.id == coupon)).scalar_one()
    assert used is None, "the refunded order's coupon is still used on the ledger"
    ledger.engine.dispose()


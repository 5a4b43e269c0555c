"""An uploaded order can't spend another member's coupon: its earn is refused and the
coupon stays unused (one kiosk token can't burn any member's coupons)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.engine.orders import LoyaltyUsed
from kiosk.engine.record import record_json
from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from kiosk.store import STORE_FILE
from tests.helpers.checkout_ledger import checkout_ledger, get
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program_ledger import BOTH_DATABASES


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from checkout_ledger(request, tmp_path)




def test_an_order_cannot_spend_another_members_coupon(ledger: LedgerProcess,
                                                     tmp_path: Path) -> None:
    a = paired(ledger, tmp_path, "till-a")
    victim = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True)).member.id
    coupon = ring_up_sale(a.kiosk, Sale(victim, 3000, "A-1")).coupons[0].id_for(victim)
    a.agent().sync_once()
    b = paired(ledger, tmp_path, "till-b")  # a stolen token / tampered till
    thief = enrol(b.kiosk, Enrolment("王大同", "0922111222", consent=True)).member.id
    ring_up_sale(b.kiosk, Sale(thief, 1000, "B-1"))
    with b.kiosk.store.read() as tx:
        record = tx.orders.get(b.kiosk.channel, "B-1")
    assert record is not None
    forged = replace(record, order=replace(record.order, loyalty=LoyaltyUsed(
        None, (coupon,), 0, 100, ("next10",))))
    with sqlite3.connect(b.data_dir / STORE_FILE) as db:
        db.execute("UPDATE orders SET record = ? WHERE order_ref = 'B-1'",
                   (record_json(forged),))
        db.execute("DROP TRIGGER entries_append_only_update")
        db.execute("UPDATE entries SET points = 9, amount_minor = 900 "
                   "WHERE order_ref = 'B-1' AND kind = 'earn'")
    b.agent().sync_once()
    [held] = get(ledger, f"/v1/members/{victim}/coupons", "shop")
    rejected = get(ledger, "/v1/reports/rejections", "admin")
    doubles = get(ledger, "/v1/reports/coupon-double-uses", "admin")
    assert held["used_at"] is None, (
        f"victim's coupon burned by {held['used_channel']}/{held['used_order_ref']}; "
        f"rejections={rejected} double_uses={doubles}")
    for k in (a, b):
        k.kiosk.store.close()

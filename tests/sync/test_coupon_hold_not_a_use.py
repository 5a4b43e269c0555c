"""A hold is not a use: an offline use uploaded while another till's checkout only holds
the coupon spends it, so it can't be spent again once that hold is released."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from tests.helpers.checkout_ledger import KEYED, checkout_ledger
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program_ledger import BOTH_DATABASES


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from checkout_ledger(request, tmp_path)


def test_released_hold_leaves_an_offline_use_unrecorded(ledger, tmp_path):
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    member = joined.member.id
    coupon = ring_up_sale(a.kiosk, Sale(member, 3000, "A-1")).coupons[0].id_for(member)
    a.agent().sync_once()
    hb = {"Authorization": f"Bearer {b.token}"}
    held = requests.post(f"{ledger.url}/v1/checkouts", headers=hb, timeout=10, json={
        "member_id": str(member), "order_ref": "B-1", "coupon_ids": [str(coupon)]})
    assert held.status_code == 201, held.text
    # till-a is offline (no authoriser) and takes the coupon it holds
    assert check_out(a.kiosk, Checkout(member, (KEYED,), coupon_id=coupon,
                                       order_ref="A-2")).priced.net_minor == 900
    a.agent().sync_once()
    released = requests.post(f"{ledger.url}/v1/checkouts/release", headers=hb, timeout=10,
                             json={"order_ref": "B-1", "coupon_ids": [str(coupon)]})
    assert released.status_code == 200, released.text
    shop = ledger.add_device("web", "shop")
    made = requests.post(f"{ledger.url}/v1/shop/orders", timeout=10, json={
        "member_id": str(member), "order_ref": "W-1", "amount_minor": 100},
        headers={"Authorization": f"Bearer {shop}"})  # the order it is spent on
    assert made.status_code == 200, made.text
    again = requests.post(f"{ledger.url}/v1/coupons/{coupon}/use", json={"order_ref": "W-1"},
                          headers={"Authorization": f"Bearer {shop}"}, timeout=10)
    assert again.status_code == 409, (
        f"coupon spent offline on till-a/A-2 is spendable again at the shop: {again.text}")
    a.kiosk.store.close()
    b.kiosk.store.close()

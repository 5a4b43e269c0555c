"""A refunded checkout: the points it spent come back, on the kiosk and on the ledger."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.refunds import refund_order
from sync.authoriser import LedgerAuthoriser
from sync.client import LedgerClient
from tests.helpers.checkout_ledger import KEYED, checkout_ledger
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program_ledger import BOTH_DATABASES


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from checkout_ledger(request, tmp_path)


def test_a_refunded_online_checkout_gives_the_points_back(ledger, tmp_path):
    k = paired(ledger, tmp_path, "till-a")
    joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    member = joined.member.id
    ring_up_sale(k.kiosk, Sale(member, 9000, "TOP-UP"))  # 140
    k.kiosk.authoriser = LedgerAuthoriser(k.agent(timeout=(0.5, 2.0)))
    check_out(k.kiosk, Checkout(member, (KEYED,), reward_id="nt100-off", points=20,
                                order_ref="C-1"))
    k.agent().sync_once()
    refund_order(k.kiosk, "C-1")
    k.agent().sync_once()
    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    token = ledger.add_device("office", "admin")
    rej = requests.get(f"{ledger.url}/v1/reports/rejections",
                       headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    assert identify(k.kiosk, joined.card.payload).balance == 140
    assert (shop.balance(member), rej) == (140, [])
    k.kiosk.store.close()

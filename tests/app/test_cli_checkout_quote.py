"""`kiosk checkout --quote` on a paired, online kiosk looks another store's coupon up at
the ledger, as the checkout itself does."""
from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.cli_base import Output
from kiosk.app.cli_checkout import cmd_checkout
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from tests.helpers.checkout_ledger import checkout_ledger
from tests.helpers.ledger_process import LedgerProcess, paired


@pytest.fixture(params=["sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from checkout_ledger(request, tmp_path)


def test_quote_takes_another_stores_coupon_online(ledger, tmp_path, capsys):
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    member = joined.member.id
    coupon = ring_up_sale(a.kiosk, Sale(member, 3000, "A-1")).coupons[0].id_for(member)
    a.agent().sync_once()
    b.agent().sync_once()
    identify(b.kiosk, joined.card.payload)
    args = argparse.Namespace(card=joined.card.payload, basket='{"lines":[{"code":"A",'
                              '"unit_price":"1000"}]}', reward=None, coupon=str(coupon),
                              points=0, order_ref="B-1", approved_by=None, quote=True)
    cmd_checkout(args, b.kiosk, Output(True))  # raises CouponRefused today
    args.quote = False
    cmd_checkout(args, b.kiosk, Output(True))  # works
    for k in (a, b):
        k.kiosk.store.close()

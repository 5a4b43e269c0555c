"""A genuine card dated ahead of the ledger (a kiosk's clock fast until its first sync,
README "Clocks") is kept, dated at the ledger's clock (second review 27 of 68790b1: the
ledger left it out with a log line, the kiosk marked it sent, and when the member lost it
the shop's replacement, which cancels the cards the ledger holds, left it working at every
till for whoever found it)."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from kiosk.cards import RevokedCard
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import PLAIN_PROGRAM
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path, PLAIN_PROGRAM.read_text(encoding="utf-8"))


def test_a_card_issued_on_a_fast_clock_is_cancelled_by_the_shops_replacement(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    # till-a rebooted with its clock 20 minutes ahead: its own clock serves until it syncs
    a.kiosk.clock._anchor = None
    a.kiosk.clock.device = lambda: datetime.now(UTC) + timedelta(minutes=20)
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-1"))
    a.agent().sync_once()  # the clock set right by the sync; the card is left out
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-2"))  # dated right: points
    a.agent().sync_once()
    b.agent().sync_once()
    shop = ledger.add_device("web", "shop")
    made = requests.post(f"{ledger.url}/v1/shop/cards", timeout=10, json={
        "member_id": str(joined.member.id), "request_id": uuid.uuid4().hex},
        headers={"Authorization": f"Bearer {shop}"})
    assert made.status_code in (200, 201), made.text
    a.agent().sync_once()
    b.agent().sync_once()
    try:
        with pytest.raises(RevokedCard):
            view = identify(b.kiosk, joined.card.payload)  # the LOST card, at till-b
            print(f"lost card {joined.card.card_no} still works: balance {view.balance}")
    finally:
        for k in (a, b):
            k.kiosk.store.close()

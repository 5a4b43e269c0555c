"""An online redemption is held by the ledger against the points available now, not the
balance: a purchase's points still in the return window can't be held (the ledger reads
the member's lots as the counter does, ``sync/server/counter.py`` ``available_points``,
the lean replay, or the full one for a history with a refund in it). Both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.engine.refunds import RefundLine
from kiosk.services import Enrolment, Sale, enrol, redeem, refund_lines, ring_up_sale
from kiosk.services.errors import NotEnoughPoints
from kiosk.services.sales import SaleLine
from sync.client import LedgerClient
from tests.helpers.checkout_ledger import online
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import program_text
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program

PENDING = '\n[points]\npending_days = 14\nexpiry = { after = "months", months = 12 }\n'


@pytest.fixture(params=BOTH_DATABASES)
def pending_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path, program_text(PENDING, version="2026.2-p"))


@pytest.mark.parametrize("refunded", [False, True], ids=["purchases", "with-a-refund"])
def test_points_in_the_return_window_are_not_held_online(
        pending_ledger: LedgerProcess, tmp_path: Path, refunded: bool) -> None:
    k = paired(pending_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id
    ring_up_sale(k.kiosk, Sale.of_basket(member, (SaleLine("TEA", 2, 5_000),), "P-1"))
    if refunded:  # a reversal in the history: the full replay's turn
        refund_lines(k.kiosk, "P-1", [RefundLine(0, 1)])  # one tea of two
    k.agent().sync_once()
    shop = LedgerClient(pending_ledger.url, pending_ledger.add_device("web", "shop"))
    assert shop.balance(member) == (100 if refunded else 150)  # 50 of them the sign-up's
    online(k)
    with pytest.raises(NotEnoughPoints, match="declined"):
        redeem(k.kiosk, member, "coffee")  # 60: only the sign-up's 50 are available
    assert shop.balance(member) == (100 if refunded else 150)  # nothing held or spent
    k.kiosk.store.close()

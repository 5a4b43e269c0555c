"""`kiosk shop ...` against a real `kiosk ledger serve` process: what the shop's commands
refuse, named, before anything is sent (the lost-card commands: test_cli_shop_cards.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.services import Enrolment, enrol
from tests.helpers.checkout_ledger import VERSION
from tests.helpers.cli import kiosk_json
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import CHECKOUT, program_text
from tests.helpers.program_ledger import ledger_on_program


@pytest.fixture(params=["sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path, program_text(CHECKOUT, version=VERSION))


def test_a_shop_donation_of_too_few_or_too_many_points_names_the_bounds(ledger, tmp_path):
    till = paired(ledger, tmp_path, "till-a")
    member = str(enrol(till.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id)
    till.agent().sync_once()
    till.kiosk.store.close()
    shop = ("--ledger-url", ledger.url, "--token", ledger.add_device("web", "shop"))
    before = kiosk_json(tmp_path / "web", "shop", "member", "--member", member, *shop)
    for points in ("-10", "0", "9", "1000001"):
        refused = kiosk_json(tmp_path / "web", "shop", "donate", "--member", member, "--cause",
                             "school-meals", "--points", points, *shop, expect=1)
        assert refused["error"] == {"code": "invalid_input", "message": (
            f"a donation to 'school-meals' is 10 to 1000000 points, not {points}")}
    after = kiosk_json(tmp_path / "web", "shop", "member", "--member", member, *shop)
    assert after["balance"] == before["balance"] and after["entries"] == before["entries"]


@pytest.mark.parametrize("ref", ["W-1\u200b", "\ufeffW-1", "W\u30001", "W-1 "])
def test_a_shop_order_number_with_an_invisible_character_is_refused_in_words(
        ledger, tmp_path, ref):
    """The counter refuses such a number (nobody can read it off the receipt or type it at
    a refund); the shop's order was taken with it, and the refusal is the rule in words,
    not the wire's pattern of ~700 ranges."""
    shop = ("--ledger-url", ledger.url, "--token", ledger.add_device("web", "shop"))
    refused = kiosk_json(tmp_path / "web", "shop", "order", "--member",
                         "0192f1c4-7b1e-7c3a-9d2e-5a6b7c8d9e0f", "--amount", "100",
                         "--order-ref", ref, *shop, expect=1)
    assert refused["error"] == {"code": "invalid", "message": (
        "the ledger refused: order_ref: an order reference is 1 to 64 characters a receipt "
        "shows, with no space at either end (422)")}

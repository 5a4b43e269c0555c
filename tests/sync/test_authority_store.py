"""Store-limited promotions are judged with the store the ledger has for the kiosk (an
adversarial review's finding): the order names its store, and any kiosk's token named the
flagship to take its 5x. The ledger keeps each kiosk's store from its pairing, or from its
operator (``kiosk ledger add-device --store``, ``device-store``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cards import DeviceKey
from kiosk.engine.orders import MemberState, OrderLine
from kiosk.services import Enrolment, Sale, enrol, member_view, ring_up_sale
from sync.agent import SyncAgent
from sync.client import LedgerClient
from sync.protocol import UploadRequest
from sync.server.ledger import Ledger
from tests.helpers.cli import kiosk_json
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.ledger_wire import KIOSK
from tests.helpers.program import program_text
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program
from tests.sync.test_authority_orders import order_upload, person, publish, verdicts

FLAGSHIP = '''
[[promotions]]
id = "flagship-5x"
names = { en = "5x at the flagship", zh-TW = "旗艦店五倍", zh-CN = "旗舰店五倍" }
multiplier = 5
stores = ["Store till-1"]
'''
TEA = (OrderLine("TEA", 1, 1_000, "tea"),)


def flagship_order(ledger: Ledger) -> tuple[UploadRequest, list, object]:
    program = publish(ledger, FLAGSHIP, "2026.2-authority-store")
    member = person()
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    request, entries = order_upload(program, member, TEA,
                                    MemberState("bronze", member.enrolled_at),
                                    store="Store till-1")
    return request, entries, member


def test_a_store_only_promotion_is_not_for_another_stores_kiosk(ledger: Ledger) -> None:
    """till-1 was never said to be the flagship's: its order naming it earns 10 points
    for NT$1,000, not 50."""
    request, entries, member = flagship_order(ledger)
    said = verdicts(entries, ledger.upload(KIOSK, request))
    assert said[("earn", None)] == ("accepted", None)
    assert said[("bonus", "promo:flagship-5x")] == ("rejected", "order_awards_mismatch")
    assert ledger.balance(member.id) == 10


def test_the_operator_says_which_store_a_kiosk_stands_in(ledger: Ledger) -> None:
    ledger.set_store(KIOSK.device_id, "Store till-1")
    request, entries, member = flagship_order(ledger)
    assert {s for s, _ in verdicts(entries, ledger.upload(KIOSK, request)).values()} == {
        "accepted"}
    assert ledger.balance(member.id) == 50


def test_a_kiosk_names_its_store_once_when_it_pairs(ledger: Ledger) -> None:
    """Kept only if the ledger has none for it: a later word (or the operator's before)
    stands over nothing."""
    key = DeviceKey.generate().public_bytes()
    ledger.pair(KIOSK, key, "Store till-1")
    ledger.pair(KIOSK, key, "Elsewhere")  # paired again (a retry): the store stays
    request, _, member = flagship_order(ledger)
    ledger.upload(KIOSK, request)
    assert ledger.balance(member.id) == 50
    with ledger.engine.connect() as conn:
        assert ledger.devices.store_of(conn, KIOSK.device_id) == "Store till-1"


@pytest.fixture(params=BOTH_DATABASES)
def flagship(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path,
                                 program_text(FLAGSHIP, version="2026.2-flagship"))


def test_a_paired_flagship_kiosks_promotion_reaches_the_ledger(flagship: LedgerProcess,
                                                              tmp_path: Path) -> None:
    """The kiosk paired as "Store till-1" (``paired``): its 5x sale syncs whole, the
    ledger's balance the kiosk's; another store's kiosk earns it nowhere."""
    k = paired(flagship, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member
    sale = ring_up_sale(k.kiosk, Sale(member.id, 1_000, "F-1"))
    assert sale.points == 50 and sale.applied == ("flagship-5x",)
    report = SyncAgent(k.kiosk, LedgerClient(k.url, k.token)).sync_once()
    assert report.rejected == 0
    got = LedgerClient(k.url, k.token).balance(member.id)
    assert got == member_view(k.kiosk, member.id).balance == 100  # 50 + 50


def test_the_ledgers_operator_sets_a_kiosks_store(tmp_path: Path) -> None:
    data = tmp_path / "ledger"
    added = kiosk_json(data, "ledger", "add-device", "till-9", "--store", "旗艦店")
    assert added["store"] == "旗艦店"
    moved = kiosk_json(data, "ledger", "device-store", "till-9", "Store till-1")
    assert moved == {"device_id": "till-9", "store": "Store till-1"}
    refused = kiosk_json(data, "ledger", "device-store", "till-9", "x" * 201, expect=2)
    assert "1 to 200 characters" in refused["error"]["message"]
    unknown = kiosk_json(data, "ledger", "device-store", "till-0", "A", expect=1)
    assert "no device 'till-0'" in unknown["error"]["message"]

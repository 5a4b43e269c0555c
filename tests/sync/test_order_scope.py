"""An order ref is unique per channel only (DESIGN, the program engine, point 1): two
kiosks and the shop may each have an order "DUP-1", and a refund at one of them reverses
its own order and nothing else, however the others' entries reached it."""

from __future__ import annotations

from pathlib import Path

from kiosk.ledger import EntryKind
from kiosk.services import Enrolment, Sale, enrol, identify, refund_order, ring_up_sale
from sync.client import LedgerClient
from tests.helpers.ledger_process import LedgerProcess, paired


def test_a_refund_at_one_kiosk_reverses_its_own_order_only(sqlite_ledger: LedgerProcess,
                                                           tmp_path: Path) -> None:
    a, b = paired(sqlite_ledger, tmp_path, "till-a"), paired(sqlite_ledger, tmp_path, "till-b")
    shop = LedgerClient(sqlite_ledger.url, sqlite_ledger.add_device("web", "shop"))
    member = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    a.agent().sync_once()
    b.agent().sync_once()  # b now knows the member
    ring_up_sale(a.kiosk, Sale(member.member.id, 10000, "DUP-1"))  # 100 points
    ring_up_sale(b.kiosk, Sale(member.member.id, 30000, "DUP-1"))  # 300 points
    shop.order(member.member.id, 20000, "DUP-1")  # 200 points
    for k in (a, b, a):
        k.agent().sync_once()
    before = identify(a.kiosk, member.card.payload).balance
    assert before == 50 + 100 + 300 + 200

    result = refund_order(a.kiosk, "DUP-1")

    [back] = result.entries
    assert (back.kind, back.points, back.amount_minor) == (EntryKind.REVERSE, -100, -10000)
    assert result.balance == before - 100
    for k in (a, b):
        k.agent().sync_once()
    assert shop.balance(member.member.id) == before - 100
    assert identify(b.kiosk, member.card.payload).balance == before - 100
    assert sqlite_ledger.check() == []
    for k in (a, b):
        k.kiosk.store.close()

"""A member who joined at another store can earn here before either kiosk has synced
(issue 11, point 9): the card is signed by a certified issuer, so the sale is recorded
against the card's member id, at the first tier, shown as "member from another store"
until sync brings the profile; their points are not spent offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.services import Enrolment, Sale, enrol, identify, redeem, ring_up_sale, verify_store
from kiosk.services.errors import MemberNotSynced
from sync.client import LedgerClient
from tests.helpers.ledger_process import LedgerProcess, paired


@pytest.mark.parametrize("first", ["this store", "the member's store"])
@pytest.mark.parametrize("database", [
    pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def test_a_member_from_another_store_earns_here_before_sync_and_nothing_is_lost(
        request: pytest.FixtureRequest, database: str, tmp_path: Path, first: str) -> None:
    ledger: LedgerProcess = request.getfixturevalue(
        "pg_ledger" if database == "postgres" else "sqlite_ledger")
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    b.agent().sync_once()  # b trusts a's card key from here on
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))  # a: not synced

    view = identify(b.kiosk, joined.card.payload)
    assert view.member.profile_pending and view.member.id == joined.member.id
    assert (view.balance, view.progress.tier.id) == (0, "bronze")
    sale = ring_up_sale(b.kiosk, Sale(joined.member.id, 40_000, "B-1"))  # gold spend...
    assert (sale.points, sale.tier.id) == (400, "bronze")  # ...earned at the first tier
    with pytest.raises(MemberNotSynced):
        redeem(b.kiosk, joined.member.id, "coffee")

    order = [b, a, b] if first == "this store" else [a, b, b]
    for k in order:
        k.agent().sync_once()

    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    history = shop.member(joined.member.id)
    assert (history.member.name, history.member.profile_pending) == ("陳美玲", False)
    assert history.balance == 50 + 400
    view = identify(b.kiosk, joined.card.payload)
    assert (view.member.name, view.member.profile_pending, view.balance) == (
        "陳美玲", False, 450)
    a.agent().sync_once()
    assert identify(a.kiosk, joined.card.payload).balance == 450
    assert ledger.check() == []
    for k in (a, b):
        assert verify_store(k.kiosk).ok
        k.kiosk.store.close()

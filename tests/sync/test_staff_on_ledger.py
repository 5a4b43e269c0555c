"""The person at the counter travels with each entry: the ledger keeps the name, and every
other kiosk that pulls the entry sees who made it (issue 12: a cashier on every entry)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app.ledger_link import attach_ledger
from kiosk.services import Enrolment, Sale, enrol, redeem, ring_up_sale
from kiosk.services.staff import add_staff, sign_in
from kiosk.staff import Role
from tests.helpers.ledger_process import LedgerProcess, paired


@pytest.mark.postgres
def test_the_cashiers_name_reaches_the_ledger_and_the_other_kiosks(
        pg_ledger: LedgerProcess, tmp_path: Path) -> None:
    a, b = paired(pg_ledger, tmp_path, "till-a"), paired(pg_ledger, tmp_path, "till-b")
    mei = add_staff(a.kiosk, "林美", Role.CASHIER, "1357")
    sign_in(a.kiosk, mei.id, "1357")
    member = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    sale = ring_up_sale(a.kiosk, Sale(member.member.id, 60000, "S-1"))
    a.agent().sync_once()
    attach_ledger(a.kiosk)  # online: the redemption goes through a hold
    redeemed = redeem(a.kiosk, member.member.id, "coffee")
    a.agent().sync_once()
    b.agent().sync_once()

    made = {e.id for e in (*member.entries, *sale.entries, redeemed.entry)}
    on_ledger = {e.id: e.staff for e in b.agent().client.pull(0, 100).entries}
    assert {on_ledger[i] for i in made} == {"林美"}
    with b.kiosk.store.read() as tx:
        pulled = {e.id: e.staff for e in tx.entries.of_member(member.member.id)}
    assert {pulled[i] for i in made} == {"林美"}
    assert pg_ledger.check() == []


def test_a_client_from_before_staff_pulls_entries_without_the_field(
        sqlite_ledger: LedgerProcess, tmp_path: Path) -> None:
    """Kiosks and shops from before this change refuse a field they don't know, even a
    null one, and the README says to upgrade the ledger first: they must still read it."""
    import requests

    a = paired(sqlite_ledger, tmp_path, "till-a")
    mei = add_staff(a.kiosk, "Mei", Role.CASHIER, "1357")
    sign_in(a.kiosk, mei.id, "1357")
    member = enrol(a.kiosk, Enrolment("A", "0912345678", consent=True))
    a.agent().sync_once()
    headers = {"Authorization": f"Bearer {a.token}"}
    for path in ("/v1/entries", f"/v1/members/{member.member.id}"):
        old = requests.get(sqlite_ledger.url + path, headers=headers, timeout=10).json()
        new = requests.get(sqlite_ledger.url + path, params={"staff": "true"},
                           headers=headers, timeout=10).json()
        assert old["entries"] and all("staff" not in e for e in old["entries"]), path
        assert {e["staff"] for e in new["entries"]} == {"Mei"}, path

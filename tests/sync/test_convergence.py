"""Kiosks award and redeem while cut off from the ledger and the shop trades online; after
they sync, every balance is the same everywhere and equals the sum of entries, with no
entry twice and none lost."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kiosk.services import (
    Enrolment,
    Refusal,
    Sale,
    enrol,
    redeem,
    refund_order,
    ring_up_sale,
)
from sync.client import LedgerClient, LedgerUnavailable
from tests.helpers.ledger import converge, shop_redeem
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk, free_port, paired


def trade_offline(k: PairedKiosk, members: list, rng: random.Random) -> int:
    """Sales, redemptions and a refund at one kiosk; returns how many entries it made."""
    made = 0
    for i, member in enumerate(members):
        for j in range(3):
            ring_up_sale(k.kiosk, Sale(member, rng.randrange(100, 20000),
                                       f"{k.kiosk.channel}-{i}-{j}"))
            made += 1
        try:
            redeem(k.kiosk, member, rng.choice(["coffee", "nt100-off"]))
            made += 1
        except Refusal:
            pass
    made += len(refund_order(k.kiosk, f"{k.kiosk.channel}-0-0").entries)
    return made


def partition_and_heal(ledger: LedgerProcess, tmp_path: Path) -> None:
    rng = random.Random(3)
    kiosks = [paired(ledger, tmp_path, f"till-{n}") for n in (1, 2, 3)]
    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    for n, k in enumerate(kiosks):
        for i in range(2):
            enrol(k.kiosk, Enrolment(f"M{n}{i}", f"09120000{n}{i}", consent=True))
    converge(ledger, kiosks)  # everyone now knows every member and every card issuer

    # The partition: the kiosks lose the ledger; the shop keeps trading with it.
    nowhere = f"http://127.0.0.1:{free_port()}"
    with kiosks[0].kiosk.store.read() as tx:
        members = tx.members.ids()
    assert len(members) == 6
    for i, member in enumerate(members):
        shop.order(member, rng.randrange(1000, 40000), f"WEB-{i}")
        shop_redeem(shop, member, 60)
    shop.refund("WEB-0")
    for k in kiosks:
        assert trade_offline(k, members, rng) > 18
        agent = k.agent(url=nowhere, timeout=(0.5, 2.0))
        with pytest.raises(LedgerUnavailable):
            agent.sync_once()
        assert agent.status.online is False and agent.status.pending_uploads > 18

    converge(ledger, kiosks)  # healed
    with kiosks[2].kiosk.store.read() as tx:
        channels = {e.channel for m in members for e in tx.entries.of_member(m)}
    assert channels == {"till-1", "till-2", "till-3", "web"}
    for k in kiosks:
        k.kiosk.store.close()


@pytest.mark.postgres
def test_three_kiosks_cut_off_from_the_ledger_agree_after_syncing_on_postgres(pg_ledger,
                                                                              tmp_path):
    partition_and_heal(pg_ledger, tmp_path)


def test_three_kiosks_cut_off_from_the_ledger_agree_after_syncing_on_sqlite(sqlite_ledger,
                                                                            tmp_path):
    partition_and_heal(sqlite_ledger, tmp_path)

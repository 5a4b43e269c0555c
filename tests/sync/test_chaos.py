"""Sync through a network that refuses, stalls, resets and replays requests.

Three kiosks and the online shop reach a ledger on PostgreSQL only through the chaos proxy,
which gives every new connection a seeded random fault. They keep trading while their
syncs fail part-way; once the network heals, everything agrees with nothing lost or doubled.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

import pytest

from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from sync.client import LedgerClient, LedgerUnavailable
from tests.helpers.chaos_proxy import ChaosProxy, Fault
from tests.helpers.ledger import converge
from tests.helpers.ledger_process import PairedKiosk, paired

T = TypeVar("T")
FLAKY = {Fault.PASS: 3, Fault.REFUSE: 1, Fault.RESET: 1.5, Fault.RESET_MIDWAY: 1.5,
         Fault.DELAY: 1, Fault.BLACKHOLE: 0.5, Fault.DUPLICATE: 2.5}
TIMEOUT = (0.5, 1.5)


def until_through(attempt: Callable[[], T], tries: int = 200) -> T:
    """Retry over the flaky network, each try on a new connection (so a new fault)."""
    for _ in range(tries):
        try:
            return attempt()
        except LedgerUnavailable:
            continue
    raise AssertionError(f"nothing got through in {tries} tries")


def sync_through(k: PairedKiosk, proxy: ChaosProxy) -> bool:
    agent = k.agent(url=proxy.url, timeout=TIMEOUT)
    try:
        agent.sync_once()
        return True
    except LedgerUnavailable:
        return False
    finally:
        agent.client.close()


def outbox(k: PairedKiosk) -> int:
    with k.kiosk.store.read() as tx:
        return tx.outbox.size()


@pytest.mark.postgres
@pytest.mark.slow
def test_kiosks_and_shop_behind_a_faulty_network_converge_with_nothing_lost_or_doubled(
        pg_ledger, tmp_path):
    rng = random.Random(7)
    kiosks = [paired(pg_ledger, tmp_path, f"till-{n}") for n in (1, 2, 3)]
    for n, k in enumerate(kiosks):
        enrol(k.kiosk, Enrolment(f"Chaos {n}", f"091300000{n}", consent=True))
    converge(pg_ledger, kiosks)
    with kiosks[0].kiosk.store.read() as tx:
        members = tx.members.ids()
    shop_token = pg_ledger.add_device("web", "shop")

    with ChaosProxy("127.0.0.1", pg_ledger.port) as proxy:
        proxy.set_random(seed=20261123, weights=FLAKY, delay=0.05, after_bytes=40)
        synced = 0
        for round_ in range(12):
            for k in kiosks:
                for i in range(40):
                    ring_up_sale(k.kiosk, Sale(rng.choice(members), rng.randrange(100, 9000),
                                               f"{k.kiosk.channel}-{round_}-{i}"))
                synced += sync_through(k, proxy)
            member = rng.choice(members)

            def shop_order(member=member, ref=f"WEB-{round_}", amount=1000 + 100 * round_
                           ) -> object:
                shop = LedgerClient(proxy.url, shop_token, timeout=TIMEOUT)
                try:
                    return shop.order(member, amount, ref)
                finally:
                    shop.close()
            until_through(shop_order)
        # Keep syncing through the chaos until every outbox has drained.
        for _ in range(200):
            if not any(outbox(k) for k in kiosks):
                break
            for k in kiosks:
                synced += sync_through(k, proxy)
        stats = proxy.stats

    assert not any(outbox(k) for k in kiosks), "the outboxes never drained"
    for fault in FLAKY:
        assert stats[fault.value] > 0, f"the proxy never used {fault.value}: {stats}"
    assert stats["duplicated_requests"] > 0
    assert synced > 0, "no sync ever got through"
    converge(pg_ledger, kiosks)  # the network heals: a direct sync round, then every check
    shop = LedgerClient(pg_ledger.url, shop_token)
    web_orders = [e for m in members for e in shop.member(m, 500).entries
                  if e.channel == "web"]
    assert len({e.order_ref for e in web_orders}) == 12
    assert len(web_orders) == 12, "a shop order retried over the bad network counted twice"

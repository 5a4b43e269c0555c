"""Redeeming online (held by the ledger, so a balance can't go negative), falling back to
the offline rules when the ledger is out of reach, and the shop on the same API."""

from __future__ import annotations

import time
import uuid

import pytest

from kiosk.services import Enrolment, Sale, enrol, identify, redeem, ring_up_sale
from kiosk.services.errors import NotEnoughPoints
from sync.authoriser import LedgerAuthoriser
from sync.client import LedgerClient, LedgerRefused
from sync.protocol import EntryWire
from tests.helpers.ledger import shop_redeem
from tests.helpers.ledger_process import free_port, paired


@pytest.fixture
def counter(sqlite_ledger, tmp_path):
    """A paired kiosk with one member holding 50 + 100 points, all synced."""
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    ring_up_sale(k.kiosk, Sale(member.member.id, 10000, "T-1"))
    k.agent().sync_once()
    shop = LedgerClient(sqlite_ledger.url, sqlite_ledger.add_device("web", "shop"))
    yield k, member, shop
    k.kiosk.store.close()


def online(k, url=None):
    agent = k.agent(url=url, timeout=(0.5, 2.0))
    k.kiosk.authoriser = LedgerAuthoriser(agent)
    return agent


def test_an_online_redemption_is_on_the_ledger_at_once_and_never_twice(counter):
    k, member, shop = counter
    online(k)
    result = redeem(k.kiosk, member.member.id, "nt100-off")
    assert (result.authorised, result.balance) == ("online", 50)
    assert shop.balance(member.member.id) == 50  # before any sync
    report = k.agent().sync_once()  # the outbox still carries it: it comes back a duplicate
    assert (report.uploaded, report.duplicates) == (0, 1)
    assert shop.balance(member.member.id) == 50


def test_the_ledger_declines_points_spent_elsewhere_meanwhile(counter):
    k, member, shop = counter
    shop_redeem(shop, member.member.id, 100)  # the shop spends them first
    online(k)
    with pytest.raises(NotEnoughPoints, match="the ledger declined"):
        redeem(k.kiosk, member.member.id, "nt100-off")  # the kiosk still thinks 150
    assert identify(k.kiosk, member.card.payload).balance == 150  # nothing recorded here
    assert shop.balance(member.member.id) == 50


def test_out_of_reach_the_kiosk_redeems_under_the_offline_rules(counter):
    k, member, shop = counter
    online(k, url=f"http://127.0.0.1:{free_port()}")
    result = redeem(k.kiosk, member.member.id, "coffee")
    assert (result.authorised, result.balance) == ("offline", 90)
    assert shop.balance(member.member.id) == 150
    k.agent().sync_once()
    assert shop.balance(member.member.id) == 90


def test_an_offline_redemption_racing_the_shop_is_an_overdraft_on_record(counter,
                                                                          sqlite_ledger):
    k, member, shop = counter
    shop_redeem(shop, member.member.id, 100)  # online, the ledger now says 50
    online(k, url=f"http://127.0.0.1:{free_port()}")
    redeem(k.kiosk, member.member.id, "nt100-off")  # offline, the kiosk still says 150
    k.agent().sync_once()
    assert shop.balance(member.member.id) == -50
    assert identify(k.kiosk, member.card.payload).balance == -50
    [overdraft] = sqlite_ledger.cli("overdrafts")["overdrafts"]  # type: ignore[union-attr]
    assert (overdraft["member_id"], overdraft["channel"], overdraft["balance_after"]) == (
        str(member.member.id), "till-1", -50)


def test_a_hold_that_expires_frees_the_points_and_cannot_be_confirmed(counter):
    k, member, shop = counter
    entry = EntryWire(id=uuid.uuid4(), member_id=member.member.id, kind="redeem",
                      points=-100, channel="web", occurred_at=k.kiosk.clock(),
                      program_version="2026.2", reward_id="nt100-off")
    hold = shop.reserve(entry, hold_seconds=1)
    assert (hold.state, hold.available_after) == ("held", 50)
    deadline = time.monotonic() + 10
    while shop.member(member.member.id).available != 150 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert shop.member(member.member.id).available == 150
    with pytest.raises(LedgerRefused) as refused:
        shop.confirm(entry.id)
    assert refused.value.status == 410
    assert shop.balance(member.member.id) == 150


def test_a_voided_hold_releases_the_points(counter):
    k, member, shop = counter
    entry = EntryWire(id=uuid.uuid4(), member_id=member.member.id, kind="redeem",
                      points=-100, channel="web", occurred_at=k.kiosk.clock(),
                      program_version="2026.2", reward_id="nt100-off")
    shop.reserve(entry)  # 50 left to spend
    with pytest.raises(LedgerRefused, match=r"not_enough_points|available"):
        shop.reserve(EntryWire(**{**entry.model_dump(), "id": uuid.uuid4(), "points": -60,
                                  "reward_id": "coffee"}))
    assert shop.void(entry.id).state == "voided"
    assert shop.member(member.member.id).available == 150


def test_the_shop_earns_by_the_same_rules_and_the_counter_sees_it(counter):
    k, member, shop = counter
    first = shop.order(member.member.id, 480, "WEB-1")
    again = shop.order(member.member.id, 480, "WEB-1")
    # Silver from the NT$10,000 spent at the kiosk: 480 at 1.5x is 7 points online too.
    assert (first.points, first.balance, first.tier, first.duplicate) == (7, 157, "silver",
                                                                        False)
    assert (again.points, again.balance, again.duplicate) == (7, 157, True)
    history = shop.member(member.member.id)
    assert [e.channel for e in history.entries] == ["web", "till-1", "till-1"]
    refund = shop.refund("WEB-1")
    assert (refund.points, refund.balance) == (-7, 150)
    with pytest.raises(LedgerRefused) as twice:
        shop.refund("WEB-1")
    assert twice.value.status == 404
    k.agent().sync_once()
    view = identify(k.kiosk, member.card.payload)
    assert view.balance == 150
    assert {e.channel for e in view.recent} == {"web", "till-1"}


def test_kiosks_cannot_use_the_shops_calls(counter):
    k, member, _ = counter
    with pytest.raises(LedgerRefused) as refused:
        k.agent().client.order(member.member.id, 100, "X")
    assert refused.value.status == 403


def test_only_the_device_that_made_a_hold_can_confirm_or_void_it(counter):
    k, member, shop = counter
    entry = EntryWire(id=uuid.uuid4(), member_id=member.member.id, kind="redeem",
                      points=-100, channel="web", occurred_at=k.kiosk.clock(),
                      program_version="2026.2", reward_id="nt100-off")
    shop.reserve(entry)
    other = k.agent().client  # another device's token
    for settle in (other.confirm, other.void):
        with pytest.raises(LedgerRefused) as refused:
            settle(entry.id)
        assert refused.value.status == 404
    assert shop.member(member.member.id).available == 50  # still held
    assert shop.confirm(entry.id).status == "accepted"
    assert shop.balance(member.member.id) == 50

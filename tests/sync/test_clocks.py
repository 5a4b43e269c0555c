"""Clocks (issue 11, point 7). A kiosk's clock set two years ahead or behind dated its
sales there and the ledger took them without a question. Now the ledger records when each
entry reached it, refuses entries dated in its future and flags ones dated well before an
earlier upload of the same device; a kiosk dates its entries by the ledger's clock once it
has synced, and says its own clock is off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from kiosk.audit import Rejected
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale, verify_store
from tests.helpers.ledger import DeviceClock, all_server_entries, paired_with, rebooted
from tests.helpers.ledger_process import LedgerProcess

TWO_YEARS = timedelta(days=730)


def near_now(moment: datetime) -> bool:
    return abs(moment - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_clock_set_ahead_is_refused_by_the_ledger_then_corrected_by_it(
        sqlite_ledger: LedgerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = DeviceClock()
    k = paired_with(sqlite_ledger, tmp_path, clock)
    joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    member = joined.member.id
    agent = k.agent()
    agent.sync_once()
    assert not agent.status.clock_off

    k = rebooted(k, clock, monkeypatch, TWO_YEARS)  # back two years ahead, offline
    agent = k.agent()
    ahead = ring_up_sale(k.kiosk, Sale(member, 12_000, "AHEAD")).entries[0]  # silver spend
    assert ahead.occurred_at > datetime.now(UTC) + timedelta(days=700)
    report = agent.sync_once()

    assert report.pending_uploads == 0  # refused, held back: nothing waits behind it
    with k.kiosk.store.read() as tx:
        [(held, why)] = tx.outbox.rejections()
    assert held == ahead.id and "after the ledger's clock" in why
    [listed] = sqlite_ledger.cli("rejections")["rejections"]  # type: ignore[misc]
    assert listed["code"] == Rejected.FUTURE.value
    assert agent.status.clock_off and agent.status.clock_skew is not None
    assert abs(agent.status.clock_skew + TWO_YEARS) < timedelta(minutes=1)

    # The refused sale is not the member's: not in the balance, not toward the tier.
    assert identify(k.kiosk, joined.card.payload).balance == agent.client.balance(member)
    later = ring_up_sale(k.kiosk, Sale(member, 1000, "AFTER"))
    assert later.tier.id == "bronze"  # silver only by the refused sale: the ledger says no
    assert near_now(later.entries[0].occurred_at)  # dated by the ledger's clock now
    assert agent.sync_once().rejected == 0
    assert later.entries[0].id in {e.id for e in all_server_entries(k)}
    assert identify(k.kiosk, joined.card.payload).balance == agent.client.balance(member)
    assert verify_store(k.kiosk).ok
    k.kiosk.store.close()


@pytest.mark.parametrize("database", [
    pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def test_a_clock_set_behind_is_flagged_by_the_ledger_then_corrected_by_it(
        request: pytest.FixtureRequest, database: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ledger: LedgerProcess = request.getfixturevalue(
        "pg_ledger" if database == "postgres" else "sqlite_ledger")
    clock = DeviceClock()
    k = paired_with(ledger, tmp_path, clock)
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id
    agent = k.agent()
    agent.sync_once()

    k = rebooted(k, clock, monkeypatch, -TWO_YEARS)
    agent = k.agent()
    behind = ring_up_sale(k.kiosk, Sale(member, 1000, "BEHIND")).entries[0]
    agent.sync_once()

    assert behind.id in {e.id for e in all_server_entries(k)}  # a real sale: it counts
    [flag] = ledger.cli("clock-flags")["clock_flags"]  # type: ignore[misc]
    assert (flag["device_id"], flag["entry_id"]) == ("till-1", str(behind.id))
    admin = {"Authorization": f"Bearer {ledger.add_device('office', 'admin')}"}
    report = requests.get(f"{ledger.url}/v1/reports/clock?device=till-1", headers=admin,
                          timeout=10)
    assert [f["entry_id"] for f in report.json()] == [str(behind.id)]
    assert requests.get(f"{ledger.url}/v1/reports/clock", timeout=10,
                        headers={"Authorization": f"Bearer {k.token}"}).status_code == 403
    assert agent.status.clock_off
    assert near_now(ring_up_sale(k.kiosk, Sale(member, 1000, "AFTER")).entries[0].occurred_at)
    agent.sync_once()
    assert len(ledger.cli("clock-flags")["clock_flags"]) == 1  # type: ignore[arg-type]
    assert verify_store(k.kiosk).ok and ledger.check() == []
    k.kiosk.store.close()


def test_a_kiosk_paired_with_a_wrong_clock_dates_entries_by_the_ledgers_from_the_start(
        sqlite_ledger: LedgerProcess, tmp_path: Path) -> None:
    k = paired_with(sqlite_ledger, tmp_path, DeviceClock(off=-TWO_YEARS))
    enrolled = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    assert near_now(enrolled.member.enrolled_at)
    assert k.agent().sync_once().rejected == 0
    assert sqlite_ledger.cli("clock-flags")["clock_flags"] == []
    k.kiosk.store.close()


def test_a_clock_stepped_right_after_sync_does_not_date_sales_in_the_ledgers_future(
        sqlite_ledger: LedgerProcess, tmp_path: Path) -> None:
    """The device booted three hours behind and synced; then NTP stepped its clock right.
    An offset from the device's clock would now date sales three hours ahead, and the
    ledger would refuse them; the ledger's time moved on by the machine's steady clock
    doesn't care what the device's clock is set to."""
    clock = DeviceClock(off=-timedelta(hours=3))
    k = paired_with(sqlite_ledger, tmp_path, clock)
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id
    clock.off = timedelta(0)  # stepped right
    sale = ring_up_sale(k.kiosk, Sale(member, 1000, "AFTER-STEP")).entries[0]
    assert near_now(sale.occurred_at)
    assert k.agent().sync_once().rejected == 0
    k.kiosk.store.close()


def test_the_ledgers_time_holds_across_a_restart_of_the_app(sqlite_ledger: LedgerProcess,
                                                             tmp_path: Path) -> None:
    from kiosk.app.bootstrap import bootstrap

    clock = DeviceClock(off=-TWO_YEARS)
    k = paired_with(sqlite_ledger, tmp_path, clock)
    k.kiosk.store.close()
    again = bootstrap(k.data_dir, clock=clock)  # the same boot: the reading still holds
    assert near_now(enrol(again, Enrolment("陳美玲", "0912345678", consent=True))
                    .member.enrolled_at)
    again.store.close()

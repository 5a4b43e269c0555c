"""A kiosk switches to an announced program version at its time, with no network (DESIGN,
the program engine, 8): the ledger's state brings the versions published to take effect
later, the kiosk keeps them, and every sale and the member screen's promotions follow the
kiosk's clock, in the running app and after a restart."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.program import Program, parse_program
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from sync.server.db import ledger_engine
from sync.server.ledger import Ledger
from tests.helpers.ledger import DeviceClock, paired_with, rebooted
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk
from tests.helpers.program import program_text

DOUBLE = '''
[[promotions]]
id = "double"
names = { en = "Double points", zh-TW = "雙倍點數", zh-CN = "双倍点数" }
multiplier = 2
'''


def announce(ledger: LedgerProcess, at: datetime) -> Program:
    """2026.3 (double points on everything) published on the ledger to take effect ``at``."""
    program = parse_program(program_text(DOUBLE, "2026.3").replace(
        'version = "2026.3"', f'version = "2026.3"\neffective_from = {at.isoformat()}'))
    engine = ledger_engine(ledger.db)
    try:
        published = Ledger(engine, lambda: datetime.now(UTC)).publish_program(program)
    finally:
        engine.dispose()
    assert published.standing == "announced"
    return program


def sold(k: PairedKiosk, member: uuid.UUID, ref: str) -> tuple[str, int]:
    """An NT$1,000 sale's version and points."""
    result = ring_up_sale(k.kiosk, Sale(member, 1_000, ref))
    return result.entries[0].program_version, sum(e.points for e in result.entries)


def test_a_kiosk_switches_at_the_effective_time_offline_and_after_a_restart(
        sqlite_ledger: LedgerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = DeviceClock()
    k = paired_with(sqlite_ledger, tmp_path, clock)
    joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    member = joined.member.id
    switch = datetime.now(UTC) + timedelta(hours=1)
    announce(sqlite_ledger, switch)
    k.agent().sync_once()
    sqlite_ledger.kill()  # no network from here on

    assert sold(k, member, "BEFORE") == ("2026.2", 10)
    assert identify(k.kiosk, joined.card.payload).promotions == ()

    k.kiosk.clock.correct(timedelta(hours=1, minutes=1))  # the running kiosk's clock moves
    assert k.kiosk.clock() > switch
    assert sold(k, member, "AFTER") == ("2026.3", 20)  # 10 base + 10 double
    assert [p.id for p in identify(k.kiosk, joined.card.payload).promotions] == ["double"]

    k = rebooted(k, clock, monkeypatch, timedelta(hours=1, minutes=2))  # still offline
    assert k.kiosk.program.version == "2026.3"
    assert sold(k, member, "RESTARTED") == ("2026.3", 20)
    k = rebooted(k, clock, monkeypatch, timedelta(0))  # back before the switch
    assert sold(k, member, "EARLIER") == ("2026.2", 10)


def test_orders_either_side_of_a_switch_go_up_and_count(
        sqlite_ledger: LedgerProcess, tmp_path: Path) -> None:
    """End to end with the real clocks: announced a few seconds ahead, the kiosk rings up
    offline before and after the switch, and both orders are accepted when it syncs."""
    k = paired_with(sqlite_ledger, tmp_path, DeviceClock())
    joined = enrol(k.kiosk, Enrolment("林志明", "0922333444", consent=True))
    switch = datetime.now(UTC) + timedelta(seconds=6)  # room for a busy machine's sync
    announce(sqlite_ledger, switch)
    agent = k.agent()
    agent.sync_once()
    sqlite_ledger.kill()
    assert k.kiosk.clock() < switch, "the machine took too long to sync"
    assert sold(k, joined.member.id, "BEFORE") == ("2026.2", 10)
    time.sleep(max(0.0, (switch - k.kiosk.clock()).total_seconds()) + 0.05)
    assert sold(k, joined.member.id, "AFTER") == ("2026.3", 20)

    sqlite_ledger.start()
    report = agent.sync_once()
    assert (report.rejected, report.pending_uploads) == (0, 0)
    assert agent.client.balance(joined.member.id) == identify(
        k.kiosk, joined.card.payload).balance
    assert k.kiosk.program.version == "2026.3"  # now the ledger's current one too

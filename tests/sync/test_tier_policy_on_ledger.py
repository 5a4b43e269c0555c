"""The ledger checks a tier claim under the program's tier policy (issue 14, point 9): a
kiosk's earn entry at Gold for a member who reached Gold last year is accepted over HTTP
under a calendar year with ``retain``, and a tier the policy doesn't give is refused; on
PostgreSQL and SQLite. Tiers by points earned are checked the same way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.audit import Rejected
from kiosk.program import load_program
from sync.client import LedgerClient
from sync.protocol import UploadRequest
from sync.server.counter import OnlineCounter
from tests.helpers.ledger_process import LedgerProcess
from tests.helpers.ledger_wire import KIOSK, SHOP, members, sale
from tests.helpers.program import PLAIN_PROGRAM

CALENDAR_RETAIN = '\n[tier_policy]\nperiod = "calendar_year"\nretain = true\n'
POINTS = '\n[tier_policy]\nbasis = "points"\n'


def program_file(folder: Path, extra: str, *, min_points: bool = False) -> Path:
    text = PLAIN_PROGRAM.read_text(encoding="utf-8")
    if min_points:
        for tier, points in {"bronze": 0, "silver": 50, "gold": 300}.items():
            text = text.replace(f'id = "{tier}"\n', f'id = "{tier}"\nmin_points = {points}\n', 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "program.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


@pytest.fixture(params=["postgres", "sqlite"])
def policy_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    db = (request.getfixturevalue("pg_url") if request.param == "postgres"
          else f"sqlite:///{tmp_path / 'ledger' / 'ledger.db'}")
    ledger = LedgerProcess(db, tmp_path / "ledger",
                           program=program_file(tmp_path / "ledger", CALENDAR_RETAIN))
    ledger.start()
    yield ledger
    ledger.kill()


def last_year(month: int) -> datetime:
    """Noon in Taipei on the 1st of ``month`` last year (the program's year)."""
    year = datetime.now(UTC).astimezone(ZoneInfo("Asia/Taipei")).year - 1
    return datetime(year, month, 1, 12, tzinfo=ZoneInfo("Asia/Taipei")).astimezone(UTC)


def test_gold_reached_last_year_is_accepted_this_year_and_a_tier_not_reached_is_refused(
        policy_ledger):
    client = LedgerClient(policy_ledger.url, policy_ledger.add_device(KIOSK.device_id))
    gold, silver = members(2)
    # Gold's NT$30,000 and silver's NT$10,000 last year, more than 365 days ago when the
    # year allows (today's rule alone would have let both drop to bronze).
    history = [sale(gold, 1, 300, amount_minor=30_000, tier="bronze",
                    occurred_at=last_year(1)),
               sale(silver, 2, 100, amount_minor=10_000, tier="bronze",
                    occurred_at=last_year(1))]
    answer = client.upload(UploadRequest(members=[gold, silver], entries=history))
    assert [r.status for r in answer.results] == ["accepted", "accepted"]
    now = [sale(gold, 3, 20, amount_minor=1_000, tier="gold"),  # 10 points at 2x
           sale(silver, 4, 20, amount_minor=1_000, tier="gold"),  # silver is held, not gold
           sale(silver, 5, 15, amount_minor=1_000, tier="silver")]
    answer = client.upload(UploadRequest(entries=now))
    assert [(r.status, r.code) for r in answer.results] == [
        ("accepted", None), ("rejected", Rejected.TIER_NOT_HELD.value), ("accepted", None)]
    assert policy_ledger.check() == []


def test_tiers_by_points_earned_on_the_ledger(ledger, tmp_path):
    """The ledger in-process (both databases) under a points program: a tier claim counts
    the points purchases earned (not the sign-up bonus), on the ledger and earlier in the
    upload; the shop's order earns at the tier the points give."""
    text = program_file(tmp_path, POINTS, min_points=True).read_text(encoding="utf-8")
    path = tmp_path / "points.toml"
    path.write_text(text.replace('version = "2026.2"', 'version = "2026.9"', 1),
                    encoding="utf-8")
    ledger.publish_program(load_program(path))
    [member] = members(1)
    v = {"program_version": "2026.9"}
    signup = sale(member, 1, 50, kind="bonus", amount_minor=0, order_ref=None, note="signup",
                  **v)
    early = sale(member, 2, 15, amount_minor=1_000, tier="silver", **v)  # 0 points so far
    big = sale(member, 3, 50, amount_minor=5_000, tier="bronze", **v)  # silver's 50 points
    later = sale(member, 4, 15, amount_minor=1_000, tier="silver", **v)  # (and half its
    # NT$10,000: today's rule would refuse it)
    answer = ledger.upload(KIOSK, UploadRequest(members=[member],
                                                entries=[signup, early, big, later]))
    assert [(r.status, r.code) for r in answer.results] == [
        ("accepted", None), ("rejected", Rejected.TIER_NOT_HELD.value), ("accepted", None),
        ("accepted", None)]
    order = OnlineCounter(ledger).order(SHOP, member.id, 1_000, "WEB-1")
    assert (order.tier, order.points) == ("silver", 15)

"""A birthday bonus naming an announced program version that is not in force yet is
refused. Before, the ledger checked it against that version's rules alone, so a stolen
kiosk token granted next month's 5000-point birthday bonus today instead of 100 points,
and the honest 100-point copy then counted as a duplicate: the owner saw 50 times the
birthday points in the books (found at review 27)."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.bonuses import local_midnight, window_start
from kiosk.engine.orders import derived_id
from kiosk.program import parse_program
from sync.protocol import EntryWire, MemberWire, UploadRequest
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK
from tests.helpers.program import program_text
from tests.sync.test_spends_need_a_yes import Clock

ZONE = ZoneInfo("Asia/Taipei")


def test_a_birthday_bonus_under_an_announced_version_not_in_force_is_refused(
        ledger: Ledger) -> None:
    """The store announces next month's program (birthday bonus raised from 100 to 5000
    points, effective in 30 days). Today, a stolen kiosk token (or a kiosk with the wrong
    version) grants a member this year's birthday bonus naming the announced version: the
    ledger checks the bonus against that version's rules alone (derived_verdict applies
    no 'in force at its date' check, unlike orders and every other entry), so 5000 points
    land instead of 100; and as a once-only award under a derived id, the honest 100-point
    copy later is a duplicate. The owner sees 50x the birthday points in the books."""
    now_v = parse_program(program_text("[bonuses.birthday]\npoints = 100\n", "2026.2-bd"))
    ledger.publish_program(now_v)
    when = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    later = parse_program(program_text("[bonuses.birthday]\npoints = 5000\n", "2026.3-bd")
                          .replace('version = "2026.3-bd"',
                                   f'version = "2026.3-bd"\neffective_from = {when}'))
    ledger.publish_program(later)
    assert ledger.current_program().version == "2026.2-bd"
    today = datetime.now(ZONE).date()
    member = MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                        enrolled_at=datetime(2020, 1, 1, tzinfo=UTC), channel=KIOSK.device_id,
                        birthday=date(1990, today.month, 1))
    assert later.bonuses.birthday is not None
    note = f"birthday:{today.year}"
    bonus = EntryWire(id=derived_id(member.id, note), member_id=member.id, kind="bonus",
                      points=5000, channel=DERIVED_CHANNEL,
                      occurred_at=local_midnight(window_start(later.bonuses.birthday,
                                                              member.birthday, today.year), ZONE),
                      program_version=later.version, note=note, device_seq=1)
    answer = ledger.upload(KIOSK, UploadRequest(members=[member], entries=[bonus]))
    [result] = answer.results
    assert (result.status, ledger.balance(member.id)) == ("rejected", 0), (
        f"{result.status}: balance {ledger.balance(member.id)} from a version not in force")


def test_a_birthday_bonus_under_a_version_replaced_before_its_date_is_refused(
        tmp_path: Path) -> None:
    """Last year's program gave 5000 points on a birthday; this spring's gives 100. A
    token grants this year's birthday bonus naming last year's version: it was replaced
    months before the birthday, so no sale since could have granted under it (second
    review 27). The honest copy under this year's version is taken."""
    clock = Clock()
    today = datetime.now(ZONE).date()
    clock.now = datetime.now(UTC) - timedelta(days=400)
    engine = ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    ledger = Ledger(engine, clock)
    ledger.initialise(parse_program(program_text("[bonuses.birthday]\npoints = 5000\n",
                                                 "2025.1-bd")))
    ledger.add_device(KIOSK.device_id, "kiosk")
    clock.now = datetime.now(UTC) - timedelta(days=200)
    ledger.publish_program(parse_program(program_text("[bonuses.birthday]\npoints = 100\n",
                                                      "2026.1-bd")))
    clock.now = datetime.now(UTC)
    member = MemberWire(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                        enrolled_at=datetime(2020, 1, 1, tzinfo=UTC), channel=KIOSK.device_id,
                        birthday=date(1990, today.month, 1))
    note = f"birthday:{today.year}"

    def bonus(version: str, points: int, seq: int) -> EntryWire:
        program = ledger.programs.program(version)
        assert program is not None and program.bonuses.birthday is not None
        return EntryWire(id=derived_id(member.id, note), member_id=member.id, kind="bonus",
                         points=points, channel=DERIVED_CHANNEL,
                         occurred_at=local_midnight(window_start(
                             program.bonuses.birthday, member.birthday, today.year), ZONE),
                         program_version=version, note=note, device_seq=seq)

    old = ledger.upload(KIOSK, UploadRequest(members=[member], entries=[
        bonus("2025.1-bd", 5000, 1)]))
    assert [(r.status, r.code) for r in old.results] == [("rejected", "version_not_in_force")]
    assert "replaced" in (old.results[0].reason or "")
    honest = ledger.upload(KIOSK, UploadRequest(entries=[bonus("2026.1-bd", 100, 2)]))
    assert [r.status for r in honest.results] == ["accepted"]
    assert ledger.balance(member.id) == 100
    ledger.engine.dispose()

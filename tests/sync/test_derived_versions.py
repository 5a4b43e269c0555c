"""A once-only award is one award whichever program version granted it: two kiosks on
different versions (one synced before the store published a new version, one after) each
grant a member's birthday bonus offline; the second copy reaches the ledger as a
duplicate of the first, not as a conflict the kiosk would have to quarantine (review of
issue 14). Each copy is still checked against the version it names."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kiosk.engine.orders import derived_id
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale, verify_store
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import program_text
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program

BIRTHDAY = '''
[bonuses.birthday]
points = 100
'''


def _program(folder: Path, version: str) -> Path:
    path = folder / f"program-{version}.toml"
    path.write_text(program_text(BIRTHDAY, version=version), encoding="utf-8")
    return path


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path, program_text(BIRTHDAY, version="2026.2-a"))


def test_two_versions_grant_one_birthday(ledger: LedgerProcess, tmp_path: Path) -> None:
    a = paired(ledger, tmp_path, "till-a")  # on 2026.2-a, and syncs no more until the sale
    month = datetime.now(UTC).astimezone(a.kiosk.program.zone).month
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", birthday=date(1990, month, 1),
                                      consent=True))
    a.agent().sync_once()
    ledger.kill()
    ledger.program = _program(tmp_path, "2026.2-b")
    ledger.start()
    b = paired(ledger, tmp_path, "till-b")  # on 2026.2-b
    identify(b.kiosk, joined.card.payload)
    b.agent().sync_once()
    assert (a.kiosk.program.version, b.kiosk.program.version) == ("2026.2-a", "2026.2-b")

    ring_up_sale(a.kiosk, Sale(joined.member.id, 500, "A-1"))  # both offline: each grants it
    ring_up_sale(b.kiosk, Sale(joined.member.id, 500, "B-1"))
    year = datetime.now(UTC).astimezone(a.kiosk.program.zone).year
    for k in (a, b, a, b):
        k.agent().sync_once()
    for k in (a, b):
        with k.kiosk.store.read() as tx:
            assert tx.outbox.rejections() == []  # no conflict to quarantine
            granted = [e for e in tx.entries.of_member(joined.member.id)
                       if e.id == derived_id(joined.member.id, f"birthday:{year}")]
        assert len(granted) == 1
        assert identify(k.kiosk, joined.card.payload).balance == 50 + 5 + 5 + 100
        assert verify_store(k.kiosk).ok
    assert ledger.check() == []
    for k in (a, b):
        k.kiosk.store.close()

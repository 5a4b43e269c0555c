"""A once-only award granted under an older program version gives way to the ledger's copy:
the ledger keeps the first copy of a derived id it receives (a later one is its duplicate,
tests/sync/test_derived_versions.py), so a kiosk that granted its own copy under a version
with another bonus takes the ledger's when it syncs, and its balance is the ledger's (the
review saw a kiosk 50 points off the ledger for good). The replacement moves the cached
balance in the same transaction and doubles nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kiosk.engine.orders import derived_id
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale, verify_store
from sync.client import LedgerClient
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import program_text
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program


def _birthday(points: int) -> str:
    return f"\n[bonuses.birthday]\npoints = {points}\n"


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path,
                                 program_text(_birthday(100), version="2026.2-a"))


def test_the_old_versions_birthday_gives_way_to_the_ledgers(ledger: LedgerProcess,
                                                           tmp_path: Path) -> None:
    old = paired(ledger, tmp_path, "till-old")  # on 2026.2-a (100), no sync until its sale
    zone = old.kiosk.program.zone
    month = datetime.now(UTC).astimezone(zone).month
    joined = enrol(old.kiosk, Enrolment("陳美玲", "0912345678", birthday=date(1990, month, 1),
                                        consent=True))
    old.agent().sync_once()
    ledger.kill()
    ledger.program = tmp_path / "program-b.toml"
    ledger.program.write_text(program_text(_birthday(150), version="2026.2-b"),
                              encoding="utf-8")
    ledger.start()
    new = paired(ledger, tmp_path, "till-new")  # on 2026.2-b (150)
    identify(new.kiosk, joined.card.payload)
    new.agent().sync_once()
    assert (old.kiosk.program.version, new.kiosk.program.version) == ("2026.2-a", "2026.2-b")

    ring_up_sale(new.kiosk, Sale(joined.member.id, 500, "N-1"))  # its copy reaches the
    new.agent().sync_once()                                      # ledger first: it stands
    ring_up_sale(old.kiosk, Sale(joined.member.id, 500, "O-1"))  # offline, on the old one
    assert identify(old.kiosk, joined.card.payload).balance == 50 + 5 + 100
    old.agent().sync_once()
    old.agent().sync_once()

    on_ledger = LedgerClient(ledger.url, old.token).balance(joined.member.id)
    assert on_ledger == 50 + 5 + 5 + 150
    year = datetime.now(UTC).astimezone(zone).year
    with old.kiosk.store.read() as tx:
        assert tx.outbox.rejections() == []
        granted = [e for e in tx.entries.of_member(joined.member.id)
                   if e.id == derived_id(joined.member.id, f"birthday:{year}")]
    assert [(e.points, e.program_version) for e in granted] == [(150, "2026.2-b")]
    assert identify(old.kiosk, joined.card.payload).balance == on_ledger
    assert verify_store(old.kiosk).ok
    new.agent().sync_once()
    assert identify(new.kiosk, joined.card.payload).balance == on_ledger
    assert ledger.check() == []
    for k in (old, new):
        k.kiosk.store.close()

"""An entry the ledger refused leaves the kiosk's balance, and with it what the counter
may spend offline: under a program with expiry the lots replayed it still, so a refused
adjustment was spendable once the ledger was out of reach (review 28a)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.ledger import Entry, EntryKind
from kiosk.services import Enrolment, enrol, redeem
from kiosk.services.errors import NotEnoughPoints
from kiosk.services.views import member_points
from tests.helpers.ledger_process import LedgerProcess, paired, sqlite_copy
from tests.helpers.program import program_text

EXPIRY = '\n[points]\nexpiry = { after = "months", months = 12 }\n'


@pytest.fixture
def expiry_ledger(sqlite_ledger_schema: Path, tmp_path: Path) -> Iterator[LedgerProcess]:
    folder = tmp_path / "ledger"
    folder.mkdir()
    doc = tmp_path / "program.toml"
    doc.write_text(program_text(EXPIRY), encoding="utf-8")
    ledger = LedgerProcess(sqlite_copy(sqlite_ledger_schema, folder / "ledger.db"), folder,
                           program=doc)
    ledger.start()
    yield ledger
    ledger.kill()


def test_an_adjustment_the_ledger_refused_is_not_spendable_offline(
        expiry_ledger: LedgerProcess, tmp_path: Path) -> None:
    k = paired(expiry_ledger, tmp_path, "till-1")
    kiosk = k.kiosk
    member = enrol(kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member  # +50
    # Over the program's bound: kept here, refused there.
    bogus = Entry(kiosk.new_id(), member.id, EntryKind.ADJUST, 200_000, kiosk.channel,
                  kiosk.clock(), kiosk.program.version, note="goodwill")
    with kiosk.store.write() as tx:
        tx.entries.append([bogus])
    assert k.agent().sync_once().rejected == 1
    with kiosk.store.read() as tx:
        assert [i for i, _ in tx.outbox.rejections()] == [bogus.id]
        balance = tx.entries.balance(member.id)
        summary = member_points(tx, kiosk.program, member.id, kiosk.clock())
    assert balance == 50 == k.agent().client.balance(member.id)
    assert summary is not None
    assert (summary.balance, summary.available) == (50, 50)
    expiry_ledger.kill()  # offline: the floor limits and the kiosk's own numbers decide
    with pytest.raises(NotEnoughPoints, match="500 points needed, the member has 50"):
        redeem(kiosk, member.id, "tote")

"""Program versions coexist on the ledger (DESIGN rule 8): a second version published at a
restart becomes the current one, the shop's calls follow its rules, and every earlier
version is still there to answer for the entries it produced."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.members import Member
from sync.client import LedgerClient
from sync.protocol import MemberWire, UploadRequest
from sync.server.db import ledger_engine
from sync.server.ledger import Ledger
from tests.helpers.ledger_process import LedgerProcess, start_ledger
from tests.helpers.program import PLAIN_PROGRAM


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger(request: pytest.FixtureRequest, tmp_path: Path):
    db = (request.getfixturevalue("pg_url") if request.param == "postgres"
          else f"sqlite:///{tmp_path / 'ledger' / 'ledger.db'}")
    process = start_ledger(db, tmp_path / "ledger")
    yield process
    process.kill()


def second_version(folder: Path) -> Path:
    """The plain program as version 2026.3, earning twice the points per NT$100."""
    text = PLAIN_PROGRAM.read_text(encoding="utf-8")
    text, versions = re.subn(r'(?m)^version = "2026\.2"', 'version = "2026.3"', text)
    text, earns = re.subn(r"(?ms)^(\[earn\]\n(?:#[^\n]*\n)*)points = 1$", r"\1points = 2",
                          text)
    assert (versions, earns) == (1, 1)
    path = folder / "program-2026.3.toml"
    path.write_text(text, encoding="utf-8")
    return path


def member_on_ledger(shop: LedgerClient) -> uuid.UUID:
    member = Member(uuid.uuid4(), "林志明", "0922333444", datetime.now(UTC), "web")
    shop.upload(UploadRequest(members=[MemberWire.of(member)], entries=[]))
    return member.id


def test_after_a_second_version_the_shop_earns_refunds_and_looks_up_by_the_newest(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    member_id = member_on_ledger(shop)
    assert shop.order(member_id, 1000, "W-1").points == 10  # 2026.2: a point per NT$100

    ledger.kill()
    ledger.program = second_version(tmp_path)
    ledger.start()

    assert shop.state().program_version == "2026.3"
    second = shop.order(member_id, 1000, "W-2")
    assert (second.points, second.balance) == (20, 30)  # 2026.3's rule: two per NT$100
    assert shop.refund("W-1").balance == 20  # the refund replays 2026.2's award
    history = shop.member(member_id)
    assert [e.program_version for e in history.entries] == ["2026.3", "2026.3", "2026.2"]
    assert history.balance == 20


def test_the_ledger_keeps_every_version_and_answers_for_each(ledger: LedgerProcess,
                                                              tmp_path: Path) -> None:
    ledger.kill()
    ledger.program = second_version(tmp_path)
    ledger.start()
    engine = ledger_engine(ledger.db)
    try:
        books = Ledger(engine, lambda: datetime.now(UTC))
        first, second = books.program("2026.2"), books.program("2026.3")
        assert first is not None and second is not None
        assert (first.earn.points, second.earn.points) == (1, 2)
        assert books.program("2026.2") is first  # parsed once: documents never change
        assert books.program("1999.1") is None
        assert books.current_program().version == "2026.3"
        assert books.state().program_version == "2026.3"
    finally:
        engine.dispose()


def test_a_ledger_command_without_a_program_never_replaces_the_stores_program(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """The shipped default only starts a new ledger: `kiosk ledger check` and the other
    commands, run on a store's ledger after a package upgrade brought a newer default,
    leave the store's own program current (before, they published the default)."""
    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))  # a command, too
    assert ledger.cli("check")["problems"] == []  # the command, as a process
    assert ledger.cli("overdrafts") is not None
    assert shop.state().program_version == "2026.2"  # the plain program the ledger serves

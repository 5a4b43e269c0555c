"""One lock order on the ledger (PostgreSQL; review 28b): the ledger's head, then members'
balance rows. A shop order and a transfer locked the member's balance row first and the
head when they appended; a kiosk's upload takes the head first, then updates the balance
row of each member it moves. An upload for a member while the shop ordered (or a transfer
moved points) for them was a deadlock: PostgreSQL aborted one after its deadlock timeout
(1 s, the ledger's head held all that time) and its caller got a 503."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from sync.protocol import UploadRequest
from sync.server.counter import OnlineCounter
from sync.server.ledger import Ledger
from sync.server.transfers import Transfers
from sync.wire_holds import TransferRequest
from tests.helpers.ledger_wire import KIOSK, SHOP, members, sale
from tests.helpers.program import program_text
from tests.sync.conftest import in_process_ledger

TRANSFERS = "\n[transfers]\nmin_points = 10\nmax_points = 500\n"


@pytest.fixture
def ledger(pg_migrated_url: str, tmp_path: Path) -> Iterator[Ledger]:
    doc = tmp_path / "program.toml"
    doc.write_text(program_text(TRANSFERS), encoding="utf-8")
    ledger = in_process_ledger(pg_migrated_url, doc)
    yield ledger
    ledger.engine.dispose()


def _someone_waits_on_a_lock(ledger: Ledger) -> bool:
    with ledger.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")).scalar())


def _upload_meanwhile(ledger: Ledger, monkeypatch: pytest.MonkeyPatch, name: str,
                      upload: Callable[[], object], failures: list[BaseException]
                      ) -> threading.Thread:
    """The first call of ``OnlineCounter.<name>`` (made with the member locked) starts
    ``upload`` and goes on once it waits on a lock."""
    real = getattr(OnlineCounter, name)

    def run() -> None:
        try:
            upload()
        except BaseException as exc:
            failures.append(exc)

    uploader = threading.Thread(target=run)

    def meanwhile(self: OnlineCounter, *args: Any) -> Any:
        if not uploader.is_alive() and uploader.ident is None:
            uploader.start()
            deadline = time.monotonic() + 10
            while not _someone_waits_on_a_lock(ledger) and time.monotonic() < deadline:
                time.sleep(0.05)
        return real(self, *args)

    monkeypatch.setattr(OnlineCounter, name, meanwhile)
    return uploader


def _first_line(failures: list[BaseException]) -> list[str]:
    return [f"{type(e).__name__}: {str(e).splitlines()[0]}" for e in failures]


def test_a_shop_order_and_a_kiosk_upload_for_one_member_both_go_through(
        ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[sale(member, 1, 100)]))
    failures: list[BaseException] = []
    uploader = _upload_meanwhile(
        ledger, monkeypatch, "_state",
        lambda: ledger.upload(KIOSK, UploadRequest(entries=[sale(member, 2, 5)])), failures)
    earned = 0
    try:
        earned = OnlineCounter(ledger).order(SHOP, member.id, 1000, "W-1").points
    except BaseException as exc:
        failures.append(exc)
    uploader.join(30)
    assert failures == [], _first_line(failures)
    assert earned > 0
    assert ledger.balance(member.id) == 100 + 5 + earned


def test_a_transfer_and_a_kiosk_upload_for_its_giver_both_go_through(
        ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    giver, receiver = members(2)
    ledger.upload(KIOSK, UploadRequest(members=[giver, receiver],
                                       entries=[sale(giver, 1, 100)]))
    failures: list[BaseException] = []
    uploader = _upload_meanwhile(
        ledger, monkeypatch, "available_points",
        lambda: ledger.upload(KIOSK, UploadRequest(entries=[sale(giver, 2, 5)])), failures)
    try:
        Transfers(OnlineCounter(ledger)).transfer(SHOP, TransferRequest(
            id=uuid.uuid4(), from_member=giver.id, to_member=receiver.id, points=30))
    except BaseException as exc:
        failures.append(exc)
    uploader.join(30)
    assert failures == [], _first_line(failures)
    assert (ledger.balance(giver.id), ledger.balance(receiver.id)) == (100 + 5 - 30, 30)

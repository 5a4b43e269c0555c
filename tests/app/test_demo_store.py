"""The demo's embedded ledger judges the demo kiosk's store-limited promotions with the
demo's store: kept when it pairs, and set again at start for a demo folder paired before
ledgers kept a kiosk's store (its flagship offer would otherwise be refused at upload)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from kiosk.app.runtime import DEMO_DEVICE, DEMO_STORE, counter_session
from sync.server import models as m
from tests.helpers.program import PLAIN_PROGRAM


def stored_store(running) -> str | None:  # type: ignore[no-untyped-def]
    ledger = running.embedded.ledger
    with ledger.engine.connect() as conn:
        return ledger.devices.store_of(conn, DEMO_DEVICE)


def test_the_demo_kiosk_stands_in_the_demos_store(tmp_path: Path) -> None:
    folder = tmp_path / "kiosk"
    with counter_session(folder, demo=True, program_path=PLAIN_PROGRAM,
                         background_sync=False) as running:
        assert stored_store(running) == DEMO_STORE  # named when it paired
        with running.embedded.ledger.engine.begin() as conn:  # as a ledger made before
            conn.execute(update(m.Device).values(store_name=None))
    with counter_session(folder, demo=True, program_path=PLAIN_PROGRAM,
                         background_sync=False) as running:
        assert stored_store(running) == DEMO_STORE

"""A running counter: the kiosk, its background sync, online redemption and, in demo mode,
the embedded ledger on loopback. Both the text counter (:mod:`kiosk.app.text_counter`) and
the Qt app (:mod:`kiosk.app.qt`) open it here; the Qt app runs the sync loop on its own
QThread instead of the plain thread used here."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.app.bootstrap import bootstrap, is_initialised
from kiosk.app.demo import seed_demo
from kiosk.app.ledger_link import attach_ledger, ledger_client_for
from kiosk.folder_lock import sole_counter
from kiosk.program import load_program
from kiosk.services import Kiosk
from sync.agent import SyncAgent
from sync.authoriser import LedgerAuthoriser
from sync.pairing import LEDGER_URL, move_ledger, pair_kiosk

if TYPE_CHECKING:
    from sync.embedded import EmbeddedLedger

DEMO_DEVICE = "demo-kiosk"
DEMO_STORE = "Counterpoint Demo 示範店"


@dataclass
class RunningCounter:
    """A kiosk as it runs: the kiosk, its sync agent, its folder and the demo's embedded
    ledger, if any."""

    kiosk: Kiosk
    agent: SyncAgent | None
    data_dir: Path
    embedded: EmbeddedLedger | None = None

    def move_ledger(self, url: str) -> str:
        """Save the ledger's new address (checked first: :func:`sync.pairing.move_ledger`)
        and point the running sync and online-redemption clients at it."""
        address = move_ledger(self.kiosk, url)
        agents = [self.agent]
        if isinstance(self.kiosk.authoriser, LedgerAuthoriser):
            agents.append(self.kiosk.authoriser.agent)
        for agent in agents:
            if agent is not None:
                agent.client.base_url = address
        return address

    def status(self) -> str:
        if self.agent is None:
            return "Not paired with a ledger."
        s = self.agent.status
        state = {True: "online", False: "offline", None: "connecting"}[s.online]
        last = s.last_success.isoformat(timespec="seconds") if s.last_success else "never"
        return (f"Ledger {state}; {s.pending_uploads} waiting to upload; last sync {last}"
                + (f"; last error: {s.last_error}" if s.last_error else ""))


def _demo_kiosk(data_dir: Path, embedded: EmbeddedLedger) -> Kiosk:
    if is_initialised(data_dir):
        kiosk = bootstrap(data_dir)
        with kiosk.store.write() as tx:  # the embedded ledger may have had to move port
            tx.settings.set(LEDGER_URL, embedded.url)
        if embedded.ledger is not None:  # paired before ledgers kept a kiosk's store
            embedded.ledger.set_store(kiosk.channel, kiosk.device.store_name)
        return kiosk
    assert embedded.ledger is not None
    _, token = embedded.ledger.add_device(DEMO_DEVICE)
    kiosk = pair_kiosk(data_dir, ledger_url=embedded.url, token=token, store_name=DEMO_STORE)
    seed_demo(kiosk, data_dir / "cards")
    return kiosk


@contextmanager
def counter_session(data_dir: Path, *, demo: bool, program_path: Path,
                    background_sync: bool = True) -> Iterator[RunningCounter]:
    """Open the kiosk with everything it runs beside; stops all of it on the way out.
    The counter holds its data folder while it runs: a second one on the same folder is
    refused (:class:`kiosk.folder_lock.CounterRunning`) before it opens anything.

    With ``background_sync=False`` the caller runs ``counter.agent`` itself."""
    with sole_counter(data_dir), _session(data_dir, demo=demo, program_path=program_path,
                                          background_sync=background_sync) as counter:
        yield counter


@contextmanager
def _session(data_dir: Path, *, demo: bool, program_path: Path,
             background_sync: bool) -> Iterator[RunningCounter]:
    embedded: EmbeddedLedger | None = None
    if demo:  # FastAPI and uvicorn are imported only when the ledger is embedded
        from sync.embedded import EmbeddedLedger

        embedded = EmbeddedLedger(data_dir / "ledger", load_program(program_path))
    stop = threading.Event()
    syncing: threading.Thread | None = None
    kiosk: Kiosk | None = None
    try:
        if embedded is not None:
            embedded.start()
            kiosk = _demo_kiosk(data_dir, embedded)
        else:
            kiosk = bootstrap(data_dir)
        counter = RunningCounter(kiosk, attach_ledger(kiosk), data_dir, embedded)
        client = ledger_client_for(kiosk)
        if client is not None:
            background = SyncAgent(kiosk, client)
            counter.agent = background
        if client is not None and background_sync:
            syncing = threading.Thread(target=background.run_forever, args=(stop, 2.0),
                                       name="sync-agent", daemon=True)
            syncing.start()
        yield counter
    finally:
        stop.set()
        if syncing is not None:
            background.wake()
            syncing.join(timeout=30)
        if kiosk is not None:
            kiosk.store.close()
        if embedded is not None:
            embedded.stop()

"""The background sync loop outlives whatever goes wrong in a round: it says so in the
status and the log, waits, tries again, and catches up. (A full disk: tests/test_full_disk.)"""

from __future__ import annotations

import logging
import threading

from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from sync.agent import SyncAgent
from sync.client import LedgerClient
from sync.protocol import DeviceState
from sync.status import SyncStatus
from tests.helpers.ledger_process import paired


class BuggyStateClient(LedgerClient):
    """The real client, except that reading the ledger's state fails twice the way a bug
    in the round would."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__(url, token, timeout=(2.0, 10.0))
        self.bugs = 2

    def state(self) -> DeviceState:
        if self.bugs:
            self.bugs -= 1
            raise RuntimeError("a bug in the round")
        return super().state()


def test_a_bug_in_a_sync_round_is_logged_reported_and_retried(sqlite_ledger, tmp_path,
                                                             caplog):
    till = paired(sqlite_ledger, tmp_path, "till-1")
    member = enrol(till.kiosk, Enrolment("Retried", "0912000666", consent=True)).member.id
    ring_up_sale(till.kiosk, Sale(member, 3000, "R-1"))
    agent = SyncAgent(till.kiosk, BuggyStateClient(till.url, till.token))
    errors: list[str] = []
    caught_up = threading.Event()

    def seen(status: SyncStatus) -> None:
        if status.last_error:
            errors.append(status.last_error)
        elif status.online and status.pending_uploads == 0:
            caught_up.set()

    agent.on_status = seen
    stop = threading.Event()
    loop = threading.Thread(target=agent.run_forever, args=(stop, 0.05, 0.5))
    with caplog.at_level(logging.WARNING, logger="sync.agent"):
        loop.start()
        try:
            assert caught_up.wait(30), errors[-1:]
        finally:
            stop.set()
            agent.wake()
            loop.join(30)
    assert not loop.is_alive()
    assert errors and errors[0] == "unexpected error: RuntimeError: a bug in the round"
    logged = [r for r in caplog.records if r.name == "sync.agent"]
    assert len(logged) == 2 and all(r.levelno == logging.ERROR and r.exc_info
                                    and r.exc_info[0] is RuntimeError for r in logged)
    assert agent.status.last_error is None and agent.status.online
    ledger = LedgerClient(till.url, till.token)
    try:
        assert ledger.balance(member) == 80  # the sign-up bonus and the sale, uploaded
    finally:
        ledger.close()

"""The ledger's state holds something this kiosk can't read: the program in force
published by a newer ledger, with a field this kiosk doesn't know (an announced one was
already left out, ledger_state._kept), or a card-signing certificate that doesn't parse.
Both failed the whole round before its upload, every round: the counter's sales never
reached the ledger ("no poison pill"; found at review 28a). Now the kiosk keeps the version
it has in force (and the certificates it can read), says why in the sync status, and
uploads and pulls."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.services import Enrolment, enrol
from sync.agent import SyncAgent
from sync.client import LedgerClient
from sync.protocol import DeviceState
from tests.helpers.ledger_process import LedgerProcess, paired


class NewerLedger(LedgerClient):
    """The ledger after a version with a field newer than this kiosk took effect, and
    with a certificate this kiosk can't read."""

    def state(self) -> DeviceState:
        state = super().state()
        document = json.loads(state.program)
        document["version"] = "2027.1"
        document["a_section_newer_than_this_kiosk"] = {"points": 1}
        return state.model_copy(update={
            "program_version": "2027.1", "program": json.dumps(document),
            "certificates": [*state.certificates, {"key_id": "K9", "from": "the future"}]})


def test_a_program_this_kiosk_cant_read_does_not_stop_its_uploads(
        sqlite_ledger: LedgerProcess, tmp_path: Path) -> None:
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member
    agent = SyncAgent(k.kiosk, NewerLedger(k.url, k.token))
    report = agent.sync_once()
    assert report.pending_uploads == 0
    assert agent.client.balance(member.id) == 50
    assert k.kiosk.program.version == "2026.2"  # kept in force: it can't read the new one
    problems = agent.status.ledger_state_problems
    assert len(problems) == 2, problems
    assert "2027.1" in problems[0] and "2026.2" in problems[0]
    assert "certificate" in problems[1]
    assert k.kiosk.trust.certificates  # those it can read are kept

"""No poison pill, cancelled cards: a card cancelled at this kiosk (a lost card replaced)
for a member whose record can't go on the wire (a name with a NUL, as an older counter
took it) ended every round after the outbox and before the pull (Uploader.
_upload_revocations built the member's wire unguarded), so this kiosk never again heard
of other channels (found at review 28a). Now that member's cancelled cards wait here, with
a log line, and the others go up and the round goes on."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from kiosk.services import Enrolment, enrol
from kiosk.services.lost_cards import reissue_card
from kiosk.store import STORE_FILE
from tests.helpers.ledger_process import LedgerProcess, paired


def test_a_cancelled_card_of_an_unsendable_member_does_not_stop_the_pull(
        sqlite_ledger: LedgerProcess, tmp_path: Path, caplog: pytest.LogCaptureFixture
        ) -> None:
    a = paired(sqlite_ledger, tmp_path, "till-1")
    b = paired(sqlite_ledger, tmp_path, "till-2")
    other = enrol(b.kiosk, Enrolment("林志明", "0912000111", consent=True)).member
    b.agent().sync_once()  # another store's member and sign-up bonus are on the ledger

    joined = enrol(a.kiosk, Enrolment("Chan Tai Man", "0912000999", consent=True))
    fine = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    db = sqlite3.connect(a.data_dir / STORE_FILE)  # as an older counter took the name
    db.execute("UPDATE members SET name = ? WHERE id = ?",
               ("Chan\x00Tai Man", joined.member.id.bytes))
    db.commit()
    db.close()
    reissue_card(a.kiosk, joined.member.id)  # the card was lost
    reissue_card(a.kiosk, fine.member.id)  # so was this one

    with caplog.at_level(logging.WARNING, logger="sync.late_uploads"):
        a.agent().sync_once()
    with a.kiosk.store.read() as tx:
        assert tx.members.get(other.id) is not None, "the pull never came"
        waiting = tx.trust.unsent_revocations()
    assert [member for _, member, _ in waiting] == [joined.member.id]  # kept for later
    assert fine.card.card_no in a.agent().client.state().revoked_cards  # the other went up
    assert any(joined.card.card_no in r.getMessage() for r in caplog.records)

"""No poison pill, the reason an entry is kept back: the entry's number goes up as
withheld with that reason, and a reason that can't go on the wire (a control character,
as a ledger's refusal echoing what it was sent may carry) made building the request
raise in every round, so nothing after the entry reached the ledger and nothing was
pulled (found at review 28a). Now the number goes up with a plain reason; the kiosk keeps
the words it has."""

from __future__ import annotations

from pathlib import Path

from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from tests.helpers.ledger_process import LedgerProcess, paired


def test_a_kept_back_entry_whose_reason_cannot_go_on_the_wire_does_not_block(
        sqlite_ledger: LedgerProcess, tmp_path: Path) -> None:
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member
    with k.kiosk.store.write() as tx:
        [(_, bonus)] = tx.outbox.batch(10, after=0)
        tx.outbox.quarantine([(bonus.id, "the ledger refused it: \x1b[31mno\x00")],
                             k.kiosk.clock())
    ring_up_sale(k.kiosk, Sale(member.id, 1_000, "S-1"))  # +10, after it
    report = k.agent().sync_once()
    assert report.pending_uploads == 0
    assert k.agent().client.balance(member.id) == 10
    with k.kiosk.store.read() as tx:
        assert dict(tx.outbox.rejections())[bonus.id].endswith("\x1b[31mno\x00")

"""No poison pill, refunds: a refund that can't go on the wire, or that the ledger refuses,
is left here with its reason and nothing after it waits. A refund made while the device's
clock read 3001 (a dead clock battery, after a reboot, before the first sync) is dated
outside the wire's 1970..2999: RefundWire.of raised in the round, unguarded, and every
round after failed on it, so no later sale reached the ledger and nothing was pulled; a
refund the ledger refused (422) ended the round the same way (found at review 28a)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.engine.refunds import Refund, RefundLine
from kiosk.services import Enrolment, Sale, SaleLine, enrol, ring_up_sale
from kiosk.services.refunds import refund_lines
from sync.agent import SyncAgent
from sync.client import LedgerClient, LedgerRefused
from sync.protocol import UploadRequest, UploadResponse
from tests.helpers.ledger import DeviceClock, paired_with, rebooted
from tests.helpers.ledger_process import LedgerProcess, paired

TEA = SaleLine("TEA-OOLONG", 2, 250, "tea")


def test_a_refund_dated_by_a_wrong_clock_does_not_block_the_outbox(
        sqlite_ledger: LedgerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    clock = DeviceClock()
    k = paired_with(sqlite_ledger, tmp_path, clock)
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member
    k.agent().sync_once()
    ahead = datetime(3001, 1, 1, tzinfo=UTC) - datetime.now(UTC)
    k = rebooted(k, clock, monkeypatch, ahead)  # the device's clock now reads 3001
    assert k.kiosk.clock().year == 3001
    ring_up_sale(k.kiosk, Sale(member.id, 500, "WRONG-CLOCK", lines=(TEA,)))
    refund_lines(k.kiosk, "WRONG-CLOCK", [RefundLine(0, 1)])
    k = rebooted(k, clock, monkeypatch, timedelta(0))  # someone set the clock right
    ring_up_sale(k.kiosk, Sale(member.id, 1_000, "RIGHT-CLOCK"))  # +10, sendable
    report = k.agent().sync_once()
    with k.kiosk.store.read() as tx:
        quarantined = dict(tx.outbox.rejections())
        balance = tx.entries.balance(member.id)
    assert report.pending_uploads == 0
    assert k.agent().client.balance(member.id) == balance  # the +10 went up
    assert len(quarantined) == 2  # the wrong-clock sale and its reversal, with the reason
    assert all("can't be sent" in why for why in quarantined.values())


class RefusesRefunds(LedgerClient):
    """A ledger that refuses (422) any request carrying a refund: a rule of a newer
    ledger this kiosk doesn't know."""

    def upload(self, request: UploadRequest) -> UploadResponse:
        if request.refunds and not request.entries and not request.withheld:
            raise LedgerRefused(422, "invalid", "refunds.0.lines: a rule you don't know")
        return super().upload(request)


def test_a_refund_the_ledger_refuses_does_not_stop_the_round(
        sqlite_ledger: LedgerProcess, tmp_path: Path) -> None:
    """A refund that undid no points goes up alone after the orders; refused, it is left
    out (logged) and the round goes on to the pull."""
    a = paired(sqlite_ledger, tmp_path, "till-1")
    b = paired(sqlite_ledger, tmp_path, "till-2")
    other = enrol(b.kiosk, Enrolment("林志明", "0912000111", consent=True)).member
    b.agent().sync_once()
    member = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member
    ring_up_sale(a.kiosk, Sale(member.id, 500, "T-1", lines=(TEA,)))
    a.agent().sync_once()
    with a.kiosk.store.write() as tx:
        tx.refunds.add(Refund(a.kiosk.new_id(), "till-1", "T-1", a.kiosk.clock(),
                              (RefundLine(0, 1),)))
    agent = SyncAgent(a.kiosk, RefusesRefunds(a.url, a.token))
    agent.sync_once()
    agent.sync_once()  # not sent again, round after round
    with a.kiosk.store.read() as tx:
        assert tx.members.get(other.id) is not None, "the pull never came"
        assert tx.refunds.unsent(10) == []

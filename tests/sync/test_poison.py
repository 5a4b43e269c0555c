"""No poison pill: an entry the ledger can't take is quarantined at the kiosk (kept, with
its reason, counted) and its number goes up as withheld, so everything recorded after it
keeps flowing. Before, one such entry stopped this kiosk's sync for good."""

from __future__ import annotations

import uuid
from pathlib import Path

from kiosk.ledger import Entry, EntryKind
from kiosk.services import Enrolment, Sale, enrol, ring_up_sale, verify_store
from sync.agent import SyncAgent
from sync.client import LedgerClient, LedgerRefused
from sync.protocol import UploadRequest, UploadResponse
from tests.helpers.ledger import all_server_entries, poisoned_member
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk, paired
from tests.helpers.program import PLAIN_PROGRAM


def quarantine(k: PairedKiosk) -> dict[uuid.UUID, str]:
    with k.kiosk.store.read() as tx:
        return dict(tx.outbox.rejections())


def test_a_member_the_wire_refuses_is_quarantined_and_later_sales_still_sync(
        sqlite_ledger: LedgerProcess, tmp_path: Path) -> None:
    k = paired(sqlite_ledger, tmp_path, "till-1")
    poisoned = poisoned_member(k.kiosk)
    good = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id
    for i in range(5):
        ring_up_sale(k.kiosk, Sale(good, 1000, f"S-{i}"))
    report = k.agent().sync_once()

    assert report.pending_uploads == 0
    [(held, why)] = quarantine(k).items()
    with k.kiosk.store.read() as tx:
        assert [e.id for e in tx.entries.of_member(poisoned)] == [held]
    assert "member's record can't be sent" in why and "name" in why
    on_ledger = {e.id for e in all_server_entries(k)}
    assert held not in on_ledger and len(on_ledger) == 1 + 5  # good's bonus and sales
    [listed] = sqlite_ledger.cli("rejections")["rejections"]  # type: ignore[misc]
    assert (listed["device_id"], listed["code"], listed["entry_id"]) == (
        "till-1", "withheld_by_device", str(held))
    ring_up_sale(k.kiosk, Sale(good, 1000, "S-after"))  # and the next round is clean
    assert k.agent().sync_once().pending_uploads == 0
    assert verify_store(k.kiosk).ok and sqlite_ledger.check() == []
    k.kiosk.store.close()


class RefusesOne(LedgerClient):
    """A ledger whose rules refuse one entry as a whole request (422), as a newer ledger
    would refuse what an older kiosk doesn't know is wrong: a real client to a real
    ledger, which answers 422 for any request that carries that entry."""

    def __init__(self, url: str, token: str, poison: uuid.UUID) -> None:
        super().__init__(url, token)
        self.poison = poison
        self.refused = 0

    def upload(self, request: UploadRequest) -> UploadResponse:
        if any(e.id == self.poison for e in request.entries):
            self.refused += 1
            raise LedgerRefused(422, "invalid", "entries.0.note: not allowed here")
        return super().upload(request)


def test_an_entry_the_ledger_refuses_whole_requests_for_is_found_and_quarantined(
        sqlite_ledger: LedgerProcess, tmp_path: Path) -> None:
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id
    sales = [ring_up_sale(k.kiosk, Sale(member, 100 + i, f"S-{i}")) for i in range(12)]
    poison = sales[6].entries[0].id
    client = RefusesOne(k.url, k.token, poison)

    report = SyncAgent(k.kiosk, client, batch=5).sync_once()

    assert report.pending_uploads == 0
    assert list(quarantine(k)) == [poison]
    assert "not allowed here" in quarantine(k)[poison]
    on_ledger = {e.id for e in all_server_entries(k)}
    assert on_ledger == {e.id for s in sales for e in s.entries if e.id != poison} | {
        e.id for e in _bonus(k, member)}
    assert client.refused <= 4  # found by halving, not by sending each entry alone
    assert verify_store(k.kiosk).ok and sqlite_ledger.check() == []
    k.kiosk.store.close()


def _bonus(k: PairedKiosk, member: uuid.UUID) -> list[Entry]:
    with k.kiosk.store.read() as tx:
        return [e for e in tx.entries.of_member(member) if e.kind is EntryKind.BONUS]


def test_a_sale_the_ledger_would_refuse_is_refused_at_the_counter(tmp_path: Path) -> None:
    """An EAN-13 scanned into the amount keypad, and an amount no till has: exit 1 with
    the reason, nothing recorded, at once."""
    from tests.helpers.cli import kiosk, kiosk_json

    data = tmp_path / "k"
    kiosk(data, "init", "--store-name", "Test store", "--program", str(PLAIN_PROGRAM))
    card = kiosk_json(data, "member", "enroll", "--name", "A", "--phone", "0912345678",
                      "--consent")["card_payload"]
    for amount in ("4710088412345", "1e999999", "500001"):
        refused = kiosk_json(data, "sale", "--card", card, "--amount", amount, expect=1)
        assert refused["error"]["code"] in ("invalid_input", "invalid_amount"), refused
    assert "500000" in kiosk_json(data, "sale", "--card", card, "--amount", "500001",
                                  expect=1)["error"]["message"]
    assert kiosk_json(data, "balance", "--card", card)["balance"] == 50
    kiosk(data, "staff", "add", "Mei", "--role", "manager", "--pin", "2468")
    assert kiosk_json(data, "sale", "--card", card, "--amount", "500000",
                      "--approved-by", "Mei")["points"] == 5000


def test_a_member_the_ledger_lost_is_sent_again_not_quarantined(
        sqlite_ledger: LedgerProcess, tmp_path: Path) -> None:
    """The kiosk believes the ledger has a member (as after the ledger was restored from
    an older backup) and sends only the member's new card: the ledger says it doesn't
    know the member, and the kiosk sends the member again instead of holding back their
    sales."""
    from sqlalchemy import text

    k = paired(sqlite_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id
    ring_up_sale(k.kiosk, Sale(member, 1000, "S-1"))
    with k.kiosk.store.write() as tx:  # marked as on the ledger, though it never went up
        tx.conn.execute(text("UPDATE members SET on_ledger = 1"))

    report = k.agent().sync_once()

    assert (report.pending_uploads, report.rejected) == (0, 0)
    assert quarantine(k) == {}
    assert len(all_server_entries(k)) == 2 and sqlite_ledger.check() == []
    k.kiosk.store.close()

"""The ledger as tests of several modules see it: everything on it, kiosks brought to
agree, the shop redeeming, a member only an older counter could have made, a clock set
wrong."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.app.bootstrap import bootstrap
from kiosk.ids import new_id
from kiosk.ledger import Entry, EntryKind
from kiosk.members import Member
from kiosk.services import Kiosk, context, verify_store
from sync.client import LedgerClient
from sync.pairing import pair_kiosk
from sync.protocol import EntryWire
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk


def all_server_entries(k: PairedKiosk) -> list:
    client = k.agent().client
    out, after = [], 0
    while True:
        page = client.pull(after, 5000)
        out += page.entries
        after = page.next_after
        if not page.more:
            return out


def converge(ledger: LedgerProcess, kiosks: list[PairedKiosk]) -> None:
    for _ in range(2):  # second round brings everyone the others' uploads
        for k in kiosks:
            k.agent().sync_once()
    assert ledger.check() == []
    server = all_server_entries(kiosks[0])
    ids = [e.id for e in server]
    assert len(ids) == len(set(ids)), "an entry is on the ledger twice"
    assert [e.seq for e in server] == list(range(1, len(server) + 1)), "seq has gaps"
    local_ids: set = set()
    for k in kiosks:
        with k.kiosk.store.read() as tx:
            assert tx.outbox.size() == 0
            members = tx.members.ids()
            local_ids |= {e.id for m in members for e in tx.entries.of_member(m)}
            for m in members:
                entries = tx.entries.of_member(m)
                assert tx.entries.balance(m) == sum(e.points for e in entries)
                assert tx.entries.balance(m) == k.agent().client.balance(m), f"{m} differs"
        assert verify_store(k.kiosk).ok
    assert local_ids == set(ids), "an entry was lost on the way"


REWARD_COSTING = {60: "coffee", 100: "nt100-off", 250: "pct10-off", 500: "tote"}


def shop_redeem(shop: LedgerClient, member, points: int) -> None:
    """The shop redeems the reward of the default program that costs ``points``."""
    entry = EntryWire(id=new_id(), member_id=member, kind=EntryKind.REDEEM, points=-points,
                      channel="web", occurred_at=datetime.now(UTC), program_version="2026.2",
                      reward_id=REWARD_COSTING[points])
    shop.reserve(entry)
    shop.confirm(entry.id)


def poisoned_member(kiosk: Kiosk) -> uuid.UUID:
    """A member whose name holds a NUL, and their sign-up bonus, as an older counter
    accepted them (enrolment refuses such a name now)."""
    member = Member(kiosk.new_id(), "Chan\x00Tai Man", "0912000999", kiosk.clock(),
                    kiosk.channel, consent=True)
    with kiosk.store.write() as tx:
        tx.members.add(member)
        tx.entries.append([Entry(kiosk.new_id(), member.id, EntryKind.BONUS, 50, kiosk.channel,
                         kiosk.clock(), kiosk.program.version, note="signup")])
    return member.id


@dataclass
class DeviceClock:
    """A real clock that someone set wrong (``off``), as a device's battery-backed clock
    is after a reset."""

    off: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.off


def paired_with(ledger: LedgerProcess, folder: Path, clock: DeviceClock) -> PairedKiosk:
    """A kiosk (till-1) paired with ``ledger`` that tells the time by ``clock``."""
    token = ledger.add_device("till-1")
    kiosk = pair_kiosk(folder / "till-1", ledger_url=ledger.url, token=token,
                       store_name="Store 1", clock=clock)
    return PairedKiosk(kiosk, token, ledger.url, folder / "till-1")


def rebooted(k: PairedKiosk, clock: DeviceClock, monkeypatch: pytest.MonkeyPatch,
             off: timedelta) -> PairedKiosk:
    """The kiosk's machine restarted (a new boot, one per ``off``), its clock now ``off``:
    until it syncs, the kiosk has only that clock to date entries by (``LedgerClock``)."""
    k.kiosk.store.close()
    monkeypatch.setattr(context, "_boot_id", lambda: f"boot {off}")
    clock.off = off
    return PairedKiosk(bootstrap(k.data_dir, clock=clock), k.token, k.url, k.data_dir)

"""What every service needs, built once by :func:`kiosk.bootstrap.bootstrap`: the store, the
cached program and trust store, this device's identity, a clock and an id factory."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from kiosk.cards import DeviceCertificate, DeviceKey, TrustStore
from kiosk.ids import IdFactory
from kiosk.program import Program, parse_program
from kiosk.services.errors import NotInitialised
from kiosk.store import LocalStore, Transaction
from kiosk.store.repository import DeviceRecord

if TYPE_CHECKING:
    from kiosk.services.redemption import Authoriser

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


CLOCK_OFFSET = "clock_offset_us"  # setting: the ledger's clock minus this device's


class LedgerClock:
    """The time a kiosk dates its entries with: the device's clock corrected by how far
    it was off the ledger's at the last sync (kept across restarts).

    A counter whose clock was set two years ahead or behind dated its sales there, which
    steered tiers, daily limits and the ledger's checks everywhere. Once it has synced,
    its entries carry the ledger's time whatever its own clock says; the sync status
    still shows the skew, so someone sets the clock right."""

    def __init__(self, device: Clock = utc_now, offset: timedelta = timedelta(0)) -> None:
        self.device = device
        self.offset = offset

    def __call__(self) -> datetime:
        return self.device() + self.offset


@dataclass
class Kiosk:
    store: LocalStore
    device: DeviceRecord
    key: DeviceKey
    certificate: DeviceCertificate
    program: Program
    trust: TrustStore
    clock: LedgerClock
    new_id: IdFactory
    authoriser: Authoriser | None = None  # set when paired with a ledger

    @property
    def channel(self) -> str:
        return self.device.channel

    def reload(self) -> None:
        """Re-read what sync may change underneath: the program and the trust store."""
        with self.store.read() as tx:
            self.program, self.trust = load_program_and_trust(tx)

    @classmethod
    def open(cls, store: LocalStore, clock: Clock, new_id: IdFactory) -> Kiosk:
        with store.read() as tx:
            device = tx.device()
            if device is None:
                raise NotInitialised("this kiosk is not set up yet: run `kiosk init` first")
            program, trust = load_program_and_trust(tx)
            offset = timedelta(microseconds=int(tx.setting(CLOCK_OFFSET) or 0))
        certificate = DeviceCertificate.from_dict(json.loads(device.certificate))
        return cls(store, device, DeviceKey.from_bytes(device.signing_key), certificate,
                   program, trust, LedgerClock(clock, offset), new_id)


def load_program_and_trust(tx: Transaction) -> tuple[Program, TrustStore]:
    device = tx.device()
    document = tx.program_document()
    if device is None or document is None:
        raise NotInitialised("this kiosk is not set up yet: run `kiosk init` first")
    certificates = [(DeviceCertificate.from_dict(json.loads(doc)), revoked)
                    for doc, revoked in tx.certificates()]
    trust = TrustStore(
        root_public_key=device.root_public_key,
        certificates={c.key_id: c for c, _ in certificates},
        revoked_cards=tx.revoked_cards(),
        revoked_keys=frozenset(c.key_id for c, revoked in certificates if revoked),
    )
    return parse_program(document, format="json"), trust

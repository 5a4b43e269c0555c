"""The central ledger's operations, one transaction each, over PostgreSQL or SQLite: the
one object the HTTP layer, the CLI and the tests hold, made of parts split by concern.

* ``devices.py``: devices, their tokens and pairing, revocations, a kiosk's cached state;
* ``programs.py``: the published program versions;
* ``ingest.py``: the upload path (audit, numbering, answers, acknowledgement marks);
* ``reading.py``: the pull, balances and the invariant check;
* ``orders.py``: the orders devices upload with their entries, read back one at a time;
* ``expiry.py``: the expiry run, lot by lot.

Each method here hands its call to the part that does it, once per call (never per entry).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine

from kiosk.cards import DeviceCertificate
from kiosk.program import Program
from kiosk.services.context import Clock
from sync.protocol import (
    DeviceState,
    EntryResult,
    EntryWire,
    OrderWire,
    PullResponse,
    UploadRequest,
    UploadResponse,
)
from sync.server.calls import Caller, LedgerRefusal
from sync.server.coupons import Coupons
from sync.server.devices import (
    DEVICE_KINDS,
    FIRST_CARD_PREFIX,
    TOKEN_PREFIX,
    Devices,
    hash_token,
)
from sync.server.expiry import Expiry, ExpiryReport
from sync.server.ingest import Ingest
from sync.server.orders import Orders
from sync.server.programs import Programs, Published
from sync.server.reading import Reading

__all__ = ["DEVICE_KINDS", "FIRST_CARD_PREFIX", "TOKEN_PREFIX", "Caller", "Ledger",
           "LedgerRefusal", "hash_token"]


class Ledger:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self.programs = Programs(engine, clock)
        self.devices = Devices(engine, clock, self.programs)
        self.ingest = Ingest(engine, clock, self.programs)
        self.reading = Reading(engine)
        self.orders = Orders(engine)
        self.expiry = Expiry(engine, clock, self.programs, self.ingest)
        self.coupons = Coupons(engine, clock, lambda conn: self.current_program(conn).zone)

    # -- set-up and program versions -------------------------------------------------------
    def initialise(self, program: Program, *, first_only: bool = False) -> bool:
        """Create the root and shop-issuer keys and publish ``program`` once; idempotent.
        ``first_only``: publish it only on a ledger with no program yet (the shipped
        default: a newer default in an upgraded kiosk package must not replace a store's
        own program when someone runs ``kiosk ledger check``). Says whether it published."""
        with self.engine.begin() as conn:
            self.devices.create_keys(conn)
            if first_only and self.programs.any_published(conn):
                return False
            self.programs.publish(conn, program)
            return True

    def publish_program(self, program: Program) -> Published:
        """Publish a version, to take effect at its ``effective_from`` (or now);
        ProgramError if that has passed."""
        with self.engine.begin() as conn:
            return self.programs.publish(conn, program)

    def program_versions(self) -> list[Published]:
        """Every version published, in the order they take effect."""
        return self.programs.versions()

    def program(self, version: str, conn: Connection | None = None) -> Program | None:
        """A published version of the program (every one is kept), or None."""
        return self.programs.program(version, conn)

    def current_program(self, conn: Connection | None = None) -> Program:
        """The version in force now (``programs.py``)."""
        return self.programs.current_program(conn)

    # -- devices ----------------------------------------------------------------------------
    def add_device(self, device_id: str, kind: str = "kiosk", store: str | None = None
                   ) -> tuple[str, str]:
        """Register a device (a kiosk: in ``store``); returns its id and a token shown
        this once."""
        return self.devices.add_device(device_id, kind, store)

    def set_store(self, device_id: str, store: str) -> None:
        """The store a kiosk stands in: its store-limited promotions are judged with it."""
        self.devices.set_store(device_id, store)

    def authenticate(self, token: str) -> Caller | None:
        return self.devices.authenticate(token)

    def revoke_device(self, device_id: str) -> None:
        self.devices.revoke_device(device_id)

    def pair(self, caller: Caller, public_key: bytes, store_name: str | None = None
             ) -> DeviceCertificate:
        """Certify a kiosk's card-signing key for its prefix, once (and keep its store, if
        the ledger has none for it)."""
        return self.devices.pair(caller, public_key, store_name)

    def revoke_card(self, card_no: str) -> None:
        self.devices.revoke_card(card_no)

    def state(self, *, announced: bool = False) -> DeviceState:
        return self.devices.state(announced=announced)

    # -- upload -----------------------------------------------------------------------------
    def upload(self, caller: Caller, request: UploadRequest) -> UploadResponse:
        return self.ingest.upload(caller, request)

    def append(self, conn: Connection, caller: Caller, entries: Sequence[EntryWire], *,
               receipts: bool = False) -> list[EntryResult]:
        """Append entries in the caller's transaction: one answer per entry, in order."""
        return self.ingest.append(conn, caller, entries, receipts=receipts)

    def expire(self, at: datetime | None = None) -> ExpiryReport:
        """Record the expiry of every lot due by ``at`` (default now): ``expiry.py``."""
        return self.expiry.run(at)

    # -- download ---------------------------------------------------------------------------
    def order(self, caller: Caller, channel: str, order_ref: str) -> OrderWire:
        """An order as its channel recorded it; 404 for another device's."""
        return self.orders.get(caller, channel, order_ref)

    def pull(self, after: int, limit: int, *, skip_device: str | None = None) -> PullResponse:
        return self.reading.pull(after, limit, skip_device=skip_device)

    def balance(self, member_id: uuid.UUID) -> int:
        return self.reading.balance(member_id)

    def check(self) -> list[str]:
        """The server-side invariants: seq gap-free, balances equal sums of entries."""
        return self.reading.check()

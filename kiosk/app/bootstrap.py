"""The kiosk's composition root: where the data directory, the store, the clock and the id
factory are chosen (pairing with a ledger: :mod:`sync.pairing`). Nothing is opened at
import time."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import platformdirs

from kiosk.cards import DeviceKey, certify_device
from kiosk.cards.card_numbers import check_prefix
from kiosk.ids import IdFactory, new_id
from kiosk.program import Program, program_json
from kiosk.records import DeviceRecord
from kiosk.services.context import Clock, Kiosk, utc_now
from kiosk.services.errors import AlreadyInitialised, InvalidInput, check_text
from kiosk.services.ports import Store
from kiosk.store import STORE_FILE, open_store

STANDALONE_CARD_PREFIX = "1000"
MAX_STORE_NAME = 200  # the wire's store (sync/protocol.py): a pairing sends it
MAX_DEVICE_ID = 64  # every entry's channel: the wire's Text64, a receipt's order QR's


def resolve_data_dir(explicit: str | Path | None) -> Path:
    """``--data-dir``, else ``KIOSK_HOME``, else the platform's per-user data folder."""
    chosen = explicit or os.environ.get("KIOSK_HOME")
    if chosen:
        return Path(chosen).expanduser().resolve()
    return platformdirs.user_data_path("counterpoint", appauthor=False)


def bootstrap(data_dir: Path, *, clock: Clock = utc_now, ids: IdFactory = new_id) -> Kiosk:
    """Open an initialised kiosk (migrating its store first)."""
    return Kiosk.open(open_store(data_dir / STORE_FILE), clock, ids)


def is_initialised(data_dir: Path) -> bool:
    if not (data_dir / STORE_FILE).exists():
        return False
    store = open_store(data_dir / STORE_FILE)
    try:
        with store.read() as tx:
            return tx.devices.get() is not None
    finally:
        store.close()


def check_setup_names(store_name: str, device_id: str | None) -> None:
    """Refuse a store name or device id the rest of the counter would refuse
    (InvalidInput naming which), before anything is made. The store name heads every
    receipt, which goes raw to the ESC/POS printer (ESC i cuts the paper), and a pairing
    sends it: 1 to 200 characters of one line, no control characters. The device id is
    every entry's channel and on every receipt's order QR: 1 to 64 printable characters."""
    if not store_name.strip() or len(store_name) > MAX_STORE_NAME:
        raise InvalidInput(f"a store name is 1 to {MAX_STORE_NAME} characters")
    check_text("store name", store_name)
    if device_id is None:
        return  # one is made
    if not 0 < len(device_id) <= MAX_DEVICE_ID:
        raise InvalidInput(f"a device id is 1 to {MAX_DEVICE_ID} characters")
    check_text("device id", device_id)
    if not device_id.isprintable():
        raise InvalidInput("a device id is printable characters only (it is on every "
                           "receipt's order QR)")


def initialise_standalone(data_dir: Path, *, store_name: str, program: Program,
                          device_id: str | None = None,
                          card_prefix: str = STANDALONE_CARD_PREFIX,
                          clock: Clock = utc_now, ids: IdFactory = new_id) -> Kiosk:
    """Set up a kiosk that is its own card authority until it is paired with a ledger.

    A fresh root key certifies this kiosk's card-signing key and is then thrown away, so
    nobody, this kiosk included, can certify another key under it later. A card prefix
    that is no prefix is a ValueError, a store name or device id the counter refuses an
    InvalidInput (:func:`check_setup_names`), before the store is made.
    """
    check_setup_names(store_name, device_id)
    check_prefix(card_prefix)
    return standalone_kiosk(open_store(data_dir / STORE_FILE), store_name=store_name,
                            program=program, device_id=device_id, card_prefix=card_prefix,
                            clock=clock, ids=ids, where=data_dir)


def standalone_kiosk(store: Store, *, store_name: str, program: Program,
                     device_id: str | None = None, card_prefix: str = STANDALONE_CARD_PREFIX,
                     clock: Clock = utc_now, ids: IdFactory = new_id,
                     where: object = "this store") -> Kiosk:
    """:func:`initialise_standalone` on any store (the tests' in-memory one too)."""
    now = clock()
    root, key = DeviceKey.generate(), DeviceKey.generate()
    device_id = device_id or f"kiosk-{secrets.token_hex(4)}"
    cert = certify_device(root, key.public_bytes(), device_id=device_id,
                          card_prefix=card_prefix, issued_at=now)
    with store.write() as tx:
        if tx.devices.get() is not None:
            raise AlreadyInitialised(f"{where} already holds a kiosk; "
                                     "choose another --data-dir")
        tx.devices.create(DeviceRecord(device_id, device_id, store_name, key.to_bytes(),
                                      json.dumps(cert.to_dict()), root.public_bytes()), now)
        tx.trust.add_certificate(cert.key_id, json.dumps(cert.to_dict()))
        tx.settings.install_program(program.version, program_json(program), now)
    return Kiosk.open(store, clock, ids)

"""Pairing a kiosk with the central ledger: the kiosk makes its own card-signing key, the
ledger certifies it for this kiosk's card-number prefix and sends the program and trust
store. The private key never leaves the kiosk."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.cards import DeviceCertificate, DeviceKey, key_to_text
from kiosk.ids import IdFactory, new_id
from kiosk.records import DeviceRecord
from kiosk.services.context import Clock, Kiosk, LedgerClock, utc_now
from kiosk.services.errors import AlreadyInitialised, InputProblem, InvalidInput
from kiosk.store import STORE_FILE, open_store
from sync.authoriser import ONLINE_TIMEOUT
from sync.client import LedgerClient
from sync.errors import NotPaired as NotPaired  # where callers catch them
from sync.errors import OtherLedger
from sync.ledger_state import apply_state, read_state, root_key

LEDGER_URL = "ledger_url"
DEVICE_TOKEN = "device_token"


def pair_kiosk(data_dir: Path, *, ledger_url: str, token: str, store_name: str,
               clock: Clock = utc_now, ids: IdFactory = new_id) -> Kiosk:
    store = open_store(data_dir / STORE_FILE)
    with store.read() as tx:
        if tx.devices.get() is not None:
            raise AlreadyInitialised(f"{data_dir} already holds a kiosk; "
                                     "choose another --data-dir")
    client = LedgerClient(ledger_url, token)
    try:
        key = DeviceKey.generate()
        paired = client.pair(key_to_text(key.public_bytes()), store_name)
        state, skew = read_state(client, clock)
    finally:
        client.close()
    cert = DeviceCertificate.from_dict(paired.certificate)
    ledger_clock = LedgerClock(clock)  # dated by the ledger's clock from the start
    kept = ledger_clock.correct(skew) if skew is not None else None
    now = ledger_clock()
    with store.write() as tx:
        tx.devices.create(DeviceRecord(paired.device_id, paired.device_id, store_name,
                                      key.to_bytes(), json.dumps(cert.to_dict()),
                                      root_key(state)), now)
        apply_state(tx, state, now, kept)
        tx.settings.set(LEDGER_URL, ledger_url)
        tx.settings.set(DEVICE_TOKEN, token)
    return Kiosk.open(store, clock, ids)


def ledger_address(url: str) -> str:
    """``url`` as a ledger's address (http or https, a host); InvalidInput otherwise, so a
    typo is said as one rather than as a ledger that can't be reached."""
    address = url.strip().rstrip("/")
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"a ledger address looks like https://ledger.example.com:8470, "
                           f"not {url.strip()!r}", InputProblem.LEDGER_ADDRESS)
    return address


def move_ledger(kiosk: Kiosk, url: str, timeout: tuple[float, float] = ONLINE_TIMEOUT) -> str:
    """Point a paired kiosk at its ledger's new address (the ledger moved to another host
    or port); returns the address as saved. It is saved only once the ledger there has
    accepted this kiosk's token and shown the root key the kiosk was paired under, so a
    typo, or a different ledger, can't cut the kiosk off or hand it another program."""
    address = ledger_address(url)
    with kiosk.store.read() as tx:
        token, device = tx.settings.get(DEVICE_TOKEN), tx.devices.get()
    if not token or device is None:
        raise NotPaired("this kiosk is not paired with a ledger (kiosk init --ledger-url)")
    probe = LedgerClient(address, token, timeout=timeout)
    try:
        state = probe.state()  # refused (401) if that ledger does not know this kiosk
    finally:
        probe.close()
    if root_key(state) != device.root_public_key:
        raise OtherLedger(f"the ledger at {address} is not the one this kiosk is paired "
                          "with (its root key differs); nothing was changed")
    with kiosk.store.write() as tx:
        tx.settings.set(LEDGER_URL, address)
    return address

"""Pairing a kiosk with the central ledger: the kiosk makes its own card-signing key, the
ledger certifies it for this kiosk's card-number prefix and sends the program and trust
store. The private key never leaves the kiosk."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.cards import DeviceCertificate, DeviceKey, key_to_text
from kiosk.ids import IdFactory, new_id
from kiosk.records import DeviceRecord
from kiosk.services.context import Clock, DamagedSetting, Kiosk, LedgerClock, utc_now
from kiosk.services.errors import AlreadyInitialised, InputProblem, InvalidInput
from kiosk.services.ports import Store, UnitOfWork
from kiosk.store import STORE_FILE, open_store
from sync.authoriser import ONLINE_TIMEOUT
from sync.client import LedgerClient
from sync.errors import NotPaired as NotPaired  # where callers catch them
from sync.errors import OtherLedger
from sync.ledger_state import apply_state, read_state, root_key

LEDGER_URL = "ledger_url"
DEVICE_TOKEN = "device_token"
PAIRING_KEY = "pairing_key"  # setting: the key sent to be certified, until pairing is done


def pair_kiosk(data_dir: Path, *, ledger_url: str, token: str, store_name: str,
               clock: Clock = utc_now, ids: IdFactory = new_id) -> Kiosk:
    """Pair the kiosk in ``data_dir``; safe to run again after it was cut off. The key is
    kept before the ledger is asked to certify it, and sent again by a retry with the
    same token (the ledger answers the same certificate for the same key, and refuses
    another key for a paired device: a key lost after it was certified burnt the token)."""
    store = open_store(data_dir / STORE_FILE)
    try:
        return _pair(store, data_dir, ledger_url, token, store_name, clock, ids)
    except BaseException:
        store.close()
        raise


def _pair(store: Store, data_dir: Path, ledger_url: str, token: str, store_name: str,
          clock: Clock, ids: IdFactory) -> Kiosk:
    with store.write() as tx:
        if tx.devices.get() is not None:
            raise AlreadyInitialised(f"{data_dir} already holds a kiosk; "
                                     "choose another --data-dir")
        key = _key_for(tx, token)
    client = LedgerClient(ledger_url, token)
    try:
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
        tx.settings.set(PAIRING_KEY, "")  # the device row holds it now
    return Kiosk.open(store, clock, ids)


def _key_for(tx: UnitOfWork, token: str) -> DeviceKey:
    """The key an earlier try with ``token`` sent, or a new one kept for the next try
    (another token is another device: two devices never share a key)."""
    device = hashlib.sha256(token.encode()).hexdigest()
    kept_for, _, kept_key = (tx.settings.get(PAIRING_KEY) or "").partition(":")
    if kept_for == device and kept_key:
        try:
            return DeviceKey.from_bytes(bytes.fromhex(kept_key))
        except ValueError as exc:
            raise DamagedSetting(PAIRING_KEY, exc) from None
    key = DeviceKey.generate()
    tx.settings.set(PAIRING_KEY, f"{device}:{key.to_bytes().hex()}")
    return key


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

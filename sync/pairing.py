"""Pairing a kiosk with the central ledger: the kiosk makes its own card-signing key, the
ledger certifies it for this kiosk's card-number prefix and sends the program and trust
store. The private key never leaves the kiosk."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.bootstrap import STORE_FILE, AlreadyInitialised
from kiosk.cards import DeviceCertificate, DeviceKey, key_to_text
from kiosk.ids import IdFactory, new_id
from kiosk.services.context import Clock, Kiosk, utc_now
from kiosk.store import open_store
from kiosk.store.repository import DeviceRecord
from sync.agent import SyncAgent, apply_state, root_key
from sync.authoriser import ONLINE_TIMEOUT, LedgerAuthoriser
from sync.client import TIMEOUT, LedgerClient

LEDGER_URL = "ledger_url"
DEVICE_TOKEN = "device_token"


def pair_kiosk(data_dir: Path, *, ledger_url: str, token: str, store_name: str,
               clock: Clock = utc_now, ids: IdFactory = new_id) -> Kiosk:
    store = open_store(data_dir / STORE_FILE)
    with store.read() as tx:
        if tx.device() is not None:
            raise AlreadyInitialised(f"{data_dir} already holds a kiosk; "
                                     "choose another --data-dir")
    client = LedgerClient(ledger_url, token)
    try:
        key = DeviceKey.generate()
        paired = client.pair(key_to_text(key.public_bytes()))
        state = client.state()
    finally:
        client.close()
    cert = DeviceCertificate.from_dict(paired.certificate)
    now = clock()
    with store.write() as tx:
        tx.create_device(DeviceRecord(paired.device_id, paired.device_id, store_name,
                                      key.to_bytes(), json.dumps(cert.to_dict()),
                                      root_key(state)), now)
        apply_state(tx, state, now)
        tx.set_setting(LEDGER_URL, ledger_url)
        tx.set_setting(DEVICE_TOKEN, token)
    return Kiosk.open(store, clock, ids)


def ledger_client_for(kiosk: Kiosk, timeout: tuple[float, float] = TIMEOUT
                      ) -> LedgerClient | None:
    """The client for the ledger this kiosk is paired with; None for a standalone kiosk."""
    with kiosk.store.read() as tx:
        url, token = tx.setting(LEDGER_URL), tx.setting(DEVICE_TOKEN)
    return LedgerClient(url, token, timeout=timeout) if url and token else None


def attach_ledger(kiosk: Kiosk) -> SyncAgent | None:
    """Let a paired kiosk redeem online (short timeouts: a cashier should not wait long
    before the offline rules take over). None for a standalone kiosk."""
    client = ledger_client_for(kiosk, ONLINE_TIMEOUT)
    if client is None:
        return None
    agent = SyncAgent(kiosk, client)
    kiosk.authoriser = LedgerAuthoriser(agent)
    return agent

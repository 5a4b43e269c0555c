"""How a running kiosk reaches its ledger: the client for the address and token it was
paired with, and the sync agent that lets it redeem online. Wiring, so it lives with the
composition root; pairing itself (:mod:`sync.pairing`) only stores the address."""

from __future__ import annotations

from kiosk.services import Kiosk
from sync.agent import SyncAgent
from sync.authoriser import ONLINE_TIMEOUT, LedgerAuthoriser
from sync.client import TIMEOUT, LedgerClient
from sync.pairing import DEVICE_TOKEN, LEDGER_URL


def ledger_client_for(kiosk: Kiosk, timeout: tuple[float, float] = TIMEOUT
                      ) -> LedgerClient | None:
    """The client for the ledger this kiosk is paired with; None for a standalone kiosk."""
    with kiosk.store.read() as tx:
        url, token = tx.settings.get(LEDGER_URL), tx.settings.get(DEVICE_TOKEN)
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

"""What a kiosk trusts after reading the ledger's ``/v1/state`` (as ``sync/ledger_state.py``
installs it), as one value: for tests that check a card verifies offline from the state."""

from __future__ import annotations

from kiosk.cards import DeviceCertificate, TrustStore, key_from_text
from sync.protocol import DeviceState


def trust_of(state: DeviceState) -> TrustStore:
    return TrustStore.build(key_from_text(state.root_public_key),
                            [DeviceCertificate.from_dict(c) for c in state.certificates],
                            revoked_cards=state.revoked_cards, revoked_keys=state.revoked_keys)

"""The trust store: everything a kiosk consults when it checks a card, as one frozen
value built from what syncs down from the ledger.

A value rather than a service, so checking a card stays a pure function of the scan and
this store, and tests build one in a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from kiosk.cards.certificates import DeviceCertificate
from kiosk.cards.keys import RAW_KEY_LENGTH


@dataclass(frozen=True, slots=True)
class TrustStore:
    """What a kiosk knows when it checks a card: the root key, device certificates by
    key id, and the revocation lists that sync down from the ledger.

    Certificates are checked against the root on every scan rather than when the store
    is built: it costs one Ed25519 verification (well under a millisecond), needs no
    cache, and a bad certificate in a sync refuses only that device's cards instead of
    breaking the whole store.
    """

    root_public_key: bytes
    certificates: Mapping[str, DeviceCertificate] = field(default_factory=dict)
    revoked_cards: frozenset[str] = frozenset()
    revoked_keys: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if len(self.root_public_key) != RAW_KEY_LENGTH:
            raise ValueError(f"the root public key is 32 bytes, not {len(self.root_public_key)}")
        for key_id, cert in self.certificates.items():
            if key_id != cert.key_id:
                raise ValueError(f"certificate for key {cert.key_id} filed under {key_id!r}")
        # A read-only copy, so the caller's dict changing later cannot change what we trust.
        object.__setattr__(self, "certificates", MappingProxyType(dict(self.certificates)))
        object.__setattr__(self, "revoked_cards", frozenset(self.revoked_cards))
        object.__setattr__(self, "revoked_keys", frozenset(self.revoked_keys))

    @classmethod
    def build(
        cls,
        root_public_key: bytes,
        certificates: Iterable[DeviceCertificate] = (),
        *,
        revoked_cards: Iterable[str] = (),
        revoked_keys: Iterable[str] = (),
    ) -> TrustStore:
        """A store from certificates as they come from sync; ValueError if two different
        certificates claim the same key id."""
        by_key: dict[str, DeviceCertificate] = {}
        for cert in certificates:
            known = by_key.setdefault(cert.key_id, cert)
            if known != cert:
                raise ValueError(f"two different certificates for key {cert.key_id}")
        return cls(
            root_public_key=root_public_key,
            certificates=by_key,
            revoked_cards=frozenset(revoked_cards),
            revoked_keys=frozenset(revoked_keys),
        )

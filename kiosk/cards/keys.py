"""Device keys: the Ed25519 keys that sign cards (one per issuing device) and
certificates (the ledger's root), their key ids, and how a public key travels in JSON.

The only module that touches the signature primitives, so the rest of the package deals
in raw bytes and one yes-or-no signature check.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from kiosk.cards.base32 import b32, unb32

KEY_ID_LENGTH = 8
RAW_KEY_LENGTH = 32
RAW_SIGNATURE_LENGTH = 64


def key_to_text(public_key: bytes) -> str:
    """A raw public key as it travels in JSON (the cards' base32 spelling)."""
    return b32(public_key)


def key_from_text(text: str) -> bytes:
    """The inverse of :func:`key_to_text`; ValueError for anything but a 32-byte key."""
    raw = unb32(text) if text.isascii() else None
    if raw is None or len(raw) != RAW_KEY_LENGTH:
        raise ValueError("not a base32 Ed25519 public key")
    return raw


def key_id_of(public_key: bytes) -> str:
    """Short stable name for a device key: base32 of the first 5 bytes of its SHA-256."""
    return b32(hashlib.sha256(public_key).digest()[:5])


def verify_signature(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """True if ``public_key`` signed ``message``; False for a bad signature or key."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class DeviceKey:
    """An Ed25519 signing key: the ledger's root key, or one issuing device's key."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> DeviceKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_bytes(cls, raw: bytes) -> DeviceKey:
        """The key from its raw 32-byte private form (ValueError otherwise)."""
        if len(raw) != RAW_KEY_LENGTH:
            raise ValueError(f"an Ed25519 private key is 32 bytes, not {len(raw)}")
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    def to_bytes(self) -> bytes:
        """Raw 32-byte private key, for the device's own key file only."""
        return self.private.private_bytes_raw()

    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes_raw()

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_bytes())

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def __repr__(self) -> str:
        return f"DeviceKey(key_id={self.key_id!r})"

"""Device certificates: the root key's signed statement that a device key may issue
cards, and which card numbers it may give them.

What makes offline enrolment safe: a kiosk needs only the root's public key to trust
every device's cards, and a stolen device key can mint numbers in its own prefix only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.cards.base32 import BASE32, b32, unb32
from kiosk.cards.card_numbers import check_prefix
from kiosk.cards.errors import ForgedCard
from kiosk.cards.keys import (
    KEY_ID_LENGTH,
    RAW_KEY_LENGTH,
    RAW_SIGNATURE_LENGTH,
    DeviceKey,
    key_id_of,
    verify_signature,
)

_CERT_DOMAIN = b"CPCERT1\n"
"""Prefixed to the certificate bytes the root signs, so no certificate signature can
ever be passed off as a card signature (those start with ``CP1.``) or vice versa."""


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class DeviceCertificate:
    """The root's statement that ``public_key`` belongs to ``device_id`` and may issue
    card numbers starting with ``card_prefix``.

    The root signs ``b"CPCERT1\\n"`` followed by the UTF-8 of the compact JSON object
    (``sort_keys=True``, separators ``","`` and ``":"``, ``ensure_ascii=True``) with keys
    card_prefix, device_id, issued_at (UTC ISO 8601, microseconds, ``Z``), key_id and
    public_key (unpadded base32) -- the same strings `to_dict` produces, without the
    signature.
    """

    key_id: str
    device_id: str
    public_key: bytes
    card_prefix: str
    issued_at: datetime
    signature: bytes

    def __post_init__(self) -> None:
        if len(self.key_id) != KEY_ID_LENGTH or not BASE32.fullmatch(self.key_id):
            raise ValueError(f"a key id is 8 base32 characters, not {self.key_id!r}")
        if not self.device_id:
            raise ValueError("a device certificate needs a device id")
        if len(self.public_key) != RAW_KEY_LENGTH:
            raise ValueError(f"an Ed25519 public key is 32 bytes, not {len(self.public_key)}")
        check_prefix(self.card_prefix)
        if self.issued_at.utcoffset() is None:
            raise ValueError("issued_at must be timezone-aware")
        if len(self.signature) != RAW_SIGNATURE_LENGTH:
            raise ValueError(f"an Ed25519 signature is 64 bytes, not {len(self.signature)}")
        object.__setattr__(self, "issued_at", self.issued_at.astimezone(UTC))

    def _unsigned_dict(self) -> dict[str, str]:
        return {
            "card_prefix": self.card_prefix,
            "device_id": self.device_id,
            "issued_at": _utc_text(self.issued_at),
            "key_id": self.key_id,
            "public_key": b32(self.public_key),
        }

    def signed_bytes(self) -> bytes:
        """The exact bytes the root signs (see the class docstring)."""
        return _certificate_message(self._unsigned_dict())

    def to_dict(self) -> dict[str, str]:
        """JSON-able form for sync and pairing files."""
        return {**self._unsigned_dict(), "signature": b32(self.signature)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DeviceCertificate:
        """Inverse of `to_dict`; ValueError naming the problem on anything else. Does not
        check the signature: that is `verify_certificate`'s job."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a device certificate is a JSON object, not {type(data).__name__}")
        expected = {"card_prefix", "device_id", "issued_at", "key_id", "public_key", "signature"}
        missing = expected - data.keys()
        unknown = data.keys() - expected
        if missing or unknown:
            raise ValueError(
                "device certificate fields wrong: "
                f"missing {sorted(missing)}, unexpected {sorted(map(str, unknown))}"
            )
        for name in expected:
            if not isinstance(data[name], str):
                raise ValueError(f"device certificate field {name!r} must be a string")
        public_key = unb32(data["public_key"])
        if public_key is None:
            raise ValueError("device certificate public_key is not unpadded base32")
        signature = unb32(data["signature"])
        if signature is None:
            raise ValueError("device certificate signature is not unpadded base32")
        try:
            issued_at = datetime.fromisoformat(data["issued_at"])
        except ValueError:
            raise ValueError(
                f"device certificate issued_at {data['issued_at']!r} is not ISO 8601"
            ) from None
        return cls(
            key_id=data["key_id"],
            device_id=data["device_id"],
            public_key=public_key,
            card_prefix=data["card_prefix"],
            issued_at=issued_at,
            signature=signature,
        )


def _certificate_message(unsigned: Mapping[str, str]) -> bytes:
    text = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return _CERT_DOMAIN + text.encode("ascii")


def certify_device(
    root: DeviceKey,
    device_public_key: bytes,
    *,
    device_id: str,
    card_prefix: str,
    issued_at: datetime,
) -> DeviceCertificate:
    """Run by the ledger when a device is registered: let that key issue ``card_prefix``."""
    if len(device_public_key) != RAW_KEY_LENGTH:
        raise ValueError(f"an Ed25519 public key is 32 bytes, not {len(device_public_key)}")
    check_prefix(card_prefix)
    if issued_at.utcoffset() is None:
        raise ValueError("issued_at must be timezone-aware")
    key_id = key_id_of(device_public_key)
    unsigned = {
        "card_prefix": card_prefix,
        "device_id": device_id,
        "issued_at": _utc_text(issued_at),
        "key_id": key_id,
        "public_key": b32(device_public_key),
    }
    return DeviceCertificate(
        key_id=key_id,
        device_id=device_id,
        public_key=device_public_key,
        card_prefix=card_prefix,
        issued_at=issued_at,
        signature=root.sign(_certificate_message(unsigned)),
    )


def verify_certificate(cert: DeviceCertificate, root_public_key: bytes) -> None:
    """Raise ForgedCard unless the root signed ``cert`` and its key id matches its key."""
    if len(root_public_key) != RAW_KEY_LENGTH:
        raise ValueError(f"an Ed25519 public key is 32 bytes, not {len(root_public_key)}")
    if key_id_of(cert.public_key) != cert.key_id:
        raise ForgedCard(
            f"the certificate for device {cert.device_id!r} names key {cert.key_id} "
            "but carries a different key"
        )
    if not verify_signature(root_public_key, cert.signature, cert.signed_bytes()):
        raise ForgedCard(
            f"the certificate for device {cert.device_id!r} (key {cert.key_id}) was not "
            "signed by this store's root key"
        )

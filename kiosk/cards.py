"""Member cards: signed QR tokens that any kiosk can check offline.

Trust chain. The central ledger holds a ROOT Ed25519 key whose public half every kiosk
receives when paired. Each issuing device (a kiosk, or the ledger's online-shop issuer)
has its own device key, and the root signs a `DeviceCertificate` binding that key to a
device and to a card-number prefix. A card is signed by a device key; a verifier accepts
it only if the issuer is in its trust store, the certificate checks out against the
root, neither the issuer key nor the card number is revoked, the card number lies in the
certificate's prefix and the card's signature is good. So a kiosk can enrol members
while offline, a stolen kiosk key can only mint numbers in that kiosk's own prefix, and
revoking its key id refuses every card it ever signed.

Payload: ``CP1.<member-id>.<card-no>.<key-id>.<signature>`` (156 characters), where
member-id is the member's 16-byte UUID, key-id the issuer's key id and signature the
64-byte Ed25519 signature over the ASCII text before the last dot, all three in RFC 4648
base32 without padding, and card-no the 12-digit card number. Everything is upper-case
so the QR code can use alphanumeric mode, which packs 5.5 bits per character instead of
8 and keeps the code small enough to print legibly on a card.

This module is pure: no I/O, no clock; times are passed in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, ClassVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "CARD_NUMBER_LENGTH",
    "MAX_SCAN_LENGTH",
    "PAYLOAD_PREFIX",
    "CardClaim",
    "CardError",
    "DeviceCertificate",
    "DeviceKey",
    "ForgedCard",
    "MalformedCard",
    "NotACard",
    "RevokedCard",
    "TrustStore",
    "UnknownIssuer",
    "card_number",
    "certify_device",
    "is_valid_card_number",
    "issue_card",
    "key_from_text",
    "key_id_of",
    "key_to_text",
    "parse_card",
    "verify_card",
    "verify_certificate",
]

PAYLOAD_PREFIX = "CP1."
CARD_NUMBER_LENGTH = 12
MAX_SCAN_LENGTH = 512
"""Longer scans are refused unparsed: a card is 156 characters, so anything this long
is someone else's QR code and not worth the work."""

_CERT_DOMAIN = b"CPCERT1\n"
"""Prefixed to the certificate bytes the root signs, so no certificate signature can
ever be passed off as a card signature (those start with ``CP1.``) or vice versa."""

_KEY_ID_LENGTH = 8
_MEMBER_ID_LENGTH = 26
_SIGNATURE_LENGTH = 103
_RAW_KEY_LENGTH = 32
_RAW_SIGNATURE_LENGTH = 64
_PAYLOAD_LENGTH = 156  # "CP1." 26 "." 12 "." 8 "." 103

_BASE32 = re.compile(r"[A-Z2-7]*")
_DIGITS = re.compile(r"[0-9]*")
_PREFIX = re.compile(r"[0-9]{4,6}")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


# --- errors -------------------------------------------------------------------------


class CardError(Exception):
    """A scan that is refused; `code` is stable for the UI, the message is for people."""

    code: ClassVar[str] = "card_error"


class NotACard(CardError):
    """Someone else's QR code or barcode: a URL, a payment code, a product EAN."""

    code: ClassVar[str] = "not_a_card"


class MalformedCard(CardError):
    """Looks like one of our cards but is damaged, truncated or mistyped."""

    code: ClassVar[str] = "malformed"


class UnknownIssuer(CardError):
    """Signed by a device whose certificate has not synced to this kiosk yet."""

    code: ClassVar[str] = "unknown_issuer"


class ForgedCard(CardError):
    """A signature or certificate that does not check out, or a number outside the
    issuer's prefix: nobody we trust issued this card."""

    code: ClassVar[str] = "forged"


class RevokedCard(CardError):
    """The card was cancelled (lost or replaced), or its issuing key was withdrawn."""

    code: ClassVar[str] = "revoked"


# --- card numbers -------------------------------------------------------------------


def _luhn_check_digit(digits: str) -> str:
    """The digit that makes ``digits + check`` pass Luhn, catching any single mistyped
    digit and most swaps when a cashier keys a number in by hand."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str(-total % 10)


def _check_prefix(prefix: str) -> None:
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"a card prefix is 4 to 6 digits, not {prefix!r}")


def card_number(prefix: str, serial: int) -> str:
    """The 12-digit card number for ``serial`` within ``prefix``: prefix, zero-padded
    serial, Luhn check digit. ValueError if the serial does not fit."""
    _check_prefix(prefix)
    width = CARD_NUMBER_LENGTH - 1 - len(prefix)
    if not 0 <= serial < 10**width:
        raise ValueError(f"serial {serial} does not fit in {width} digits after prefix {prefix}")
    body = f"{prefix}{serial:0{width}d}"
    return body + _luhn_check_digit(body)


def grouped_card_number(card_no: str) -> str:
    """A card number in groups of four, as printed on cards and slips: "2000 0000 0017"."""
    return " ".join(card_no[i:i + 4] for i in range(0, len(card_no), 4))


def is_valid_card_number(text: str) -> bool:
    """True for exactly 12 ASCII digits with a correct Luhn check digit."""
    return (
        len(text) == CARD_NUMBER_LENGTH
        and _DIGITS.fullmatch(text) is not None
        and _luhn_check_digit(text[:-1]) == text[-1]
    )


# --- keys and certificates ----------------------------------------------------------


def _b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes | None:
    """Decode unpadded base32, or None unless ``text`` is the one canonical spelling.

    Canonical matters: the unused low bits of the last character would otherwise let
    several strings decode to the same signature, so a card could be altered and still
    verify.
    """
    if not _BASE32.fullmatch(text):
        return None
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:  # binascii.Error: impossible length such as 1, 3 or 6 chars
        return None
    return raw if _b32(raw) == text else None


def key_to_text(public_key: bytes) -> str:
    """A raw public key as it travels in JSON (the cards' base32 spelling)."""
    return _b32(public_key)


def key_from_text(text: str) -> bytes:
    """The inverse of :func:`key_to_text`; ValueError for anything but a 32-byte key."""
    raw = _unb32(text) if text.isascii() else None
    if raw is None or len(raw) != _RAW_KEY_LENGTH:
        raise ValueError("not a base32 Ed25519 public key")
    return raw


def key_id_of(public_key: bytes) -> str:
    """Short stable name for a device key: base32 of the first 5 bytes of its SHA-256."""
    return _b32(hashlib.sha256(public_key).digest()[:5])


def _verify_signature(public_key: bytes, signature: bytes, message: bytes) -> bool:
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
        if len(raw) != _RAW_KEY_LENGTH:
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
        if len(self.key_id) != _KEY_ID_LENGTH or not _BASE32.fullmatch(self.key_id):
            raise ValueError(f"a key id is 8 base32 characters, not {self.key_id!r}")
        if not self.device_id:
            raise ValueError("a device certificate needs a device id")
        if len(self.public_key) != _RAW_KEY_LENGTH:
            raise ValueError(f"an Ed25519 public key is 32 bytes, not {len(self.public_key)}")
        _check_prefix(self.card_prefix)
        if self.issued_at.utcoffset() is None:
            raise ValueError("issued_at must be timezone-aware")
        if len(self.signature) != _RAW_SIGNATURE_LENGTH:
            raise ValueError(f"an Ed25519 signature is 64 bytes, not {len(self.signature)}")
        object.__setattr__(self, "issued_at", self.issued_at.astimezone(UTC))

    def _unsigned_dict(self) -> dict[str, str]:
        return {
            "card_prefix": self.card_prefix,
            "device_id": self.device_id,
            "issued_at": _utc_text(self.issued_at),
            "key_id": self.key_id,
            "public_key": _b32(self.public_key),
        }

    def signed_bytes(self) -> bytes:
        """The exact bytes the root signs (see the class docstring)."""
        return _certificate_message(self._unsigned_dict())

    def to_dict(self) -> dict[str, str]:
        """JSON-able form for sync and pairing files."""
        return {**self._unsigned_dict(), "signature": _b32(self.signature)}

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
        public_key = _unb32(data["public_key"])
        if public_key is None:
            raise ValueError("device certificate public_key is not unpadded base32")
        signature = _unb32(data["signature"])
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
    if len(device_public_key) != _RAW_KEY_LENGTH:
        raise ValueError(f"an Ed25519 public key is 32 bytes, not {len(device_public_key)}")
    _check_prefix(card_prefix)
    if issued_at.utcoffset() is None:
        raise ValueError("issued_at must be timezone-aware")
    key_id = key_id_of(device_public_key)
    unsigned = {
        "card_prefix": card_prefix,
        "device_id": device_id,
        "issued_at": _utc_text(issued_at),
        "key_id": key_id,
        "public_key": _b32(device_public_key),
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
    if len(root_public_key) != _RAW_KEY_LENGTH:
        raise ValueError(f"an Ed25519 public key is 32 bytes, not {len(root_public_key)}")
    if key_id_of(cert.public_key) != cert.key_id:
        raise ForgedCard(
            f"the certificate for device {cert.device_id!r} names key {cert.key_id} "
            "but carries a different key"
        )
    if not _verify_signature(root_public_key, cert.signature, cert.signed_bytes()):
        raise ForgedCard(
            f"the certificate for device {cert.device_id!r} (key {cert.key_id}) was not "
            "signed by this store's root key"
        )


# --- trust store --------------------------------------------------------------------


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
        if len(self.root_public_key) != _RAW_KEY_LENGTH:
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


# --- cards --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardClaim:
    """What a card says about itself; trustworthy only when `verify_card` returned it."""

    member_id: uuid.UUID
    card_no: str
    key_id: str
    payload: str
    """The normalised payload (upper-case, no surrounding whitespace)."""


def issue_card(
    key: DeviceKey, cert: DeviceCertificate, *, member_id: uuid.UUID, card_no: str
) -> str:
    """The QR payload for a new card. ValueError if the number is invalid, outside the
    certificate's prefix, or ``cert`` is not for ``key`` -- so a kiosk never prints a
    card that other kiosks would refuse."""
    if cert.public_key != key.public_bytes():
        raise ValueError(f"certificate is for key {cert.key_id}, not {key.key_id}")
    if not is_valid_card_number(card_no):
        raise ValueError(f"{card_no!r} is not a valid 12-digit card number")
    if not card_no.startswith(cert.card_prefix):
        raise ValueError(
            f"card {card_no} is outside prefix {cert.card_prefix} of device {cert.device_id!r}"
        )
    signed = f"{PAYLOAD_PREFIX}{_b32(member_id.bytes)}.{card_no}.{cert.key_id}"
    return f"{signed}.{_b32(key.sign(signed.encode('ascii')))}"


def _normalise(text: str) -> str:
    """Wedge scanners add CR/LF and caps lock flips case; neither should lose a sale."""
    if len(text) > MAX_SCAN_LENGTH:
        raise NotACard("this code is far too long to be a Counterpoint member card")
    return text.strip().translate(_ASCII_UPPER)


def _parse(text: str) -> tuple[CardClaim, bytes]:
    payload = _normalise(text)
    if not payload.startswith(PAYLOAD_PREFIX):
        raise NotACard("this code is not a Counterpoint member card")
    if not payload.isascii():
        raise MalformedCard("this member card contains characters a card never has")
    if len(payload) != _PAYLOAD_LENGTH:
        raise MalformedCard(
            f"this member card is damaged or incomplete ({len(payload)} characters "
            f"instead of {_PAYLOAD_LENGTH})"
        )
    parts = payload.split(".")
    if len(parts) != 5:
        raise MalformedCard("this member card is damaged: it does not have five parts")
    _, member_text, card_no, key_id, signature_text = parts
    member_raw = _unb32(member_text) if len(member_text) == _MEMBER_ID_LENGTH else None
    if member_raw is None:
        raise MalformedCard("this member card is damaged: the member id is unreadable")
    if not is_valid_card_number(card_no):
        raise MalformedCard("this member card is damaged: the card number is not valid")
    if len(key_id) != _KEY_ID_LENGTH or not _BASE32.fullmatch(key_id):
        raise MalformedCard("this member card is damaged: the issuer id is unreadable")
    signature = _unb32(signature_text) if len(signature_text) == _SIGNATURE_LENGTH else None
    if signature is None:
        raise MalformedCard("this member card is damaged: the signature is unreadable")
    claim = CardClaim(
        member_id=uuid.UUID(bytes=member_raw),
        card_no=card_no,
        key_id=key_id,
        payload=payload,
    )
    return claim, signature


def parse_card(text: str) -> CardClaim:
    """Read a scan without any trust checks (NotACard / MalformedCard); for diagnostics
    and for telling "not ours" from "ours but bad" -- never for crediting points."""
    claim, _ = _parse(text)
    return claim


def verify_card(text: str, trust: TrustStore) -> CardClaim:
    """Check a scanned card offline; the one call a kiosk makes on every scan.

    Raises only CardError subclasses. A revoked issuer key is refused before its
    signature is checked (its certificate may already be gone from the store, and its
    cards are refused either way); a revoked card number is reported only for an
    otherwise genuine card, so tampering never shows up as "cancelled".
    """
    claim, signature = _parse(text)
    if claim.key_id in trust.revoked_keys:
        raise RevokedCard(
            "this card was issued by a device whose key has been withdrawn; "
            "the member needs a new card"
        )
    cert = trust.certificates.get(claim.key_id)
    if cert is None:
        raise UnknownIssuer(
            "the card was issued by a device this kiosk does not know yet; "
            "sync with the ledger and scan again"
        )
    verify_certificate(cert, trust.root_public_key)
    if not claim.card_no.startswith(cert.card_prefix):
        raise ForgedCard(
            f"card {claim.card_no} is outside the numbers device {cert.device_id!r} may issue"
        )
    signed = claim.payload[: claim.payload.rindex(".")].encode("ascii")
    if not _verify_signature(cert.public_key, signature, signed):
        raise ForgedCard("this card's signature does not check out; it was not issued by us")
    if claim.card_no in trust.revoked_cards:
        raise RevokedCard(f"card {claim.card_no} has been cancelled")
    return claim

"""Card tokens: the signed payload in a member card's QR code, how a device issues one
and how any kiosk checks one offline -- the one call made on every scan.

Payload: ``CP1.<member-id>.<card-no>.<key-id>.<signature>`` (156 characters), where
member-id is the member's 16-byte UUID, key-id the issuer's key id and signature the
64-byte Ed25519 signature over the ASCII text before the last dot, all three in RFC 4648
base32 without padding, and card-no the 12-digit card number. Everything is upper-case
so the QR code can use alphanumeric mode, which packs 5.5 bits per character instead of
8 and keeps the code small enough to print legibly on a card.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from kiosk.cards.base32 import BASE32, b32, unb32
from kiosk.cards.card_numbers import is_valid_card_number
from kiosk.cards.certificates import DeviceCertificate, verify_certificate
from kiosk.cards.errors import ForgedCard, MalformedCard, NotACard, RevokedCard, UnknownIssuer
from kiosk.cards.keys import KEY_ID_LENGTH, DeviceKey, verify_signature
from kiosk.cards.trust import TrustStore

PAYLOAD_PREFIX = "CP1."
MAX_SCAN_LENGTH = 512
"""Longer scans are refused unparsed: a card is 156 characters, so anything this long
is someone else's QR code and not worth the work."""

_MEMBER_ID_LENGTH = 26
_SIGNATURE_LENGTH = 103
_PAYLOAD_LENGTH = 156  # "CP1." 26 "." 12 "." 8 "." 103
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


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
    signed = f"{PAYLOAD_PREFIX}{b32(member_id.bytes)}.{card_no}.{cert.key_id}"
    return f"{signed}.{b32(key.sign(signed.encode('ascii')))}"


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
    member_raw = unb32(member_text) if len(member_text) == _MEMBER_ID_LENGTH else None
    if member_raw is None:
        raise MalformedCard("this member card is damaged: the member id is unreadable")
    if not is_valid_card_number(card_no):
        raise MalformedCard("this member card is damaged: the card number is not valid")
    if len(key_id) != KEY_ID_LENGTH or not BASE32.fullmatch(key_id):
        raise MalformedCard("this member card is damaged: the issuer id is unreadable")
    signature = unb32(signature_text) if len(signature_text) == _SIGNATURE_LENGTH else None
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
    if not verify_signature(cert.public_key, signature, signed):
        raise ForgedCard("this card's signature does not check out; it was not issued by us")
    if claim.card_no in trust.revoked_cards:
        raise RevokedCard(f"card {claim.card_no} has been cancelled")
    return claim

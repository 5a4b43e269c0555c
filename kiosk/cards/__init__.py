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

One module per concept: `tokens` (the payload, issuing and checking it), `keys`,
`certificates`, `trust` (the trust store), `card_numbers`, and `errors` (why a scan is
refused). Import from this package, which names everything the rest of the code uses.

This package is pure: no I/O, no clock; times are passed in.
"""

from __future__ import annotations

from kiosk.cards.card_numbers import (
    CARD_NUMBER_LENGTH,
    card_number,
    grouped_card_number,
    is_valid_card_number,
)
from kiosk.cards.certificates import DeviceCertificate, certify_device, verify_certificate
from kiosk.cards.errors import (
    CardError,
    ForgedCard,
    MalformedCard,
    NotACard,
    RevokedCard,
    UnknownIssuer,
)
from kiosk.cards.keys import DeviceKey, key_from_text, key_id_of, key_to_text
from kiosk.cards.tokens import (
    MAX_SCAN_LENGTH,
    PAYLOAD_PREFIX,
    CardClaim,
    issue_card,
    parse_card,
    verify_card,
)
from kiosk.cards.trust import TrustStore

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
    "grouped_card_number",
    "is_valid_card_number",
    "issue_card",
    "key_from_text",
    "key_id_of",
    "key_to_text",
    "parse_card",
    "verify_card",
    "verify_certificate",
]

"""Why a scan is refused: one small exception per reason, each with a stable `code`.

Kept apart from the modules that raise them (token parsing and checking, certificate
checking) so the UI can name every reason without reaching into either.
"""

from __future__ import annotations

from typing import ClassVar


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

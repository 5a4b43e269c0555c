"""What the cashier reads when something goes wrong, in the counter's language.

Two families (STYLE 8): trouble from the world or from the customer (a bad card, too few
points, the disk full, the printer off) becomes a plain sentence; anything else is a bug,
logged with its traceback and shown as one apologetic line.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from kiosk.cards import CardError, ForgedCard, MalformedCard, NotACard, RevokedCard, UnknownIssuer
from kiosk.services.errors import (
    AlreadyRefunded,
    DuplicateMember,
    InvalidInput,
    NotEnoughPoints,
    OfflineLimitReached,
    Refusal,
    Unreachable,
    UnknownMember,
    UnknownOrder,
)
from kiosk.store.repository import StorageError

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    """One sentence for the cashier; the service's own words follow where they add facts."""
    tr = QCoreApplication.translate
    if isinstance(exc, NotACard):
        return tr("Messages", "That is not a Counterpoint membership card.")
    if isinstance(exc, MalformedCard):
        return tr("Messages", "The card could not be read completely. Please scan it again.")
    if isinstance(exc, UnknownIssuer):
        return tr("Messages", "This card comes from a kiosk this store does not trust yet.")
    if isinstance(exc, ForgedCard):
        return tr("Messages", "This card failed the security check and cannot be used.")
    if isinstance(exc, RevokedCard):
        return tr("Messages", "This card has been reported lost and is blocked. "
                  "Please ask the member for their new card.")
    if isinstance(exc, CardError):
        return tr("Messages", "This card cannot be used.")
    if isinstance(exc, UnknownMember):
        return tr("Messages", "The card is genuine, but this member is not known here yet. "
                  "Try again after the kiosk has synced.")
    if isinstance(exc, NotEnoughPoints):
        return tr("Messages", "Not enough points for this reward.")
    if isinstance(exc, OfflineLimitReached):
        return tr("Messages", "The ledger cannot be reached and this is over the offline "
                  "limit. Try again when the kiosk is online.")
    if isinstance(exc, AlreadyRefunded):
        return tr("Messages", "This order has already been refunded.")
    if isinstance(exc, UnknownOrder):
        return tr("Messages", "No points were recorded for this order number.")
    if isinstance(exc, DuplicateMember):
        return tr("Messages", "A member with this phone number already exists.")
    if isinstance(exc, InvalidInput):
        return tr("Messages", "Please check the input:") + " " + str(exc)
    if isinstance(exc, StorageError):
        return tr("Messages", "Could not save: the disk is full or not available. "
                  "Nothing was recorded; please call the manager.")
    if isinstance(exc, Unreachable):
        return tr("Messages", "The central ledger cannot be reached right now.")
    if isinstance(exc, Refusal):
        return str(exc)
    if isinstance(exc, OSError):  # a printer or port that went away
        return tr("Messages", "The device is not available:") + " " + str(exc)
    log.error("unexpected error at the counter", exc_info=exc)
    return tr("Messages", "Something went wrong. It has been logged; please try again.")

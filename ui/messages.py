"""What the cashier reads when something goes wrong, in the counter's language.

Two families (STYLE 8): trouble from the world or from the customer (a bad card, too few
points, the disk full, the printer off) becomes a plain sentence; anything else is a bug,
logged with its traceback and shown as one apologetic line. Refusals find their sentence
in `SENTENCES` by their stable ``code``; the few other known troubles have a branch each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from devices.errors import PrinterUnavailable
from kiosk.cards import CardError, ForgedCard, MalformedCard, NotACard, RevokedCard, UnknownIssuer
from kiosk.engine.donations import MAX_DONATION
from kiosk.members import MAX_NAME
from kiosk.records import StorageError
from kiosk.services.checkout import CouponRefused, LoyaltyRefused
from kiosk.services.donations import UnknownCause
from kiosk.services.errors import (
    AlreadyRefunded,
    DuplicateMember,
    InputProblem,
    InvalidInput,
    MemberNotSynced,
    NotEnoughPoints,
    OfflineLimitReached,
    Refusal,
    UnknownMember,
    UnknownOrder,
    Unreachable,
)
from kiosk.services.lost_cards import CardAlreadyReplaced
from kiosk.services.manager import (
    MAX_ADJUSTMENT,
    MAX_PIN,
    MIN_PIN,
    AdjustmentLimitReached,
    NoManagerPin,
    PinLocked,
    WrongPin,
)
from kiosk.services.refunds import OrderElsewhere
from kiosk.services.sales import NeedsApproval
from kiosk.services.staff import NotAManager, UnknownStaff
from kiosk.services.transfers import TransfersOffline, TransferUnsure
from sync.errors import LedgerRefused, OtherLedger

log = logging.getLogger(__name__)


def no_manager() -> str:
    return QCoreApplication.translate(
        "Messages", "No manager is set up on this kiosk: set one with `kiosk manager-pin "
        "PIN` or `kiosk staff add NAME --role manager --pin PIN`.")


def _invalid_input(exc: InvalidInput) -> str:
    if exc.problem is not None:
        return input_problem(exc.problem)
    return QCoreApplication.translate("Messages", "Please check the input:") + " " + str(exc)


def _coupon_refused(exc: CouponRefused) -> str:
    texts = {
        "used": QCoreApplication.translate("Messages", "This coupon has already been used."),
        "not_yet": QCoreApplication.translate(
            "Messages", "This coupon can't be used yet: a coupon works from the next visit on."),
        "expired": QCoreApplication.translate("Messages", "This coupon has expired."),
        "min_spend": QCoreApplication.translate(
            "Messages", "The basket is below this coupon's minimum spend."),
        "item_missing": QCoreApplication.translate(
            "Messages", "This coupon's free item is not in the basket."),
        "other_member": QCoreApplication.translate(
            "Messages", "This coupon belongs to another member."),
        "offline": QCoreApplication.translate(
            "Messages", "This coupon can only be checked while the kiosk is online."),
        "withdrawn": QCoreApplication.translate(
            "Messages", "This coupon was withdrawn when its order was refunded."),
        "not_in_program": QCoreApplication.translate(
            "Messages", "This coupon is no longer part of the program."),
    }
    return texts.get(exc.reason) or QCoreApplication.translate(
        "Messages", "This coupon is not known for this member.")


def _pin_locked(exc: PinLocked) -> str:
    return QCoreApplication.translate(
        "Messages", "Too many wrong PINs. Try again in {n} seconds.").format(
            n=f"{exc.seconds:,}")


Sentence = Callable[[Any], str]
"""Makes the cashier's sentence from the refused exception (most ignore it; a few read its
fields)."""

SENTENCES: Mapping[str, Sentence] = {
    # Cards (kiosk.cards); CardError's for a card refusal without its own.
    NotACard.code: lambda _: QCoreApplication.translate(
        "Messages", "That is not a Counterpoint membership card."),
    MalformedCard.code: lambda _: QCoreApplication.translate(
        "Messages", "The card could not be read completely. Please scan it again."),
    UnknownIssuer.code: lambda _: QCoreApplication.translate(
        "Messages", "This card comes from a kiosk this store does not trust yet."),
    ForgedCard.code: lambda _: QCoreApplication.translate(
        "Messages", "This card failed the security check and cannot be used."),
    RevokedCard.code: lambda _: QCoreApplication.translate(
        "Messages", "This card has been reported lost and is blocked. "
                    "Please ask the member for their new card."),
    CardAlreadyReplaced.code: lambda exc: (QCoreApplication.translate(
        "Messages", "Card {card} was already replaced: the member's card now is {current}. "
                    "To replace that one, search by it or by their phone number.").format(
            card=exc.card_no, current=", ".join(exc.current)) if exc.current
        else QCoreApplication.translate(
            "Messages", "Card {card} was already replaced, and the member holds no card "
                        "now: search by their phone number to issue one.").format(
            card=exc.card_no)),
    CardError.code: lambda _: QCoreApplication.translate(
        "Messages", "This card cannot be used."),
    # Members, points and orders (kiosk.services.errors).
    UnknownMember.code: lambda _: QCoreApplication.translate(
        "Messages", "The card is genuine, but this member is not known here yet. "
                    "Try again after the kiosk has synced."),
    MemberNotSynced.code: lambda _: QCoreApplication.translate(
        "Messages", "This member joined at another store and this kiosk has not synced "
                    "their account yet. Their points can be used once the kiosk is online."),
    NotEnoughPoints.code: lambda _: QCoreApplication.translate(
        "Messages", "The member doesn't have enough points available for this."),
    UnknownCause.code: lambda _: QCoreApplication.translate(
        "Messages", "This cause is no longer in the program: please choose another."),
    OfflineLimitReached.code: lambda _: QCoreApplication.translate(
        "Messages", "The ledger cannot be reached and this is over the offline "
                    "limit. Try again when the kiosk is online."),
    AlreadyRefunded.code: lambda _: QCoreApplication.translate(
        "Messages", "This order has already been refunded."),
    UnknownOrder.code: lambda _: QCoreApplication.translate(
        "Messages", "No points were recorded for this order number."),
    OrderElsewhere.code: lambda exc: QCoreApplication.translate(
        "Messages", "This receipt is from {channel}: the order is refunded there.").format(
            channel=getattr(exc, "channel", "")),
    DuplicateMember.code: lambda _: QCoreApplication.translate(
        "Messages", "A member with this phone number already exists."),
    InvalidInput.code: _invalid_input,
    TransfersOffline.code: lambda _: QCoreApplication.translate(
        "Messages", "Points can move between members only while the ledger can be "
                    "reached. Nothing was changed; try again when the kiosk is online."),
    # Checkout (kiosk.services.checkout).
    CouponRefused.code: _coupon_refused,
    LoyaltyRefused.code: lambda _: QCoreApplication.translate(
        "Messages", "That many points can't pay for this bill: see the limit on screen."),
    # Staff and approvals (kiosk.services.staff, kiosk.services.sales).
    PinLocked.code: _pin_locked,
    WrongPin.code: lambda _: QCoreApplication.translate("Messages", "Wrong PIN."),
    NoManagerPin.code: lambda _: no_manager(),
    NotAManager.code: lambda _: QCoreApplication.translate(
        "Messages", "Only a manager can do this."),
    UnknownStaff.code: lambda _: QCoreApplication.translate(
        "Messages", "This person is no longer on this kiosk's staff."),
    NeedsApproval.code: lambda _: QCoreApplication.translate(
        "Messages", "A sale this large needs a manager's approval."),
    AdjustmentLimitReached.code: lambda _: QCoreApplication.translate(
        "Messages", "This member's points were adjusted at this kiosk today as far as the "
                    "program allows. Nothing was changed."),
    # Pairing (sync.pairing).
    OtherLedger.code: lambda _: QCoreApplication.translate(
        "Messages", "That address is a different ledger from the one this kiosk is "
                    "paired with. Nothing was changed."),
    # Any other refusal: the service's own words.
    Refusal.code: str,
}
"""The sentence for each refusal, keyed by its class's stable ``code``."""


def _refusal(exc: Refusal | CardError) -> str:
    """The sentence for the nearest class in ``exc``'s ancestry whose own ``code`` is in
    the table, so a refusal without a sentence of its own reads as its parent does. The
    class's code, not the instance's: a `LedgerRefused` carries the server's code."""
    for cls in type(exc).__mro__:
        say = SENTENCES.get(vars(cls).get("code", ""))
        if say is not None:
            return say(exc)
    # Unreachable: the codes of Refusal and CardError themselves are in the table.
    raise AssertionError(f"no sentence for {type(exc).__name__}")


def describe(exc: BaseException, *, quiet: bool = False) -> str:
    """One sentence for the cashier; the service's own words follow where they add facts.
    ``quiet``: the same error said again (in another language), so not logged again."""
    if isinstance(exc, LedgerRefused) and exc.status == 401:
        return QCoreApplication.translate(
            "Messages", "The ledger did not accept this kiosk's device token. "
                        "Nothing was changed.")
    if isinstance(exc, Refusal | CardError):
        return _refusal(exc)
    if isinstance(exc, StorageError):
        return QCoreApplication.translate(
            "Messages", "Could not save: the disk is full or not available. "
                        "Nothing was recorded; please call the manager.")
    if isinstance(exc, TransferUnsure):  # sent, never answered: it may have been made
        return QCoreApplication.translate(
            "Messages", "The ledger did not answer: the points may have moved or not. Tap "
                        "the button again to finish this same transfer; it is never given "
                        "twice.")
    if isinstance(exc, Unreachable):
        return QCoreApplication.translate(
            "Messages", "The central ledger cannot be reached right now.")
    if isinstance(exc, PrinterUnavailable):
        if not quiet:
            log.warning("printer: %s", exc)
        if exc.reason == "not_set_up":
            return QCoreApplication.translate("Messages", "No receipt printer is set up.")
        if exc.reason == "no_libusb":
            return QCoreApplication.translate(
                "Messages", "USB printers can't be used on this machine: the libusb library "
                            "is missing. Connect the printer another way, or ask a technician.")
        return QCoreApplication.translate(
            "Messages", "The receipt printer is not answering. Check that it is switched on, "
                        "connected and has paper, then try again.")
    if isinstance(exc, OSError):  # a printer or port that went away
        return QCoreApplication.translate(
            "Messages", "The device is not available:") + " " + str(exc)
    if not quiet:
        log.error("unexpected error at the counter", exc_info=exc)
    return QCoreApplication.translate(
        "Messages", "Something went wrong. It has been logged; please try again.")


def input_problem(problem: InputProblem) -> str:
    """A broken input rule in the counter's language (the service's message is English)."""
    p = InputProblem
    texts = {
        p.AMOUNT: QCoreApplication.translate("Messages", "The amount must be more than zero."),
        p.AMOUNT_TOO_LARGE: QCoreApplication.translate(
            "Messages", "That amount is over this store's limit for one sale. Was a "
                  "product's barcode scanned into the amount?"),
        p.BASKET_LINE: QCoreApplication.translate(
            "Messages", "Every basket line needs a quantity and a price."),
        p.ORDER_REF: QCoreApplication.translate(
            "Messages", "An order number is 1 to 64 characters."),
        p.ORDER_REUSED: QCoreApplication.translate(
            "Messages", "This order number was already rung up for another member or "
                  "amount."),
        p.NAME_MISSING: QCoreApplication.translate("Messages", "Please enter the member's name."),
        p.NAME_TOO_LONG: QCoreApplication.translate(
            "Messages", "A name can be at most {max} characters.").format(max=MAX_NAME),
        p.PHONE: QCoreApplication.translate(
            "Messages", "That is not a phone number: it needs 6 to 15 digits."),
        p.CONSENT: QCoreApplication.translate(
            "Messages", "The member must accept the privacy notice to join."),
        p.BIRTHDAY_FUTURE: QCoreApplication.translate(
            "Messages", "A birthday cannot be in the future."),
        p.ADJUSTMENT_REASON: QCoreApplication.translate(
            "Messages", "Please give a reason for the adjustment."),
        p.ADJUSTMENT_SIZE: QCoreApplication.translate(
            "Messages", "An adjustment is 1 to {max} points, up or down.").format(
                max=MAX_ADJUSTMENT),
        p.DONATION_SIZE: QCoreApplication.translate(
            "Messages", "That many points can't be given to this cause: at least its "
                        "minimum, at most {max}.").format(max=f"{MAX_DONATION:,}"),
        p.TRANSFER: QCoreApplication.translate(
            "Messages", "These points can't be given: a member gives to another member, "
                        "within the store's limits for one transfer (shown on screen)."),
        p.PIN: QCoreApplication.translate(
            "Messages", "A manager PIN is {low} to {high} digits.").format(
                low=MIN_PIN, high=MAX_PIN),
        p.LEDGER_ADDRESS: QCoreApplication.translate(
            "Messages", "A ledger address looks like https://ledger.example.com:8470."),
        p.CONTROL_CHARACTER: QCoreApplication.translate(
            "Messages", "This contains a control character (an invisible code such as "
                  "NUL). Please type it again."),
    }
    return texts[problem]

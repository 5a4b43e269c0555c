"""Expected refusals: values the UI and the CLI turn into one plain sentence, never a trace.

Each has a stable ``code`` (for translations and ``--json``) and an English message.
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.engine.order_codes import ORDER_PREFIX
from kiosk.limits import text_problem
from kiosk.printable import shows


class Refusal(Exception):
    code = "refused"


class NotInitialised(Refusal):
    code = "not_initialised"


class UnknownMember(Refusal):
    code = "unknown_member"


class DuplicateMember(Refusal):
    code = "duplicate_member"


class MemberNotSynced(Refusal):
    """A member this kiosk knows only by a card another store issued: their balance is
    the ledger's to say, so nothing is spent offline."""

    code = "member_not_synced"


class UnknownReward(Refusal):
    code = "unknown_reward"


class NotEnoughPoints(Refusal):
    code = "not_enough_points"


class OfflineLimitReached(Refusal):
    code = "offline_limit"


class UnknownOrder(Refusal):
    code = "unknown_order"


class AlreadyRefunded(Refusal):
    code = "already_refunded"


class InputProblem(StrEnum):
    """Which rule a typed value broke, so the counter can say it in its own language
    (``ui/messages.py``); the exception's message stays English for logs and the CLI."""

    AMOUNT = "amount_not_positive"
    AMOUNT_TOO_LARGE = "amount_over_limit"
    BASKET_LINE = "basket_line"
    ORDER_REF = "order_ref_length"
    ORDER_REUSED = "order_reused"
    NAME_MISSING = "name_missing"
    NAME_TOO_LONG = "name_too_long"
    PHONE = "phone"
    CONSENT = "consent_missing"
    BIRTHDAY_FUTURE = "birthday_in_future"
    ADJUSTMENT_REASON = "adjustment_reason_missing"
    ADJUSTMENT_SIZE = "adjustment_size"
    DONATION_SIZE = "donation_size"
    TRANSFER = "transfer_not_allowed"  # none in the program, to oneself, or out of bounds
    PIN = "pin_format"
    LEDGER_ADDRESS = "ledger_address"
    CONTROL_CHARACTER = "control_character"  # e.g. NUL: no database or receipt holds one


class AlreadyInitialised(Refusal):
    """The data folder holds a kiosk already: setting one up again would replace its
    keys and strand its members' cards."""

    code = "already_initialised"


class InvalidInput(Refusal):
    code = "invalid_input"

    def __init__(self, message: str, problem: InputProblem | None = None) -> None:
        super().__init__(message)
        self.problem = problem


def check_text(what: str, value: str | None, *, layout: bool = False) -> None:
    """Refuse typed text the ledger's wire would refuse (``kiosk.limits``), here at the
    counter, so it never reaches the outbox. ``layout``: tabs and line breaks pass (text
    that is cleaned of them, or a note)."""
    problem = None if value is None else text_problem(value, layout=layout)
    if problem is not None:
        raise InvalidInput(f"the {what} {problem}", InputProblem.CONTROL_CHARACTER)


def check_order_ref(order_ref: str | None) -> None:
    """An order reference the wire takes (1 to 64 characters, no control characters): one
    it would refuse is refused here, before it is written and quarantined at upload. And
    one its own refund can find: a refund reads anything starting with ``CPO1.`` as a
    receipt's scanned order QR (``kiosk.engine.order_codes``), so no order may be called
    so (typed with spaces before it too: the refund screen strips what is typed)."""
    if order_ref is not None and not 0 < len(order_ref) <= 64:
        raise InvalidInput("an order reference is 1 to 64 characters", InputProblem.ORDER_REF)
    check_text("order reference", order_ref)
    if order_ref is not None and (order_ref != order_ref.strip() or not shows(order_ref)):
        # As a product code's (:func:`check_code`): the refund screen takes the number as
        # typed and stripped, and a receipt shows no zero-width space or right-to-left
        # override: a number with one is found by nobody, or is another order's (review 27).
        check_code(order_ref, "order reference")
    if order_ref is not None and order_ref.lstrip().startswith(ORDER_PREFIX):
        raise InvalidInput(f"an order reference may not start with {ORDER_PREFIX} (a "
                           "receipt's order QR starts so)")


MAX_CODE = 64  # the wire's ProductCode (sync/wire_types.py)


def product_code(typed: str, what: str = "product code") -> str:
    """A product code as it is typed or sent (a basket's line, ``kiosk refund --line``) in
    the one form the counter keeps and refunds by: without the spaces around it, which
    nobody sees on a receipt (a till that pads " SP " means SP, and the cashier refunding
    it types SP). InvalidInput, naming ``what``, if it is no product code then
    (:func:`check_code`)."""
    code = typed.strip()
    check_code(code, what)
    return code


def check_code(code: str, what: str = "product code") -> None:
    """One rule for a product code, applied to a sale's lines (``check_sale``) and to the
    codes a refund names, so every line a sale takes can be refunded by its code: 1 to 64
    characters (the wire's), none of them a space at either end (:func:`product_code`
    takes those off what is typed) and every one a character a receipt shows
    (``kiosk.printable``: ``str.isprintable``'s of Unicode 14, whatever Python runs the
    counter). Refused rather than kept as sent: a control character (NUL, ESC) can't go
    up to the ledger at all, and an invisible one (a zero-width space, a right-to-left
    override that turns what the receipt shows around) makes a code that looks like
    another, which the cashier can neither read off the receipt nor type back at a
    refund; it is a mistake in the till's catalogue, said at the first sale. The ledger's
    wire holds a shop's new order or refund to exactly these codes
    (``sync.wire_types.ProductCode``, the same table); what a counter already took goes up
    as it was taken."""
    if (0 < len(code) <= MAX_CODE and code[0] != " " and code[-1] != " "
            and (code.isprintable() if code.isascii() else shows(code))):
        return  # the usual code (ASCII's printable ones are so in every Unicode)
    if code != code.strip():
        raise InvalidInput(f"the {what} {code!r} begins or ends with a space")
    if not 0 < len(code) <= MAX_CODE:
        raise InvalidInput(f"the {what} is 1 to {MAX_CODE} characters")
    check_text(what, code)
    hidden = next((ch for ch in code if not shows(ch)), None)
    if hidden is not None:
        raise InvalidInput(f"the {what} {code!r} contains a character a receipt doesn't "
                           f"show (U+{ord(hidden):04X})", InputProblem.CONTROL_CHARACTER)


class Unreachable(Exception):
    """Known trouble from the world: a service the kiosk needs can't be reached right now.
    Not a refusal: the same request may succeed later, and nothing was lost."""

"""Expected refusals: values the UI and the CLI turn into one plain sentence, never a trace.

Each has a stable ``code`` (for translations and ``--json``) and an English message.
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.limits import text_problem


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
    it would refuse is refused here, before it is written and quarantined at upload."""
    if order_ref is not None and not 0 < len(order_ref) <= 64:
        raise InvalidInput("an order reference is 1 to 64 characters", InputProblem.ORDER_REF)
    check_text("order reference", order_ref)


class Unreachable(Exception):
    """Known trouble from the world: a service the kiosk needs can't be reached right now.
    Not a refusal: the same request may succeed later, and nothing was lost."""

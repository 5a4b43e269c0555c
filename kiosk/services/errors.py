"""Expected refusals: values the UI and the CLI turn into one plain sentence, never a trace.

Each has a stable ``code`` (for translations and ``--json``) and an English message.
"""

from __future__ import annotations


class Refusal(Exception):
    code = "refused"


class NotInitialised(Refusal):
    code = "not_initialised"


class UnknownMember(Refusal):
    code = "unknown_member"


class DuplicateMember(Refusal):
    code = "duplicate_member"


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


class InvalidInput(Refusal):
    code = "invalid_input"


class Unreachable(Exception):
    """Known trouble from the world: a service the kiosk needs can't be reached right now.
    Not a refusal: the same request may succeed later, and nothing was lost."""

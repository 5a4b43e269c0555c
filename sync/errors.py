"""What can go wrong between a kiosk and its ledger, as plain exceptions: the screens say
them to the cashier without importing the HTTP client or the sync machinery."""

from __future__ import annotations

from kiosk.services.errors import Refusal, Unreachable


class LedgerUnavailable(Unreachable):
    """Network down, timed out, reset, or the ledger answered 5xx: try again later."""


class LedgerRefused(Refusal):
    """The ledger understood and said no (401 wrong token, 409 conflict, 422 bad body)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"the ledger refused: {message} ({status})")
        self.status, self.code = status, code


class NotPaired(Refusal):
    code = "not_paired"


class OtherLedger(Refusal):
    code = "other_ledger"

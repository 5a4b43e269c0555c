"""Who makes a call to the ledger, and how the ledger declines one: what every part of the
ledger (``devices.py``, ``ingest.py``, ``counter.py``) takes and may raise, and what the
HTTP layer (``app.py``) turns into an answer."""

from __future__ import annotations

from dataclasses import dataclass


class LedgerRefusal(Exception):
    """A request the ledger understood and declined; ``status`` is the HTTP answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


@dataclass(frozen=True, slots=True)
class Caller:
    device_id: str
    kind: str

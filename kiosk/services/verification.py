"""`kiosk verify`: recompute balances from entries and check every ledger invariant."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.services.context import Kiosk


@dataclass(frozen=True, slots=True)
class VerifyReport:
    problems: tuple[str, ...]
    pending_uploads: int

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_store(kiosk: Kiosk) -> VerifyReport:
    with kiosk.store.read() as tx:
        return VerifyReport(tuple(tx.checks.problems()), tx.outbox.size())

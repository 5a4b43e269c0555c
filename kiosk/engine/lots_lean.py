"""The lean replay: the same wallet as :func:`kiosk.engine.lots.replay`, faster, for the
common history (a ledger's expiry run replays millions of movements: a tuple costs a
twentieth of a dataclass, and a history without reversals needs no record of what each
spending took)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.engine.lots import Lot, Wallet
from kiosk.ledger import EntryKind

LeanMovement = tuple[Any, str, int, datetime, datetime | None, datetime | None, Any, Any]
"""A :class:`Movement`'s fields in its order (id, kind, points, occurred_at, available_at,
expires_at, reverses, lot) as a plain tuple: a ledger's expiry run replays millions of
movements, and a tuple costs a twentieth of a dataclass. Ids may be UUIDs or their 16
bytes (big-endian, so they sort alike); ``kind`` an :class:`EntryKind` or its value."""

_STAMP, _REVERSE, _EXPIRE = EntryKind.STAMP.value, EntryKind.REVERSE.value, EntryKind.EXPIRE.value


@dataclass(frozen=True, slots=True)
class LeanWallet:
    """What :func:`replay_lean` leaves: the balance, the debt and each lot as a list
    ``[spending order, left, available_at, expires_at, points]`` keyed by its id, in the
    order the lots opened (as :class:`Wallet`'s)."""

    balance: int
    debt: int
    lots: dict[Any, list[Any]]

    def wallet(self) -> Wallet:
        """The :class:`Wallet` :func:`replay` makes of the same movements."""
        return Wallet(self.balance, self.debt, tuple(
            Lot(lot_id, points, available_at, expires_at, left)
            for lot_id, (_, left, available_at, expires_at, points) in self.lots.items()))

    def due(self, at: datetime) -> list[tuple[Any, int, datetime]]:
        """(lot id, points left, expires_at) of every lot expired by ``at`` with points
        left, earliest expiry first: :func:`expiry_due`'s lots, in its order."""
        expired = [lot for lot in self.lots.values()
                   if lot[1] > 0 and lot[3] is not None and lot[3] <= at]
        expired.sort(key=_first)
        return [(lot[0][3], lot[1], lot[3]) for lot in expired]


def _first(lot: list[Any]) -> Any:
    return lot[0]


def replay_lean(movements: Iterable[LeanMovement]) -> LeanWallet | None:
    """:func:`replay` for a history without reversals (earns, bonuses, spending and the
    expiries of earlier runs: nearly every member's), or None at the first reversal, when
    the caller replays with :func:`replay`. No record of what each spending took is kept
    (only a reversal reads it) and lots are mutable lists, not new frozen ones per take;
    otherwise it is the same walk, step for step (a property test holds the two equal)."""
    lots: dict[Any, list[Any]] = {}
    debt = balance = 0
    for lot_id, kind, points, at, available_at, expires_at, _, lot in movements:
        if kind == _STAMP:
            continue  # a punch card's stamps are no lot of points
        if kind == _REVERSE:
            return None
        balance += points
        if points > 0:
            available = available_at or at
            paid = min(points, debt)
            debt -= paid
            lots[lot_id] = [(expires_at is None, expires_at or available, available, lot_id),
                            points - paid, available, expires_at, points]
        elif points < 0 and kind == _EXPIRE and lot in lots:
            record = lots[lot]
            taken = min(-points, record[1])
            record[1] -= taken
            debt += -points - taken
        elif points < 0:
            need = -points
            live = sorted((r for r in lots.values()
                           if r[1] > 0 and (r[3] is None or r[3] > at)), key=_first)
            for spendable in (True, False):  # spendable lots, then what is still pending
                for record in live:
                    if need == 0:
                        break
                    if (record[2] <= at) is spendable:
                        taken = min(need, record[1])
                        record[1] -= taken
                        need -= taken
            debt += need
    return LeanWallet(balance, debt, lots)

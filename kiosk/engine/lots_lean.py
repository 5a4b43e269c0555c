"""The lean replay: the same wallet as :func:`kiosk.engine.lots.replay`, faster, for the
common history (a ledger's expiry run replays millions of movements: a tuple costs a
twentieth of a dataclass, and a history without reversals needs no record of what each
spending took)."""

from __future__ import annotations

from bisect import insort
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
    otherwise it is the same walk, step for step (a property test holds the two equal).

    A regular's history opens thousands of lots, nearly all spent or expired long ago: a
    spending walks ``unspent`` (the lots with points left, in spending order, those spent
    or expired by then dropped from its front) instead of sorting every lot again, which
    made a replay quadratic in the history. Dropping an expired lot holds for spending
    dated from then on; one dated earlier (a history out of time order) walks every lot."""
    lots: dict[Any, list[Any]] = {}
    unspent: list[list[Any]] = []
    dropped_at: datetime | None = None  # the latest spending that dropped an expired lot
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
            record: list[Any] = [
                (expires_at is None, expires_at or available, available, lot_id),
                points - paid, available, expires_at, points]
            earlier = lots.get(lot_id)
            if earlier is not None:  # reopened under its id: it replaces the one before
                earlier[1] = 0  # in ``unspent`` only: ``lots`` holds the new one
            lots[lot_id] = record
            if record[1] > 0:
                if not unspent or unspent[-1][0] <= record[0]:
                    unspent.append(record)  # the usual: a history in time order
                else:
                    insort(unspent, record, key=_first)
        elif points < 0 and kind == _EXPIRE and lot in lots:
            record = lots[lot]
            taken = min(-points, record[1])
            record[1] -= taken
            debt += -points - taken
        elif points < 0:
            if dropped_at is not None and at < dropped_at:
                live = sorted((r for r in lots.values()
                               if r[1] > 0 and (r[3] is None or r[3] > at)), key=_first)
            else:
                front = 0
                for r in unspent:  # expiring lots come first, soonest first
                    if r[1] > 0 and (r[3] is None or r[3] > at):
                        break
                    front += 1
                if front:
                    if any(r[1] > 0 for r in unspent[:front]):
                        dropped_at = at
                    del unspent[:front]
                live = unspent  # spent ones in it are passed over
            debt += _take(live, -points, at)
    return LeanWallet(balance, debt, lots)


def _take(live: list[list[Any]], need: int, at: datetime) -> int:
    """Take ``need`` points from ``live`` (in spending order): the spendable lots, then
    what is still pending; what is left over."""
    for spendable in (True, False):
        for record in live:
            if need == 0:
                return 0
            if record[1] > 0 and (record[2] <= at) is spendable:
                taken = min(need, record[1])
                record[1] -= taken
                need -= taken
    return need

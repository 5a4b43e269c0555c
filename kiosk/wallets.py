"""A member's points as the counter tells them: the balance, what is available to spend
now, what is pending (the return window) and what expires soon, from the entries and the
program's ``points`` policy (``kiosk/engine/lots.py``). Pure: the kiosk and the ledger
read the same numbers off the same entries.

Lot dates come from the current program's policy: a policy change re-dates lots earned
before it (the ledger keeps every version; per-version dates are for when policies
change in the field)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.engine.lots import Wallet, movement, replay
from kiosk.ledger import Entry, EntryKind
from kiosk.program import Program

EXPIRE_NOTE = "expire:"  # an expiry entry's note: its once key, naming the lot


@dataclass(frozen=True, slots=True)
class PointsSummary:
    balance: int
    available: int  # what may be spent now (the balance when nothing is pending)
    pending: tuple[tuple[date, int], ...] = ()  # (local day they become available, points)
    expiring: tuple[tuple[date, int], ...] = ()  # (last usable local day, points), soonest first


def _lot_of(entry: Entry) -> uuid.UUID | None:
    if entry.kind is EntryKind.EXPIRE and (entry.note or "").startswith(EXPIRE_NOTE):
        try:
            return uuid.UUID((entry.note or "")[len(EXPIRE_NOTE):])
        except ValueError:
            return None
    return None


def wallet(program: Program, entries: Iterable[Entry]) -> Wallet:
    """The member's lots, replayed from their entries in the order given (the ledger's)."""
    policy, zone = program.points, program.zone
    return replay(movement(e, policy, zone, _lot_of(e)) for e in entries)


def points_summary(program: Program, entries: Sequence[Entry], at: datetime) -> PointsSummary:
    """What the member screen and the receipt say; a program with no pending days and no
    expiry is just the balance (no replay)."""
    policy = program.points
    total = sum(e.points for e in entries)
    if policy.pending_days == 0 and policy.expiry is None:
        return PointsSummary(total, total)
    lots = wallet(program, entries)
    zone = program.zone
    return PointsSummary(
        lots.balance, max(0, lots.available(at)),
        tuple((when.astimezone(zone).date(), points) for when, points in lots.pending(at)),
        tuple(lots.expiring(at, policy.warn_days, zone)))

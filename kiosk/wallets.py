"""A member's points as the counter tells them: the balance, what is available to spend
now, what is pending (the return window) and what expires soon, from the entries and the
program's ``points`` policy (``kiosk/engine/points_policy.py``, replayed into lots by
``kiosk/engine/lots.py``). Pure: the kiosk and the ledger read the same numbers off the
same entries.

Lot dates come from the current program's policy: a policy change re-dates lots earned
before it (the ledger keeps every version; per-version dates are for when policies
change in the field). A received transfer's lot expires no later than its note says (the
giver's points it came from: ``kiosk/engine/transfers.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk.engine.bonuses import BIRTHDAY, FIRST_PURCHASE, local_midnight, window_end
from kiosk.engine.lots import Movement, Wallet, replay
from kiosk.engine.lots_lean import LeanMovement, LeanWallet, replay_lean
from kiosk.engine.points_policy import last_usable_day, lot_dater, lot_dates
from kiosk.engine.transfers import (
    MAX_RECEIVED_PARTS,
    RECEIVED_NOTE,
    RECEIVED_SPREAD,
    carried_expiry,
)
from kiosk.ledger import Entry, EntryKind, balance
from kiosk.program import Program

EXPIRE_NOTE = "expire:"  # an expiry entry's note: its once key, naming the lot
BIRTHDAY_NOTE = f"{BIRTHDAY}:"  # a birthday bonus's note starts so: its lot is dated by it

_TRANSFER = EntryKind.TRANSFER.value  # the only kind whose note may carry an expiry


@dataclass(frozen=True, slots=True)
class PointsSummary:
    balance: int
    available: int  # what may be spent now (the balance when nothing is pending)
    pending: tuple[tuple[date, int], ...] = ()  # (local day they become available, points)
    expiring: tuple[tuple[date, int], ...] = ()  # (last usable local day, points), soonest first


def lot_window(program: Program, earned_at: datetime, purchase: bool
               ) -> tuple[datetime, datetime | None]:
    """When a lot becomes spendable and when it expires. Only points from a purchase (an
    entry with an order: its earn and its promotions) wait out the return window; a
    sign-up, birthday or manual bonus can't be returned, so it is spendable at once."""
    available, expires = lot_dates(program.points, earned_at, program.zone)
    return (available if purchase else earned_at), expires


def wallet(program: Program, entries: Iterable[Entry]) -> Wallet:
    """The member's lots, replayed from their entries in the order given (the ledger's)."""
    return replay(entry_movement(program, e.id, e.kind, e.points, e.occurred_at, e.reverses,
                                 e.note, e.order_ref is not None) for e in entries)


def entry_movement(program: Program, entry_id: uuid.UUID, kind: EntryKind, points: int,
                   occurred_at: datetime, reverses: uuid.UUID | None, note: str | None,
                   purchase: bool) -> Movement:
    """An entry's fields as the lots see them (the kiosk's entries and the ledger's rows)."""
    available = expires = None
    if points > 0 and kind is not EntryKind.REVERSE:
        available, expires = entry_lot(program, occurred_at, note, purchase, kind)
    lot = expired_lot(note) if kind is EntryKind.EXPIRE else None
    return Movement(entry_id, kind, points, occurred_at, available, expires, reverses, lot)


def entry_lot(program: Program, occurred_at: datetime, note: str | None, purchase: bool,
              kind: str = EntryKind.EARN) -> tuple[datetime, datetime | None]:
    """(available_at, expires_at) of the lot an entry that adds points opens."""
    available, expires = lot_window(program, occurred_at, purchase)
    if note == FIRST_PURCHASE:
        # Dated at enrolment (a stable fact), granted maybe a year later: its age
        # isn't the lot's, so it doesn't expire by it.
        expires = None
    elif expires is not None and note is not None and note.startswith(BIRTHDAY_NOTE):
        expires = lot_dates(program.points, _birthday_counted_from(program, occurred_at),
                            program.zone)[1]
    elif expires is not None and kind == _TRANSFER and note is not None \
            and note.startswith(RECEIVED_NOTE):
        expires = _received_expiry(expires, note, occurred_at)
    return available, expires


def _received_expiry(expires: datetime, note: str, occurred_at: datetime) -> datetime:
    """A received transfer's lot expires by its own date or, if earlier, the one its note
    carries (the giver's points keep their age); a note without one leaves its own, and
    so does one that carries a time before the transfer (the giver's points were
    spendable then: only a note the ledger didn't write says so)."""
    carried = carried_expiry(note)
    if carried is None or carried < occurred_at - RECEIVED_SPREAD:
        return expires
    return min(expires, carried)


def _birthday_counted_from(program: Program, occurred_at: datetime) -> datetime:
    """A birthday bonus is dated at its window's start (a stable fact) but granted at any
    visit in it: its lot ages from the window's last day, so it is never expired when
    given."""
    start = occurred_at.astimezone(program.zone).date()
    return local_midnight(window_end(program.bonuses.birthday, start), program.zone)


def entry_lot_dater(program: Program) -> Callable[
        [datetime, str | None, bool, str], tuple[datetime, datetime | None]]:
    """``entry_lot(program, occurred_at, note, purchase, kind)`` as a function of the entry's
    fields alone, for a ledger's expiry run over millions of entries: the same dates."""
    dates = lot_dater(program.points, program.zone)

    def lot(occurred_at: datetime, note: str | None, purchase: bool, kind: str
            ) -> tuple[datetime, datetime | None]:
        available, expires = dates(occurred_at)
        if not purchase:
            available = occurred_at
        if note is None or expires is None:
            return available, expires
        if note == FIRST_PURCHASE:
            return available, None
        if note.startswith(BIRTHDAY_NOTE):
            return available, dates(_birthday_counted_from(program, occurred_at))[1]
        if kind == _TRANSFER and note.startswith(RECEIVED_NOTE):
            return available, _received_expiry(expires, note, occurred_at)
        return available, expires

    return lot


def expired_lot(note: str | None) -> uuid.UUID | None:
    """The lot an expiry entry names in its note (None if it names none)."""
    if not (note or "").startswith(EXPIRE_NOTE):
        return None
    try:
        return uuid.UUID((note or "")[len(EXPIRE_NOTE):])
    except ValueError:
        return None


def points_summary(program: Program, entries: Sequence[Entry], at: datetime) -> PointsSummary:
    """What the member screen and the receipt say; a program with no pending days and no
    expiry is just the balance (no replay)."""
    policy = program.points
    total = balance(entries)
    if not policy.has_lots:
        return PointsSummary(total, total)
    lots = wallet(program, entries)
    zone = program.zone
    pending: dict[date, int] = {}  # one line a day, as the member is told
    for when, points in lots.pending(at):
        day = when.astimezone(zone).date()
        pending[day] = pending.get(day, 0) + points
    return PointsSummary(lots.balance, max(0, lots.available(at)), tuple(pending.items()),
                         tuple(lots.expiring(at, policy.warn_days, zone)))


def spendable(program: Program, balance: int, entries: Callable[[], Sequence[Entry]],
              at: datetime) -> int:
    """What a redemption may take now: the balance, or, when the program has pending days
    or expiry, the points available (read off the entries only then)."""
    policy = program.points
    if not policy.has_lots:
        return balance
    return points_summary(program, entries(), at).available


LotRow = tuple[bytes, str, int, datetime, bytes | None, str | None, bool]
"""An entry as the lots read it, straight off the store: its id's 16 bytes, kind, points,
time, the id it reverses, note, and whether it has an order (a purchase's points wait out
the return window)."""

_REVERSE, _EXPIRE = EntryKind.REVERSE.value, EntryKind.EXPIRE.value


def lean_points_summary(program: Program, rows: Iterable[LotRow], at: datetime
                        ) -> PointsSummary | None:
    """:func:`points_summary` of the entries ``rows`` are, in the same order, without an
    Entry, a Movement or a Lot made for each (a regular's history is thousands of
    entries, replayed at every scan and sale: ~10x cheaper); None for a history with a
    reversal, which only the full replay reads (the caller's turn)."""
    policy = program.points
    lean = replay_lean(_lean_movements(program, rows))
    if lean is None:
        return None
    if not policy.has_lots:
        return PointsSummary(lean.balance, lean.balance)
    return _summary(lean, at, policy.warn_days, program)


def _lean_movements(program: Program, rows: Iterable[LotRow]) -> list[LeanMovement]:
    lot_of = entry_lot_dater(program)
    movements: list[LeanMovement] = []
    for entry_id, kind, points, occurred_at, reverses, note, purchase in rows:
        available = expires = None
        if points > 0 and kind != _REVERSE:
            available, expires = lot_of(occurred_at, note, purchase, kind)
        named = None
        if kind == _EXPIRE:
            lot = expired_lot(note)
            named = None if lot is None else lot.bytes
        movements.append((entry_id, kind, points, occurred_at, available, expires, reverses,
                          named))
    return movements


def transfer_parts(program: Program, rows: Iterable[LotRow],
                   entries: Callable[[], Sequence[Entry]], points: int, at: datetime
                   ) -> list[tuple[int, datetime | None]]:
    """The receiving side of a transfer of ``points`` at ``at``: (points, expires_at) of
    each entry, one per expiry among the giver's lots it takes, in spending order (None:
    never expires; ``at``: none of the giver's lots holds them, they expire at once).
    Past :data:`MAX_RECEIVED_PARTS` the last ones are one part at the latest of their
    dates, so no point given expires sooner than it would have; the points that never
    expire stay a part of their own. ``rows`` as
    :func:`lean_points_summary` reads them; ``entries`` the same, read only for a history
    with a reversal (the full replay's turn)."""
    if program.points.expiry is None:
        return [(points, None)]
    lean = replay_lean(_lean_movements(program, rows))
    lots = lean.wallet() if lean is not None else wallet(program, entries())
    taken = lots.taken_by(points, at)
    lasting = [part for part in taken if part[1] is None]
    dated = [part for part in taken if part[1] is not None]
    if len(dated) + len(lasting) > MAX_RECEIVED_PARTS:
        keep = MAX_RECEIVED_PARTS - len(lasting) - 1
        tail = dated[keep:]
        dated = [*dated[:keep], (sum(p for p, _ in tail), max(d for _, d in tail if d))]
    return dated + lasting


def _summary(lean: LeanWallet, at: datetime, warn_days: int, program: Program
             ) -> PointsSummary:
    """What :meth:`Wallet.available`, ``pending`` and ``expiring`` say of the same lots."""
    zone, until = program.zone, at + timedelta(days=warn_days)
    spendable = 0
    by_time: dict[datetime, int] = {}
    by_day: dict[date, int] = {}
    for _, left, available_at, expires_at, _ in lean.lots.values():
        if left <= 0:
            continue
        expired = expires_at is not None and expires_at <= at
        if expired:
            continue
        if available_at <= at:
            spendable += left
        else:
            by_time[available_at] = by_time.get(available_at, 0) + left
        if expires_at is not None and expires_at <= until:
            day = last_usable_day(expires_at, zone)
            by_day[day] = by_day.get(day, 0) + left
    pending: dict[date, int] = {}  # one line a day, as the member is told
    for when, points in sorted(by_time.items()):
        day = when.astimezone(zone).date()
        pending[day] = pending.get(day, 0) + points
    available = min(lean.balance, spendable - lean.debt)
    return PointsSummary(lean.balance, max(0, available), tuple(pending.items()),
                         tuple(sorted(by_day.items())))

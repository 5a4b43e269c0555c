"""A spend that reaches the ledger after an expiry run, dated before an expiry the run
recorded (an offline kiosk's redemption; review 28a, issue 14: expiry never takes a spent
point).

The ledger replays a member's lots in its order of truth, seq, and the run's expiry
entries are numbered when the run makes them but dated when their lot expired. A spend
dated before that and numbered after it finds the lot emptied by the expiry: it takes
later lots instead, or overdraws, and the member loses what the expiry took of points the
spend had in truth already taken. So, before numbering such a spend, the ledger numbers a
correction for each expiry that took points the spend takes: in spending order at the
spend's own time (``kiosk.engine.lots``), each expired lot holding what its expiry took
less what earlier corrections gave back. A correction is a reversal of that much of the
expiry, dated at the spend, under an id derived from the expiry and the spend (so once,
however often the spend is sent). The replay gives back the points of an expiry reversed
before its lot expired with the lot's dates (``kiosk.engine.lots``), so the spend takes
them first: balances, lots and the next run's expiries are those of the spend having come
before the run, on the ledger and on every kiosk that pulls them.

Why not a run that leaves lots alone until an offline window has passed: it is right only
for spends within the window, and nothing bounds how long a kiosk stays offline; and every
member's expired points would stay in their balance that much longer. A correction costs
a read of the member's entries, only for a spend dated before one of the member's recorded
expiries (found by one query per upload that spends; on PostgreSQL's one-statement path,
after its append under the head's lock, and such a batch goes the careful way instead),
and one query of the device's numbering (a spend its device made after an entry dated
later gets none: :func:`back_dated`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, func, select, text

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.lots import Lot
from kiosk.engine.orders import derived_id
from kiosk.ledger import EntryKind, moves_points
from kiosk.program import Program
from kiosk.wallets import expired_lot, wallet
from sync.protocol import EntryWire
from sync.server import models as m
from sync.server.bulk import keys_present
from sync.server.calls import Caller
from sync.server.entry_rows import ENTRIES, as_utc, member_entries

UNEXPIRE_NOTE = "unexpire:"
# A literal, not a bound parameter: a partial index is used only where the query's own
# text implies its predicate (ix_entries_expiry, migration 0015; on PostgreSQL, a prepared
# statement's generic plan too).
_EXPIRES = text("entries.kind = 'expire'")  # a correction's note: the spend it was made for


def late_spends(conn: Connection, entries: Sequence[EntryWire], caller: Caller
                ) -> set[uuid.UUID]:
    """The ids of the spends among ``entries`` (a batch ``caller`` sent), new to the
    ledger, dated before an expiry of their member's that the ledger holds and not numbered
    after anything dated later (:func:`back_dated`): each needs :func:`corrections` first."""
    late = dated_before_expiries(conn, entries)
    if not late:
        return set()
    known = keys_present(conn, ENTRIES, "id", {e.id for e in late})
    late = [e for e in late if e.id not in known]
    dated_back = back_dated(conn, caller.device_id, entries, late) if late else set()
    return {e.id for e in late if e.id not in dated_back}


def back_dated(conn: Connection, device_id: str, batch: Sequence[EntryWire],
               spends: Sequence[EntryWire]) -> set[uuid.UUID]:
    """The ids of ``spends`` that their device numbered after an entry dated later (on the
    ledger or in ``batch``): made after it, whatever their date says (a clock set back, a
    stolen token), so maybe after the expiry too. Such a spend gets no correction: its
    overdraft is recorded, as any spend past the balance. One query (by the receipts' key)
    finds the device's entries numbered below the spend and dated after it: none for a
    device whose clock ran true (it dates its entries in order). Not counted: the program
    channel's, dated by a stable fact, not the clock (as ``counter.clock_flags``). No
    tolerance: a spend dated a second early gets no correction (an overdraft, no worse than
    before corrections)."""
    numbered = [e for e in spends if e.device_seq is not None]
    if not numbered:
        return set()
    top = max(e.device_seq for e in numbered if e.device_seq is not None)
    earliest = min(e.occurred_at for e in numbered)
    R, E = m.Receipt.__table__.c, ENTRIES.c
    marks = [(int(seq), as_utc(when)) for seq, when in conn.execute(
        select(R.device_seq, E.occurred_at).select_from(
            m.Receipt.__table__.join(ENTRIES, E.id == R.entry_id)).where(
            R.device_id == device_id, R.device_seq < top, E.occurred_at > earliest,
            E.channel != DERIVED_CHANNEL))]
    marks += [(e.device_seq, e.occurred_at) for e in batch
              if e.device_seq is not None and e.channel != DERIVED_CHANNEL]
    return {e.id for e in numbered if any(
        seq < (e.device_seq or 0) and when > e.occurred_at for seq, when in marks)}


def dated_before_expiries(conn: Connection, entries: Iterable[EntryWire]) -> list[EntryWire]:
    """The spends among ``entries`` dated before an expiry of their member's on the ledger
    (one query)."""
    spends = [e for e in entries
              if e.points < 0 and e.kind is not EntryKind.EXPIRE and moves_points(e.kind)]
    if not spends:
        return []
    earliest: dict[uuid.UUID, datetime] = {}
    for e in spends:
        earliest[e.member_id] = min(e.occurred_at, earliest.get(e.member_id, e.occurred_at))
    members = sorted(earliest)
    latest: dict[uuid.UUID, datetime] = {}
    E = ENTRIES.c
    for i in range(0, len(members), 500):  # SQLite's parameter limit
        latest.update((member, as_utc(at)) for member, at in conn.execute(
            select(E.member_id, func.max(E.occurred_at)).where(
                E.member_id.in_(members[i:i + 500]), _EXPIRES)
            .group_by(E.member_id)))
    return [e for e in spends if e.member_id in latest and e.occurred_at < latest[e.member_id]]


def corrections(conn: Connection, program: Program, spend: EntryWire) -> list[EntryWire]:
    """The reversals of expiries to number just before ``spend`` (the module's docstring),
    from the member's entries on the ledger and the lot dates of ``program``."""
    entries = member_entries(conn, spend.member_id)
    at = spend.occurred_at
    expiries = {named: e for e in entries if e.kind is EntryKind.EXPIRE
                and e.occurred_at > at and (named := expired_lot(e.note)) is not None}
    held = {lot: -e.points for lot, e in expiries.items()}  # what each expiry took, net
    of_expiry = {e.id: lot for lot, e in expiries.items()}
    for e in entries:
        if e.kind is EntryKind.REVERSE and e.reverses in of_expiry:
            held[of_expiry[e.reverses]] -= e.points
    lots = wallet(program, entries).lots

    def left(lot: Lot) -> int:
        return held.get(lot.id, lot.left)  # an expired lot's points, had it not expired

    # The spend's walk (kiosk.engine.lots, _Replay.spend): a reversal's own lot first, then
    # the lots spendable at its time in spending order, then (an overdraft) pending ones.
    first = next((x for x in lots if x.id == spend.reverses), None) \
        if spend.kind is EntryKind.REVERSE else None
    live = sorted((x for x in lots if left(x) > 0 and not x.expired(at) and x is not first),
                  key=lambda x: (x.expires_at is None, x.expires_at or x.available_at,
                                 x.available_at, x.id))
    order = ([first] if first is not None else []) + \
        [x for x in live if x.spendable(at)] + [x for x in live if not x.spendable(at)]
    points, out = -spend.points, []
    for lot in order:
        if points <= 0:
            break
        take = min(points, left(lot))
        points -= take
        if lot.id in held and take > 0:
            expiry = expiries[lot.id]
            out.append(EntryWire(
                id=derived_id(spend.member_id, f"{UNEXPIRE_NOTE}{expiry.id}:{spend.id}"),
                member_id=spend.member_id, kind=EntryKind.REVERSE, points=take,
                channel=DERIVED_CHANNEL, occurred_at=at,
                program_version=program.version, reverses=expiry.id,
                note=f"{UNEXPIRE_NOTE}{spend.id}"))
    return out


def numbered_after(entries: Sequence[EntryWire], late: set[uuid.UUID]
                   ) -> list[tuple[EntryWire | None, list[EntryWire]]]:
    """``entries`` cut before each late spend: (the late spend that starts a part, or None
    for the first part; the entries of the part, that spend first)."""
    parts: list[tuple[EntryWire | None, list[EntryWire]]] = [(None, [])]
    for e in entries:
        if e.id in late:
            parts.append((e, []))
        parts[-1][1].append(e)
    return parts

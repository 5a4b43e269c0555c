"""The bounds the program sets on what one device does for one member in a store day,
checked by the ledger over the upload and the device's entries it holds (DESIGN rule 6 and
"The program engine", point 3: a stolen kiosk token is not a licence to mint points, nor
to drain a member's).

* Spending without a hold (an offline redemption, checkout or donation: an online one's
  hold has the entry's id) stays within the ``[offline]`` floor limits, as the counter
  checks them (``kiosk.services.redemption.within_offline_limits``): at most
  ``max_points_per_redemption`` at once; the member's redemptions and donations at this
  device in the store day of the entry, with it, at most ``max_points_per_member_per_day``
  (the counter's sum, ``kiosk.store.entry_rows``: both kinds, as each is held to it); and
  fewer than ``max_consecutive_redemptions`` redemptions or donations ahead of it in the
  same upload (all of them were waiting at the counter when it was made; across uploads
  the day's sum bounds).
* The shop spends only through a hold or an order, never offline: a redemption or
  donation it uploads with no hold is refused.
* A hold past its time stays the ledger's yes for its entry until the ledger gives its
  points to another taker; then the entry is spent without one (:func:`_held`).
* Adjustments: one device's adjustments of one member in a store day total at most
  ``limits.max_adjustment_points``, up and down alike (``kiosk.services.manager``).

The counter checks the redemptions it made before, held ones too, in the order it made
them; the ledger can trust neither a device's numbering nor its clock's order, so it adds
up every unheld redemption (or adjustment) of that day it holds, and those before the
entry in this upload, whenever they were made. An honest counter never exceeds the bound
with the last of them, so that sum never exceeds it either: nothing an honest counter
accepted is refused, whatever order its uploads arrive in.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, select

from kiosk.audit import Rejected, Rejection
from kiosk.ledger import EntryKind
from kiosk.program import Program
from kiosk.services.redemption import store_day
from sync.protocol import EntryWire
from sync.server import models as m
from sync.server.entry_rows import ENTRIES, as_utc

ProgramOf = Callable[[str], Program | None]
Day = tuple[datetime, datetime]

_HOLDS = m.Reservation.__table__
_SPENDS = (EntryKind.REDEEM, EntryKind.DONATE)  # what the floor holds, and counts
LAPSED = "lapsed"  # a hold past its time whose points the ledger has given to another taker


def floor_limit_problems(conn: Connection, device: str, entries: Sequence[EntryWire],
                         program_of: ProgramOf, refused: Collection[uuid.UUID], *,
                         held: bool = False) -> dict[uuid.UUID, Rejection]:
    """The entries of ``device``'s upload beyond the bounds above, by id (``refused``: ids
    refused already, which the ledger won't hold). ``held``: the entries are being held
    online (``counter.hold_points``), so no floor limit applies to them."""
    out: dict[uuid.UUID, Rejection] = {}
    mine = [e for e in entries if e.channel == device and e.id not in refused
            and program_of(e.program_version) is not None]
    spends = [] if held else [e for e in mine if e.kind in _SPENDS and e.points < 0]
    if spends and _device_kind(conn, device) == "shop":
        out.update(_unheld_shop_spends(conn, device, spends))
    elif spends:
        out.update(_offline_spends(conn, device, mine, spends, program_of))
    adjusts = [e for e in mine if e.kind is EntryKind.ADJUST]
    if adjusts:
        out.update(_adjustments(conn, device, adjusts, program_of))
    return out


def _offline_spends(conn: Connection, device: str, mine: Sequence[EntryWire],
                    spends: Sequence[EntryWire], program_of: ProgramOf
                    ) -> dict[uuid.UUID, Rejection]:
    unheld = {e.id for e in spends} - _held(conn, device, [_Point.of(e) for e in spends])
    if not unheld:
        return {}
    days = {e.id: _day(e, program_of) for e in spends if e.id in unheld}
    stored = _stored(conn, device, _SPENDS, [e for e in spends if e.id in unheld], days, mine)
    held = _held(conn, device, stored)
    spent = [p for p in stored if p.id not in held]  # grows with this upload's own
    out: dict[uuid.UUID, Rejection] = {}
    waiting = 0  # spends ahead in this upload: all were waiting at the counter
    for e in mine:
        if e.id in unheld:
            program = program_of(e.program_version)
            assert program is not None
            why = _floor_problem(program, e, days[e.id], waiting, spent)
            if why is not None:
                out[e.id] = Rejection(Rejected.OFFLINE_LIMIT, f"spent without a hold: {why}")
            else:
                spent.append(_Point.of(e))
        if e.kind in _SPENDS:
            waiting += 1
    return out


def _unheld_shop_spends(conn: Connection, device: str, spends: Sequence[EntryWire]
                        ) -> dict[uuid.UUID, Rejection]:
    """The shop is never offline: it spends only through the ledger's yes, a hold (``POST
    /v1/holds``, a checkout's) or an order, whose redemption the ledger holds for it
    (``counter.OnlineCounter.order``). One it uploads with no hold is refused whole, else a
    leaked shop token could upload any member's points away, each only an overdraft."""
    held = _held(conn, device, [_Point.of(e) for e in spends])
    return {e.id: Rejection(Rejected.OFFLINE_LIMIT, (
                "spent without a hold: the shop spends a member's points only through a "
                "hold or an order the ledger checks against their available points"))
            for e in spends if e.id not in held}


def _floor_problem(program: Program, e: EntryWire, day: Day, waiting: int,
                   spent: Iterable[_Point]) -> str | None:
    """Why the counter's floor limits would not have let ``e`` through, or None."""
    limits, cost = program.offline, -e.points
    if cost > limits.max_points_per_redemption:
        return (f"{cost} points is more than the {limits.max_points_per_redemption} a kiosk "
                "may redeem at once while offline")
    if waiting >= limits.max_consecutive_redemptions:
        return (f"{waiting} redemptions were waiting ahead of it (donations count too); "
                f"offline a kiosk takes at most {limits.max_consecutive_redemptions} before "
                "it syncs")
    today = -sum(p.points for p in spent
                 if p.member_id == e.member_id and day[0] <= p.occurred_at < day[1])
    if today + cost > limits.max_points_per_member_per_day:
        return (f"the member's redemptions and donations at this kiosk on "
                f"{_date(program, day)} would come to {today + cost} points; offline the "
                f"limit is {limits.max_points_per_member_per_day} a day")
    return None


def _adjustments(conn: Connection, device: str, adjusts: Sequence[EntryWire],
                 program_of: ProgramOf) -> dict[uuid.UUID, Rejection]:
    days = {e.id: _day(e, program_of) for e in adjusts}
    adjusted = _stored(conn, device, (EntryKind.ADJUST,), adjusts, days, adjusts)
    out: dict[uuid.UUID, Rejection] = {}
    for e in adjusts:
        program = program_of(e.program_version)
        assert program is not None
        bound, day = program.limits.max_adjustment_points, days[e.id]
        total = abs(e.points) + sum(abs(p.points) for p in adjusted
                                    if p.member_id == e.member_id
                                    and day[0] <= p.occurred_at < day[1])
        if total > bound:
            out[e.id] = Rejection(Rejected.ADJUSTMENT, (
                f"this kiosk's adjustments of the member on {_date(program, day)} would come "
                f"to {total} points; program {program.version} allows {bound} a store day, "
                "up and down alike"))
        else:
            adjusted.append(_Point.of(e))
    return out


class _Point(NamedTuple):
    """What the sums read of an entry: whose, when, how many points."""

    id: uuid.UUID
    member_id: uuid.UUID
    occurred_at: datetime
    points: int

    @classmethod
    def of(cls, e: EntryWire) -> _Point:
        return cls(e.id, e.member_id, as_utc(e.occurred_at), e.points)


def _device_kind(conn: Connection, device: str) -> str | None:
    kind: str | None = conn.execute(select(m.Device.kind).where(m.Device.id == device)).scalar()
    return kind


def _held(conn: Connection, device: str, spends: Sequence[_Point]) -> set[uuid.UUID]:
    """The spends a hold of this device authorised online: one with the entry's id, member
    and points, neither voided nor lapsed. One past its time still counts (the counter was
    told yes, and its entry may come later) until the ledger gives its points to another
    taker (``holds.Holds.take_over_lapsed`` marks it ``lapsed``): from then on its
    entry is spent without a yes, an offline spend held to the floor limits. Else one
    member's points could be held again and again for one-second holds, each entry then
    exempt from every bound."""
    if not spends:
        return set()
    h = _HOLDS.c
    wanted = {p.id: (p.member_id, p.points) for p in spends}
    return {row.id for row in conn.execute(
        select(h.id, h.member_id, h.points).where(
            h.id.in_(list(wanted)), h.device_id == device,
            h.state.not_in(("voided", LAPSED))))
        if wanted[row.id] == (row.member_id, row.points)}


def _stored(conn: Connection, device: str, kinds: Collection[EntryKind],
            claims: Sequence[EntryWire], days: Mapping[uuid.UUID, Day],
            upload: Sequence[EntryWire]) -> list[_Point]:
    """The ledger's entries of ``kinds`` of ``device`` for the claims' members in their
    store days (this upload's own left out: a replay's are counted where they stand in
    it)."""
    e = ENTRIES.c
    sent = {w.id for w in upload}
    rows = conn.execute(select(e.id, e.member_id, e.occurred_at, e.points).where(
        e.channel == device, e.kind.in_([k.value for k in kinds]),
        e.member_id.in_(list({w.member_id for w in claims})),
        e.occurred_at >= min(days[w.id][0] for w in claims),
        e.occurred_at < max(days[w.id][1] for w in claims)))
    return [_Point(r.id, r.member_id, as_utc(r.occurred_at), int(r.points))
            for r in rows if r.id not in sent]


def _day(e: EntryWire, program_of: ProgramOf) -> Day:
    program = program_of(e.program_version)
    assert program is not None
    return store_day(program, as_utc(e.occurred_at))


def _date(program: Program, day: Day) -> str:
    return day[0].astimezone(program.zone).date().isoformat()

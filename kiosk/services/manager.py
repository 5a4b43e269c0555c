"""What only a store manager may do at the counter: correct a balance with a stated reason,
read today's figures, and guard both behind a manager's own PIN (``services/staff.py``).

An adjustment is an ordinary ledger entry of kind ``adjust`` whose note carries the reason
and who approved it, so the audit trail is the ledger itself and syncs like everything else.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from kiosk.engine.doc import LANGUAGES
from kiosk.ledger import SPEND_KINDS, Entry, EntryKind
from kiosk.services.context import Kiosk
from kiosk.services.errors import (
    InputProblem,
    InvalidInput,
    Refusal,
    UnknownMember,
    check_text,
)
from kiosk.services.redemption import store_day, store_day_start
from kiosk.services.staff import (
    MAX_PIN,
    MIN_PIN,
    NoManagerPin,
    NotAManager,
    PinLocked,
    WrongPin,
    acting,
    check_name,
    check_pin,
    hash_pin,
    record,
)
from kiosk.staff import AuditAction, Role, StaffMember

__all__ = ["MAX_PIN", "MIN_PIN", "NoManagerPin", "PinLocked", "WrongPin"]


class AdjustmentLimitReached(Refusal):
    """A member's adjustments at this kiosk today would pass the program's bound, which the
    ledger holds every device to (``sync/server/floor_limits.py``): uploaded, it would be
    refused and the member's balance here would disagree with the ledger's."""

    code = "adjustment_limit"

LANGUAGE_SETTING = "store_language"
MAX_ADJUSTMENT = 100_000
FIRST_MANAGER = "Manager"  # who `kiosk manager-pin` sets the PIN of (migration 0006 too)


def set_manager_pin(kiosk: Kiosk, pin: str, name: str = FIRST_MANAGER) -> StaffMember:
    """The PIN of the manager ``name`` (made a manager if new): `kiosk manager-pin`, and
    the way back in for a store whose managers all forgot theirs. Wrong tries so far are
    forgiven. A cashier of that name is refused: promoting someone is `kiosk staff`'s."""
    name = check_name(name)
    digest = hash_pin(pin)
    with kiosk.store.write() as tx:
        person = tx.staff.by_name(name)
        if person is None:
            person = StaffMember(kiosk.new_id(), name, Role.MANAGER)
            tx.staff.add(person, digest, kiosk.clock())
            record(tx, kiosk, AuditAction.MANAGER_ADDED, name)
        elif not person.is_manager:
            raise NotAManager(f"{person.name} is a cashier on this kiosk, not a manager")
        else:
            tx.staff.set_pin(person.id, digest)
            record(tx, kiosk, AuditAction.PIN_CHANGED, person.name)
    return person


def managers(kiosk: Kiosk) -> list[StaffMember]:
    with kiosk.store.read() as tx:
        return [p for p in tx.staff.active() if p.is_manager]


def open_manager(kiosk: Kiosk, staff_id: uuid.UUID, pin: str) -> StaffMember:
    """A manager's own PIN opens the manager screen; what they do there names them."""
    return check_pin(kiosk, staff_id, pin, manager=True, action=AuditAction.MANAGER_OPENED)


def check_manager_pin(kiosk: Kiosk, pin: str, name: str = FIRST_MANAGER) -> StaffMember:
    """:func:`open_manager` for the manager named ``name`` (scripts and tests)."""
    with kiosk.store.read() as tx:
        person = tx.staff.by_name(name)
    if person is None or not person.is_manager:
        raise NoManagerPin(f"no manager named {name!r} on this kiosk: set one with "
                           "`kiosk manager-pin` or `kiosk staff add`")
    return open_manager(kiosk, person.id, pin)


def store_language(kiosk: Kiosk) -> str:
    """The language the counter starts in and comes back to between customers."""
    with kiosk.store.read() as tx:
        return tx.settings.get(LANGUAGE_SETTING) or LANGUAGES[0]


def set_store_language(kiosk: Kiosk, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(f"the store's language is one of {', '.join(LANGUAGES)}, "
                           f"not {language!r}")
    with kiosk.store.write() as tx:
        tx.settings.set(LANGUAGE_SETTING, language)


@dataclass(frozen=True, slots=True)
class AdjustmentResult:
    entry: Entry
    balance: int


def adjust_points(kiosk: Kiosk, member_id: uuid.UUID, points: int, reason: str,
                  approved_by: str = FIRST_MANAGER) -> AdjustmentResult:
    """A manual correction: signed points with a reason that stays on the ledger, naming
    the manager who approved it (the one who opened the manager screen). A member's
    adjustments at one kiosk in a store day total at most the program's
    ``limits.max_adjustment_points``, up and down alike: a correction, not a way to mint
    (or drain) points."""
    check_text("reason", reason, layout=True)
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("an adjustment needs a reason", InputProblem.ADJUSTMENT_REASON)
    bound = min(MAX_ADJUSTMENT, kiosk.program.limits.max_adjustment_points)
    if points == 0 or abs(points) > bound:
        raise InvalidInput(f"an adjustment is between 1 and {bound} points, up or down",
                           InputProblem.ADJUSTMENT_SIZE)
    entry = Entry(kiosk.new_id(), member_id, EntryKind.ADJUST, points, kiosk.channel,
                  kiosk.clock(), kiosk.program.version,
                  note=f"{reason} (approved by {approved_by})"[:200],
                  staff=acting(kiosk, approved_by))
    with kiosk.store.write() as tx:
        if tx.members.get(member_id) is None:
            raise UnknownMember("this member is not known at this kiosk")
        start, end = store_day(kiosk.program, entry.occurred_at)
        today = sum(abs(e.points) for e in tx.entries.of_member(member_id)
                    if e.kind is EntryKind.ADJUST and e.channel == kiosk.channel
                    and start <= e.occurred_at < end)
        if today + abs(points) > bound:
            raise AdjustmentLimitReached(
                f"this member's adjustments here today come to {today} points; a kiosk may "
                f"adjust a member by at most {bound} points a day (max_adjustment_points), "
                "up and down alike")
        tx.entries.append([entry])
        record(tx, kiosk, AuditAction.ADJUSTMENT, f"{points:+d} · {reason}",
               approved_by=approved_by)
        return AdjustmentResult(entry, tx.entries.balance(member_id))


@dataclass(frozen=True, slots=True)
class DayFigures:
    """This kiosk's store day so far, as a manager reads it at closing."""

    enrolments: int
    sales: int  # rung up today
    sales_minor: int  # net of refunds
    refunds: int  # sales refunded today (rung up today or before)
    points_issued: int  # earned, bonuses and adjustments, net of refunds
    points_redeemed: int
    redemptions: int


def todays_figures(kiosk: Kiosk) -> DayFigures:
    since = store_day_start(kiosk.program, kiosk.clock())
    with kiosk.store.read() as tx:
        entries = tx.entries.since(since, kiosk.channel)
        enrolments = tx.members.enrolled_since(since, kiosk.channel)
    issued = redeemed = 0
    for e in entries:
        if e.kind is EntryKind.STAMP:
            continue  # a punch card's stamps, not points
        if e.kind is EntryKind.REDEEM or (e.kind is EntryKind.REVERSE and e.points > 0):
            redeemed -= e.points  # a reversed redemption gives its points back
        elif e.kind is not EntryKind.DONATE:
            issued += e.points  # a refund's reversal takes back what the sale earned
    return DayFigures(
        enrolments=enrolments,
        sales=sum(1 for e in entries if e.kind is EntryKind.EARN),
        sales_minor=sum(e.amount_minor for e in entries if e.kind in SPEND_KINDS),
        refunds=sum(1 for e in entries if e.kind is EntryKind.REVERSE and e.amount_minor < 0),
        points_issued=issued, points_redeemed=redeemed,
        redemptions=sum(1 for e in entries if e.kind is EntryKind.REDEEM))

"""Who is at the counter: staff with their own PINs, the cashier on duty, a manager's
approval by name, and the trail of it all.

A shared manager PIN said only "approved by manager"; the store owner asking who refunded
an order, or who let a NT$80,000 sale through, had no answer. Each person now signs in
with their own PIN, every entry names the person on duty, and what needed a manager
names the manager who approved it. PINs are kept as salted scrypt hashes, and each
person's PIN locks after wrong tries of its own (see :func:`check_pin`).

Who counts as being at the counter: once a kiosk has a cashier, or more than one person,
the counter asks who is there before anything that makes entries. A kiosk with only the
one manager its owner set up (as every kiosk upgraded from the shared manager PIN has)
works as before; nobody would be asked for the manager's PIN to ring up a sale.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import uuid
from datetime import datetime, timedelta

from kiosk.services.context import Kiosk
from kiosk.services.errors import InputProblem, InvalidInput, Refusal, check_text
from kiosk.services.ports import UnitOfWork
from kiosk.staff import MAX_NAME, AuditAction, AuditEvent, Role, StaffMember

FREE_TRIES = 5
FIRST_LOCK = timedelta(seconds=30)
MIN_PIN, MAX_PIN = 4, 12  # digits
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class WrongPin(Refusal):
    code = "wrong_pin"


class PinLocked(Refusal):
    """Too many wrong PINs in a row: the PIN pads open again after ``wait``."""

    code = "pin_locked"

    def __init__(self, wait: timedelta) -> None:
        self.seconds = max(1, math.ceil(wait.total_seconds()))
        super().__init__(f"too many wrong PINs: try again in {self.seconds} s")


class NoManagerPin(Refusal):
    """No manager on this kiosk yet, so nothing that needs one can be approved."""

    code = "no_manager_pin"


class NotAManager(Refusal):
    code = "not_a_manager"


class UnknownStaff(Refusal):
    code = "unknown_staff"


class DuplicateStaff(Refusal):
    code = "duplicate_staff"


def _hash_pin(pin: str, salt: bytes) -> str:
    return hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT).hex()


def hash_pin(pin: str) -> str:
    """``salt:digest`` of a PIN of :data:`MIN_PIN` to :data:`MAX_PIN` digits."""
    if not (pin.isascii() and pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise InvalidInput(f"a PIN is {MIN_PIN} to {MAX_PIN} digits", InputProblem.PIN)
    salt = secrets.token_bytes(16)
    return f"{salt.hex()}:{_hash_pin(pin, salt)}"


def _matches(pin: str, stored: str) -> bool:
    salt, digest = stored.split(":", 1)
    return hmac.compare_digest(_hash_pin(pin, bytes.fromhex(salt)), digest)


def acting(kiosk: Kiosk, approved_by: str | None = None) -> str | None:
    """Who an entry or a line of the trail names: the person signed in, or with nobody
    signed in the manager approving it (the one at the manager screen)."""
    return kiosk.staff_name or approved_by


def record(tx: UnitOfWork, kiosk: Kiosk, action: AuditAction, detail: str = "", *,
           staff: str | None = None, approved_by: str | None = None) -> None:
    """One line of the trail, in the caller's transaction (so it stands or falls with
    what it describes). ``staff`` defaults to :func:`acting`."""
    tx.staff.record(AuditEvent(kiosk.new_id(), kiosk.clock(), action,
                               staff if staff is not None else acting(kiosk, approved_by),
                               approved_by, detail[:200]))


def check_name(name: str) -> str:
    check_text("name", name)
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("a staff member needs a name", InputProblem.NAME_MISSING)
    if len(name) > MAX_NAME:
        raise InvalidInput(f"a staff name is at most {MAX_NAME} characters",
                           InputProblem.NAME_TOO_LONG)
    return name


def add_staff(kiosk: Kiosk, name: str, role: Role, pin: str) -> StaffMember:
    name = check_name(name)
    digest = hash_pin(pin)
    person = StaffMember(kiosk.new_id(), name, role)
    with kiosk.store.write() as tx:
        if tx.staff.by_name(name) is not None:
            raise DuplicateStaff(f"{name!r} is already on this kiosk's staff")
        tx.staff.add(person, digest, kiosk.clock())
        record(tx, kiosk, AuditAction.MANAGER_ADDED if person.is_manager
               else AuditAction.STAFF_ADDED, name)
    return person


def _named(tx: UnitOfWork, name: str) -> StaffMember:
    person = tx.staff.by_name(name)
    if person is None:
        raise UnknownStaff(f"nobody named {name!r} is on this kiosk's staff")
    return person


def remove_staff(kiosk: Kiosk, name: str) -> StaffMember:
    """They can no longer sign in; entries and the trail keep their name."""
    with kiosk.store.write() as tx:
        person = _named(tx, name)
        tx.staff.deactivate(person.id)
        record(tx, kiosk, AuditAction.STAFF_REMOVED, person.name)
    return person


def staff_named(kiosk: Kiosk, name: str) -> StaffMember:
    with kiosk.store.read() as tx:
        return _named(tx, name)


def list_staff(kiosk: Kiosk) -> list[StaffMember]:
    with kiosk.store.read() as tx:
        return tx.staff.active()


def set_staff_pin(kiosk: Kiosk, staff_id: uuid.UUID, pin: str) -> None:
    """A new PIN for one person; wrong tries counted so far are forgiven."""
    digest = hash_pin(pin)
    with kiosk.store.write() as tx:
        found = tx.staff.pin(staff_id)
        if found is None:
            raise UnknownStaff("this person is no longer on this kiosk's staff")
        tx.staff.set_pin(staff_id, digest)
        record(tx, kiosk, AuditAction.PIN_CHANGED, found.person.name,
               staff=found.person.name)


def check_pin(kiosk: Kiosk, staff_id: uuid.UUID, pin: str, *, manager: bool = False,
              action: AuditAction | None = None, detail: str = "") -> StaffMember:
    """The person whose PIN this is, or a refusal. After :data:`FREE_TRIES` wrong PINs in
    a row for one person, their PIN locks for a wait that doubles with each further wrong
    one (30 s, 1 min, 2 min, ...): four digits are 10,000 guesses, not an afternoon's
    work. Only that person's right PIN (or a new PIN) lifts it: a cashier's own right PIN
    between guesses at the manager's resets nothing of the manager's. ``action`` goes on
    the trail with a right PIN; wrong ones and locks go there too."""
    now = kiosk.clock()
    with kiosk.store.read() as tx:
        found = tx.staff.pin(staff_id)
    if found is None:
        raise UnknownStaff("this person is no longer on this kiosk's staff")
    person = found.person
    if manager and not person.is_manager:
        raise NotAManager(f"{person.name} is not a manager on this kiosk")
    locked_until = _locked_until(found.wrong_pins, found.last_wrong_pin, now)
    if locked_until is not None and now < locked_until:
        raise PinLocked(locked_until - now)
    right = _matches(pin, found.pin_hash)  # no lock held for the ~50 ms of scrypt
    with kiosk.store.write() as tx:  # the count of wrong tries is kept across restarts
        if right:
            tx.staff.forgive_wrong_pins(staff_id)
            if action is not None:
                record(tx, kiosk, action, detail, staff=person.name,
                       approved_by=person.name if manager else None)
            return person
        wrong = tx.staff.count_wrong_pin(staff_id, now)
        record(tx, kiosk, AuditAction.WRONG_PIN, detail, staff=person.name)
        wait = _locked_until(wrong, now, now)
        if wait is not None:
            record(tx, kiosk, AuditAction.LOCKED, f"{math.ceil((wait - now).total_seconds())}",
                   staff=person.name)
    if wait is not None:
        raise PinLocked(wait - now)
    raise WrongPin(f"wrong PIN for {person.name}")


def needs_sign_in(people: list[StaffMember]) -> bool:
    return len(people) > 1 or any(not p.is_manager for p in people)


def still_on_staff(kiosk: Kiosk, person: StaffMember) -> bool:
    """Someone removed (``kiosk staff remove``) stops being the one entries name."""
    with kiosk.store.read() as tx:
        return tx.staff.pin(person.id) is not None


def sign_in(kiosk: Kiosk, staff_id: uuid.UUID, pin: str) -> StaffMember:
    """The person takes the counter: what happens at it from now on names them."""
    person = check_pin(kiosk, staff_id, pin, action=AuditAction.SIGNED_IN)
    kiosk.on_duty = person
    return person


def _locked_until(wrong: int, last: datetime | None, now: datetime) -> datetime | None:
    if wrong < FREE_TRIES or last is None:
        return None
    lock: timedelta = FIRST_LOCK * 2 ** min(wrong - FREE_TRIES, 16)  # at most ~23 days
    until = last + lock
    if until - now > lock:
        return None  # the last wrong try is dated in the future: a clock since set right
    return until


def audit_trail(kiosk: Kiosk, limit: int = 200, since: datetime | None = None
                ) -> list[AuditEvent]:
    """What staff did at this counter, newest first."""
    with kiosk.store.read() as tx:
        return tx.staff.trail(limit, since)

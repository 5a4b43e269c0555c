"""What only a store manager may do at the counter: correct a balance with a stated reason,
read today's figures, and guard both behind a PIN.

An adjustment is an ordinary ledger entry of kind ``adjust`` whose note carries the reason
and who approved it, so the audit trail is the ledger itself and syncs like everything else.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.ledger import Entry, EntryKind
from kiosk.program import LANGUAGES
from kiosk.services.context import Kiosk
from kiosk.services.errors import InputProblem, InvalidInput, Refusal, UnknownMember, check_text
from kiosk.services.redemption import store_day_start

PIN_SETTING = "manager_pin"
LANGUAGE_SETTING = "store_language"
WRONG_PINS, LAST_WRONG_PIN = "manager_pin_wrong", "manager_pin_last_wrong"
FREE_TRIES = 5
FIRST_LOCK = timedelta(seconds=30)
MAX_ADJUSTMENT = 100_000
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class WrongPin(Refusal):
    code = "wrong_pin"


class PinLocked(Refusal):
    """Too many wrong PINs in a row: the manager screen opens again after ``wait``."""

    code = "pin_locked"

    def __init__(self, wait: timedelta) -> None:
        self.seconds = max(1, math.ceil(wait.total_seconds()))
        super().__init__(f"too many wrong manager PINs: try again in {self.seconds} s")


class NoManagerPin(Refusal):
    code = "no_manager_pin"


def _hash_pin(pin: str, salt: bytes) -> str:
    return hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT).hex()


MIN_PIN, MAX_PIN = 4, 12  # digits


def set_manager_pin(kiosk: Kiosk, pin: str) -> None:
    """Store a salted scrypt hash of the PIN (never the PIN): 4 to 12 digits."""
    if not (pin.isascii() and pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise InvalidInput(f"a manager PIN is {MIN_PIN} to {MAX_PIN} digits", InputProblem.PIN)
    salt = secrets.token_bytes(16)
    digest = _hash_pin(pin, salt)
    with kiosk.store.write() as tx:  # a new PIN starts with no wrong tries against it
        tx.set_setting(PIN_SETTING, f"{salt.hex()}:{digest}")
        tx.set_setting(WRONG_PINS, "0")


def store_language(kiosk: Kiosk) -> str:
    """The language the counter starts in and comes back to between customers."""
    with kiosk.store.read() as tx:
        return tx.setting(LANGUAGE_SETTING) or LANGUAGES[0]


def set_store_language(kiosk: Kiosk, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(f"the store's language is one of {', '.join(LANGUAGES)}, "
                           f"not {language!r}")
    with kiosk.store.write() as tx:
        tx.set_setting(LANGUAGE_SETTING, language)


def check_manager_pin(kiosk: Kiosk, pin: str) -> None:
    """The PIN, or a refusal. After :data:`FREE_TRIES` wrong PINs in a row the screen
    locks for a wait that doubles with each further wrong one (30 s, 1 min, 2 min, ...):
    four digits are 10,000 guesses, not an afternoon's work. A right PIN resets it."""
    now = kiosk.clock()
    with kiosk.store.read() as tx:
        stored = tx.setting(PIN_SETTING)
        wrong = int(tx.setting(WRONG_PINS) or 0)
        last = tx.setting(LAST_WRONG_PIN)
    if stored is None:
        raise NoManagerPin("no manager PIN is set on this kiosk: set one with "
                           "`kiosk manager-pin`")
    locked_until = _locked_until(wrong, last, now)
    if locked_until is not None and now < locked_until:
        raise PinLocked(locked_until - now)
    salt, digest = stored.split(":", 1)
    right = hmac.compare_digest(_hash_pin(pin, bytes.fromhex(salt)), digest)  # no lock held
    if right and not wrong:
        return
    with kiosk.store.write() as tx:  # the count of wrong tries is kept across restarts
        wrong = 0 if right else int(tx.setting(WRONG_PINS) or 0) + 1
        tx.set_setting(WRONG_PINS, str(wrong))
        if not right:
            tx.set_setting(LAST_WRONG_PIN, now.isoformat())
    if right:
        return
    wait = _locked_until(wrong, now.isoformat())
    if wait is not None:
        raise PinLocked(wait - now)
    raise WrongPin("wrong manager PIN")


def _locked_until(wrong: int, last: str | None, now: datetime | None = None
                  ) -> datetime | None:
    if wrong < FREE_TRIES or last is None:
        return None
    lock: timedelta = FIRST_LOCK * 2 ** min(wrong - FREE_TRIES, 16)  # at most ~23 days
    until = datetime.fromisoformat(last) + lock
    if now is not None and until - now > lock:
        return None  # the last wrong try is dated in the future: a clock since set right
    return until


@dataclass(frozen=True, slots=True)
class AdjustmentResult:
    entry: Entry
    balance: int


def adjust_points(kiosk: Kiosk, member_id: uuid.UUID, points: int, reason: str,
                  approved_by: str = "manager") -> AdjustmentResult:
    """A manual correction: signed points with a reason that stays on the ledger."""
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
                  note=f"{reason} (approved by {approved_by})"[:200])
    with kiosk.store.write() as tx:
        if tx.member(member_id) is None:
            raise UnknownMember("this member is not known at this kiosk")
        tx.append([entry])
        return AdjustmentResult(entry, tx.balance(member_id))


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
        entries = tx.entries_since(since, kiosk.channel)
        enrolments = tx.members_enrolled_since(since, kiosk.channel)
    issued = redeemed = 0
    for e in entries:
        if e.kind is EntryKind.REDEEM or (e.kind is EntryKind.REVERSE and e.points > 0):
            redeemed -= e.points  # a reversed redemption gives its points back
        elif e.kind is not EntryKind.DONATE:
            issued += e.points  # a refund's reversal takes back what the sale earned
    return DayFigures(
        enrolments=enrolments,
        sales=sum(1 for e in entries if e.kind is EntryKind.EARN),
        sales_minor=sum(e.amount_minor for e in entries),
        refunds=sum(1 for e in entries if e.kind is EntryKind.REVERSE and e.amount_minor < 0),
        points_issued=issued, points_redeemed=redeemed,
        redemptions=sum(1 for e in entries if e.kind is EntryKind.REDEEM))

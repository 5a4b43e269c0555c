"""The people at the counter: named staff with a role, and the audit trail of what they
did that a store owner asks about ("who refunded that?", "who let that sale through?").

Pure values only; the PIN hashes and the trail are kept by ``kiosk/store/staff_rows.py``
and the rules that use them are in ``kiosk/services/staff.py``.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

MAX_NAME = 40  # characters: a name as a badge shows it


class Role(enum.StrEnum):
    """A cashier rings up, redeems and enrols; a manager also opens the manager screen
    (refunds, adjustments, figures) and approves sales above the program's limit."""

    CASHIER = "cashier"
    MANAGER = "manager"


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: uuid.UUID
    name: str
    role: Role

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER


class AuditAction(enum.StrEnum):
    STAFF_ADDED = "staff_added"  # a cashier
    MANAGER_ADDED = "manager_added"
    STAFF_REMOVED = "staff_removed"
    PIN_CHANGED = "pin_changed"
    SIGNED_IN = "signed_in"  # a cashier took over the counter
    MANAGER_OPENED = "manager_opened"
    WRONG_PIN = "wrong_pin"
    LOCKED = "locked"  # too many wrong PINs: the PIN pads wait
    SALE_APPROVED = "sale_approved"  # above the program's approval limit
    REFUND = "refund"
    ADJUSTMENT = "adjustment"
    CARD_REISSUED = "card_reissued"  # a lost card cancelled and a new one issued


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One line of the trail: when, what, who did it (the person signed in or named), who
    approved it, and the particulars (an order, an amount, points)."""

    id: uuid.UUID
    at: datetime
    action: AuditAction
    staff: str | None
    approved_by: str | None = None
    detail: str = ""

"""What the store hands the use cases, as plain frozen values, the one error it raises, and
the settings both sides name.

The services name these through their ports (``kiosk/services/ports.py``) and the SQLite
adapter (``kiosk/store/``) builds them, so they sit below both: no SQL, no I/O here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from kiosk.engine.orders import CouponIssue
from kiosk.staff import StaffMember

ACKED_THROUGH = "acked_through"  # setting: the ledger's last acknowledgement mark
PROGRAM_VERSION = "program_version"  # setting: the program in force at the last sync
ANNOUNCED_PROGRAMS = "announced_programs"  # setting: the versions the ledger announced to
# take effect later, as JSON [[version, effective_from], ...] (kiosk.program_versions)


class StorageError(Exception):
    """The kiosk's disk or database failed; nothing from that operation was kept."""


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    device_id: str
    channel: str
    store_name: str
    signing_key: bytes
    certificate: str
    root_public_key: bytes


@dataclass(frozen=True, slots=True)
class CardRecord:
    card_no: str
    member_id: uuid.UUID
    key_id: str
    payload: str
    issued_at: datetime


@dataclass(frozen=True, slots=True)
class SaleState:
    member_known: bool
    spend_minor: int  # net spend in the tier window
    balance: int
    earlier_sale: uuid.UUID | None  # this order's earn entry, if it was rung up before
    profile_pending: bool = False  # known here only by another store's card
    order_recorded: bool = False  # this channel already has an order under this ref


@dataclass(frozen=True, slots=True)
class SpendFloor:
    """What the offline floor limits read before points are spent without the ledger."""

    balance: int
    redeemed_today: int  # points this device redeemed or donated for the member today
    waiting: int  # redemptions and donations made here the ledger hasn't answered for


@dataclass(frozen=True, slots=True)
class KeptCoupon:
    """A coupon this kiosk holds for a member, and the order here that used it, if any."""

    member_id: uuid.UUID
    issue: CouponIssue
    used_by: str | None = None  # the order ref that took it at this kiosk


@dataclass(frozen=True, slots=True)
class PinState:
    person: StaffMember
    pin_hash: str
    wrong_pins: int  # in a row, since their last right PIN
    last_wrong_pin: datetime | None


"""What a device asks of the ledger while a customer waits, before the counter writes a
spend: a redemption hold, a checkout's hold on its points and coupons, and a transfer of
points between members (issue 15). Out of ``sync/protocol.py``: online only, and the
kiosk's authoriser (``sync/authoriser.py``) and the shop use them alike.
"""

from __future__ import annotations

import uuid

from pydantic import Field

from sync.protocol import EntryWire
from sync.wire_types import Text64, UtcTime, Wire

# -- redemption holds: a reward's points, held until the counter confirms --

class HoldRequest(Wire):
    entry: EntryWire
    hold_seconds: int = Field(default=120, ge=1, le=600)


class Hold(Wire):
    id: uuid.UUID
    member_id: uuid.UUID
    points: int
    state: str
    expires_at: str
    available_after: int


# -- checkout holds: a checkout's points and coupons, held in one hold (issue 15) --

class CheckoutHoldRequest(Wire):
    """Hold what a checkout spends before the counter writes it: the redeem entry's points
    (the reward's cost and the points used as money, if any) and its coupons, for the
    caller's order ``order_ref``."""

    member_id: uuid.UUID
    order_ref: Text64
    entry: EntryWire | None = None
    coupon_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1)
    hold_seconds: int = Field(default=120, ge=1, le=600)


class CheckoutRef(Wire):
    """Which checkout hold to confirm or release (the caller's order)."""

    order_ref: Text64
    entry_id: uuid.UUID | None = None
    coupon_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1)


class CheckoutHold(Wire):
    order_ref: str
    state: str  # held | confirmed | released
    points: int  # what the hold takes (negative), 0 with coupons only
    coupon_ids: list[uuid.UUID]
    expires_at: UtcTime | None = None


# -- transfers: points a member gives another, online only (issue 15) --

class TransferRequest(Wire):
    """Move ``points`` from one member to another; ``id`` is made once by the caller, so
    a retry moves them once."""

    id: uuid.UUID
    from_member: uuid.UUID
    to_member: uuid.UUID
    points: int = Field(strict=True, ge=1, le=10**6)


class TransferResult(Wire):
    entries: list[EntryWire]  # the giving side, then the receiving side, with their seqs

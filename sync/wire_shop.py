"""The shop's side of the ledger, online: its orders and refunds (new input, so a line's
code is a :data:`~sync.wire_types.ProductCode`), member look-ups, and a lost card
replaced. Out of ``sync/protocol.py``, which is the kiosk's sync.
"""

from __future__ import annotations

import uuid

from pydantic import Field, model_validator

from kiosk.engine.doc import Identifier
from sync.protocol import EntryResult, EntryWire, MemberWire
from sync.wire_orders import MAX_LINES, RecordedLineWire
from sync.wire_types import NewOrderRef, ProductCode, Text64, UtcTime, Wire


class OrderLineWire(RecordedLineWire):
    """A shop order's line (:class:`OrderRequest`): new input, so its code is a
    :data:`ProductCode`, the counter's rule."""

    code: ProductCode


class CodeQuantity(Wire):
    """A line a shop's refund names by code (:class:`RefundRequest`): new input, a
    :data:`ProductCode`. A line a counter stored before that rule (``TEA\\u200b``) is
    named by the code a receipt shows for it (``TEA``: ``kiosk.printable.as_shown``)."""

    code: ProductCode
    quantity: int = Field(strict=True, gt=0, le=10**6)


class OrderRequest(Wire):
    """A shop order: its amount, and (optionally) its lines, which the program's product
    and category rules and promotions read; without lines it is one keyed amount. What
    loyalty pays (a reward, free shipping among them, a coupon, points as money) comes off
    it by the counter's rules; the rest earns."""

    member_id: uuid.UUID
    amount_minor: int = Field(strict=True, gt=0, le=10**13)
    order_ref: NewOrderRef  # new input: the counter's rule; a refund's names a stored one
    lines: list[OrderLineWire] = Field(default_factory=list, max_length=MAX_LINES)
    reward_id: Identifier | None = None
    coupon_id: uuid.UUID | None = None
    points: int = Field(default=0, strict=True, ge=0, le=10**9)

    @model_validator(mode="after")
    def _lines_add_up(self) -> OrderRequest:
        gross = sum(x.quantity * x.unit_price_minor for x in self.lines)
        if self.lines and gross != self.amount_minor:
            raise ValueError(f"lines: they add up to {gross}, not amount_minor "
                             f"{self.amount_minor}")
        return self


class RefundRequest(Wire):
    """A shop refund: the whole order, or ``lines`` (code and quantity, as a receipt
    names them: each code's quantity from its lines in order)."""

    order_ref: Text64
    lines: list[CodeQuantity] = Field(default_factory=list, max_length=MAX_LINES)


class OrderResult(Wire):
    order_ref: str
    results: list[EntryResult]
    points: int
    balance: int
    tier: str
    duplicate: bool


class MemberSearch(Wire):
    member_ids: list[uuid.UUID]


class MemberHistory(Wire):
    member: MemberWire
    balance: int
    available: int
    tier: str
    entries: list[EntryWire]



# -- a lost card replaced online (issue 15): the shop's side of `kiosk card reissue` --

class ShopCardRequest(Wire):
    """Cancel every card the member holds and issue a new one; ``request_id`` is made once
    by the caller, so a retry answers the same card and cancels nothing more."""

    member_id: uuid.UUID
    request_id: Text64


class ShopCardResult(Wire):
    member_id: uuid.UUID
    name: str  # the member's, to print on the card
    card_no: str
    card_payload: str  # the QR's text (CP1....), signed by the ledger's certified shop issuer
    cancelled: list[str]  # the card numbers this request cancelled
    issued_at: UtcTime
    balance: int  # the member's: it stays, as it is theirs and not the card's
    duplicate: bool  # a retry: the card issued before under this request id

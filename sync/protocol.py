"""The ledger's wire protocol (``/v1``) as a kiosk syncs: the entries, members and cards
it uploads and pulls, its orders' and refunds' place in an upload, the device's state,
pairing and balance, the ledger's records of what it refused, and the error bodies. As
pydantic schemas shared by the server (``sync/server/app.py``) and the kiosk's sync
client, so the two ends can't drift apart. Strict types: a float where points belong, a
naive time, an unknown field, or an oversize batch is a 422 with the field named, never a
500.

The other bodies are by concern: the constrained types every body is built of
(``sync/wire_types.py``), orders and refunds (``sync/wire_orders.py``), holds, checkout
holds and transfers (``sync/wire_holds.py``), the shop's orders, refunds, look-ups and
cards (``sync/wire_shop.py``). :class:`~sync.wire_orders.OrderWire` is re-exported here,
as the two dozen modules and tests that upload orders import it with
:class:`UploadRequest`.
"""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from kiosk.ledger import Entry, EntryKind
from kiosk.limits import INT64_MAX
from kiosk.members import Member
from sync.wire_orders import OrderWire as OrderWire
from sync.wire_orders import RefundWire
from sync.wire_types import Int64, Prose, Text, Text64, UtcTime, Wire

MAX_BATCH = 1000
PROTOCOL = "counterpoint-ledger/1"


ENTRY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Entry))
"""What an entry's maker decides, by name: the wire (:class:`EntryWire`) and the ledger's
``entries`` table carry each under the domain entry's field name."""


class EntryWire(Wire):
    id: uuid.UUID
    member_id: uuid.UUID
    kind: EntryKind
    points: int = Field(strict=True, ge=-(10**9), le=10**9)
    amount_minor: int = Field(default=0, strict=True, ge=-(10**13), le=10**13)
    channel: Text64
    occurred_at: UtcTime
    program_version: Annotated[Text, Field(min_length=1, max_length=40)]
    order_ref: Text64 | None = None
    reverses: uuid.UUID | None = None
    reward_id: Annotated[Text, Field(max_length=32)] | None = None
    note: Annotated[Prose, Field(max_length=500)] | None = None
    tier: Annotated[Text, Field(max_length=32)] | None = None  # an earn's tier, as counted
    staff: Annotated[Text, Field(max_length=40)] | None = None  # who made it, by name
    device_seq: int | None = Field(default=None, strict=True, ge=1, le=INT64_MAX)
    seq: Int64 | None = None  # assigned by the ledger; ignored on upload

    def to_entry(self) -> Entry:
        """The domain entry; raises :class:`kiosk.ledger.LedgerError` if it breaks a rule."""
        return Entry(**{name: getattr(self, name) for name in ENTRY_FIELDS})

    @classmethod
    def of(cls, e: Entry, *, device_seq: int | None = None, seq: int | None = None
           ) -> EntryWire:
        return cls(**{name: getattr(e, name) for name in ENTRY_FIELDS},
                   device_seq=device_seq, seq=seq)


class MemberWire(Wire):
    """A member's profile, or (``profile_pending``) a member a kiosk knows only by the card
    another store issued, with an empty name and phone until that store's upload."""

    id: uuid.UUID
    name: Annotated[Text, Field(max_length=200)]
    phone: Annotated[Text, Field(max_length=32)]
    enrolled_at: UtcTime
    channel: Text64
    birthday: date | None = None
    referrer_id: uuid.UUID | None = None
    consent: bool = False
    profile_pending: bool = False

    @model_validator(mode="after")
    def _profile(self) -> MemberWire:
        if not self.profile_pending and not (self.name and self.phone):
            raise ValueError("a member's name and phone are needed (or profile_pending)")
        return self

    def to_member(self) -> Member:
        return Member(self.id, self.name, self.phone, self.enrolled_at, self.channel,
                      self.birthday, self.referrer_id, self.consent, self.profile_pending)

    @classmethod
    def of(cls, m: Member) -> MemberWire:
        return cls(id=m.id, name=m.name, phone=m.phone, enrolled_at=m.enrolled_at,
                   channel=m.channel, birthday=m.birthday, referrer_id=m.referrer_id,
                   consent=m.consent, profile_pending=m.profile_pending)


class CardWire(Wire):
    card_no: Annotated[str, Field(pattern=r"^[0-9]{12}$")]
    member_id: uuid.UUID
    key_id: Annotated[str, Field(pattern=r"^[A-Z2-7]{8}$")]
    payload: Annotated[Text, Field(max_length=200)]
    issued_at: UtcTime


class Withheld(Wire):
    """An entry the kiosk keeps back (quarantined: it can't be sent, or the ledger refused
    it once as a whole request): its number is accounted for, as rejected, so the
    kiosk's acknowledgement mark moves past it and everything after it flows."""

    device_seq: int = Field(strict=True, ge=1, le=INT64_MAX)
    entry_id: uuid.UUID
    reason: Annotated[Prose, Field(max_length=500)]



class RevocationWire(Wire):
    """A card a kiosk cancelled when it replaced a member's lost card."""

    card_no: Annotated[str, Field(pattern=r"^[0-9]{12}$")]
    member_id: uuid.UUID
    revoked_at: UtcTime


class UploadRequest(Wire):
    """A kiosk's outbox batch, with the members and cards it enrolled that the entries
    refer to (the ledger keeps the first copy of each), and the orders its entries belong
    to (a non-member order, which has no entries, goes up in a batch of its own)."""

    members: list[MemberWire] = Field(default_factory=list, max_length=MAX_BATCH)
    cards: list[CardWire] = Field(default_factory=list, max_length=MAX_BATCH)
    entries: list[EntryWire] = Field(max_length=MAX_BATCH)
    withheld: list[Withheld] = Field(default_factory=list, max_length=MAX_BATCH)
    orders: list[OrderWire] = Field(default_factory=list, max_length=MAX_BATCH)
    revoked_cards: list[RevocationWire] = Field(default_factory=list, max_length=MAX_BATCH)
    refunds: list[RefundWire] = Field(default_factory=list, max_length=MAX_BATCH)

    @model_serializer(mode="wrap")
    def _without_no_orders(self, dump: SerializerFunctionWrapHandler) -> dict[str, object]:
        """No ``orders`` at all when there are none: a ledger from before orders refuses
        a field it doesn't know, even an empty one, so an order-less upload goes up as
        it always did."""
        out: dict[str, object] = dump(self)
        if not self.orders:
            out.pop("orders", None)
        if not self.revoked_cards:  # likewise for a ledger from before lost cards
            out.pop("revoked_cards", None)
        if not self.refunds:  # and before refunds by line
            out.pop("refunds", None)
        return out


Outcome = Literal["accepted", "duplicate", "rejected"]


class EntryResult(Wire):
    id: uuid.UUID
    status: Outcome
    seq: int | None = None
    reason: str | None = None
    code: str | None = None  # a rejection's reason code (kiosk.audit.Rejected)


class UploadResponse(Wire):
    results: list[EntryResult]
    acked_through: int  # every entry this device numbered up to here has been received
    gaps: list[tuple[int, int]]  # device_seq ranges above the mark not received yet


class PullResponse(Wire):
    entries: list[EntryWire]
    members: list[MemberWire]
    cards: list[CardWire]
    next_after: int
    more: bool


class AnnouncedProgram(Wire):
    """A program version published to take effect later (DESIGN, the program engine, 8):
    a kiosk keeps it and switches to it at ``effective_from``, online or not."""

    version: str
    program: str  # the canonical JSON document
    effective_from: UtcTime


class DeviceState(Wire):
    """What a kiosk caches besides entries: the program, trust, revocations."""

    program_version: str  # the version in force now
    program: str  # the canonical JSON document
    root_public_key: str  # base32
    certificates: list[dict[str, str]]
    revoked_keys: list[str]
    revoked_cards: list[str]
    ledger_time: UtcTime | None = None  # the ledger's clock: kiosks date entries by it
    announced: list[AnnouncedProgram] = Field(default_factory=list)
    """The versions to take effect later, in order; only to a client that asks
    (``GET /v1/state?announced=true``)."""

    @model_serializer(mode="wrap")
    def _without_none_announced(self, dump: SerializerFunctionWrapHandler
                                ) -> dict[str, object]:
        """No ``announced`` at all when there are none: a kiosk from before them refuses
        a field it doesn't know, even an empty one."""
        out: dict[str, object] = dump(self)
        if not self.announced:
            out.pop("announced", None)
        return out


class RejectionWire(Wire):
    """An entry the ledger refused, as its reports list it."""

    device_id: str
    device_seq: int
    entry_id: uuid.UUID
    code: str
    reason: str


class ClockFlag(Wire):
    """An entry dated well before an entry its device made earlier."""

    device_id: str
    device_seq: int
    entry_id: uuid.UUID
    occurred_at: datetime
    latest_before: datetime  # the latest date among the device's earlier entries


class ErrorBody(Wire):
    code: str
    message: str


class Issue(Wire):
    loc: list[str | int]  # where: "body", "query" or "path", then the field's path
    msg: str
    type: str


class Invalid(Wire):
    """A 422: fields the wire types refuse (``detail`` names each), or a request the
    ledger read and declined as invalid (``message``)."""

    code: str
    message: str | None = None
    detail: list[Issue] | None = None


# -- a device: the health check, pairing, a balance --

class Health(Wire):
    status: str
    protocol: str  # PROTOCOL


class PairRequest(Wire):
    public_key: Annotated[Text, Field(min_length=52, max_length=52)]  # base32
    store_name: Annotated[Text, Field(min_length=1, max_length=200)] | None = None  # the
    # kiosk's store (as its orders name it), kept if the ledger has none for it


class PairResponse(Wire):
    device_id: str
    certificate: dict[str, str]


class BalanceResponse(Wire):
    member_id: uuid.UUID
    balance: int



# -- a member's coupons, as the ledger lists them and a caller uses one --

class CouponWire(Wire):
    """A coupon as the ledger keeps it: usable strictly after ``valid_from`` and strictly
    before ``expires_at``, once; ``payload`` is the text of its QR (``CPQ1.<id>``)."""

    id: uuid.UUID
    member_id: uuid.UUID
    rule: str  # the program's coupons[].id, in ``program_version``
    program_version: str
    valid_from: UtcTime
    expires_at: UtcTime
    issued_channel: str
    issued_order_ref: str
    used_at: UtcTime | None = None
    used_channel: str | None = None
    used_order_ref: str | None = None
    voided_at: UtcTime | None = None  # the order that issued it was refunded
    payload: str


class CouponUse(Wire):
    """Spend a coupon on one of the caller's orders (the caller's channel)."""

    order_ref: Text64

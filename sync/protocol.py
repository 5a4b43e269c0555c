"""The ledger's wire protocol (``/v1``): every request and response body, as pydantic schemas
shared by the server (``sync/server/app.py``), the kiosk's sync client and the online
shop, so the two ends can't drift apart. Strict types: a float where points belong, a
naive time, an unknown field, or an oversize batch is a 422 with the field named, never a
500.

What the ledger's database can't hold is refused here too, by the rules in
``kiosk/limits.py`` that the counter also applies: text is :data:`Text` (no control
characters; :data:`Prose` may have tabs and line breaks), integers fit 64 bits
(:data:`Int64`), and times are :data:`UtcTime` (aware, and from 1970 to 2999, so that
converting them to UTC can't overflow). They are pydantic's own constraints, checked in
its Rust core: an upload's 500 entries are validated at the ledger's busiest call.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Annotated, Literal, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    SerializerFunctionWrapHandler,
    StringConstraints,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from pydantic_core import core_schema as cs

from kiosk.engine.doc import Identifier
from kiosk.engine.orders import (
    Award,
    CouponIssue,
    LoyaltyUsed,
    MemberState,
    Order,
    OrderLine,
)
from kiosk.engine.record import OrderRecord
from kiosk.engine.refunds import Refund, RefundLine
from kiosk.ledger import Entry, EntryKind
from kiosk.limits import CONTROL, CONTROL_BUT_LAYOUT, EARLIEST, INT64_MAX, INT64_MIN, LATEST
from kiosk.members import Member
from kiosk.printable import code_pattern

MAX_BATCH = 1000
PROTOCOL = "counterpoint-ledger/1"


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


TEXT_PATTERN = f"^[^{CONTROL}]*$"
PROSE_PATTERN = f"^[^{CONTROL_BUT_LAYOUT}]*$"
UTC_TIME = "an aware time from 1970 to 2999, kept in UTC"

# The bounds are checked before the conversion (which would overflow near year 1 or 9999).
PreciseUtcTime = Annotated[AwareDatetime, Field(ge=EARLIEST, lt=LATEST, description=UTC_TIME),
                           AfterValidator(_utc)]
"""What :data:`UtcTime` accepts, with pydantic's own error for each way a time can be
wrong (naive, out of bounds, no time): ``sync.server.openapi`` names them so."""


class _UtcInJson:
    """:data:`UtcTime`'s validation. A time in JSON that is already UTC ("Z", as every
    kiosk sends them) is taken in pydantic's core alone, with a zero-offset zone of its
    own (``TzInfo``: as UTC in every use, but not ``datetime.UTC`` itself); any other
    offset is converted in Python. A Python ``datetime`` (the process's own objects, whose
    zone may be a ``ZoneInfo`` at offset 0, with its daylight saving) is always converted.
    A converter call for each of an upload's ~800 times was a tenth of the body's
    validation. A time that fails is one error, ``utc_time``; the API's 422 names the
    precise one (:data:`PreciseUtcTime`)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: object, handler: GetCoreSchemaHandler
                                     ) -> CoreSchema:
        converted = handler(PreciseUtcTime)
        utc = cs.datetime_schema(tz_constraint=0, ge=EARLIEST, lt=LATEST)
        return cs.json_or_python_schema(
            json_schema=cs.union_schema([utc, converted], mode="left_to_right",
                                        custom_error_type="utc_time",
                                        custom_error_message=f"Input should be {UTC_TIME}"),
            python_schema=converted)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: CoreSchema, handler: GetJsonSchemaHandler
                                     ) -> JsonSchemaValue:
        return {"description": UTC_TIME, "format": "date-time", "type": "string"}


UtcTime = Annotated[datetime, _UtcInJson]
Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN)]  # one line, no controls
Prose = Annotated[str, StringConstraints(pattern=PROSE_PATTERN)]  # may have line breaks
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
Text64 = Annotated[Text, Field(min_length=1, max_length=64)]
CODE_PATTERN = code_pattern()
ProductCode = Annotated[str, StringConstraints(pattern=CODE_PATTERN, min_length=1,
                                               max_length=64)]
"""A product code as NEW input (a shop's order or refund), taken exactly when the counter
takes one (``check_code`` in ``kiosk/services/errors.py``): 1 to 64 characters a receipt
shows (``kiosk.printable``, the table both read: no control character, and no invisible
one such as a zero-width space, a byte order mark or a space other than U+0020, which make
a code that looks like another), with no space at either end. A pattern of explicit
ranges, so pydantic's core checks it as it checks :data:`Text`. What a counter already
took (a kiosk's order, an order read back) is :data:`Text64`: a counter before this rule
took such codes, and nothing it took may be held back from the ledger."""

PATTERN_MEANS = {TEXT_PATTERN: "control characters (such as NUL) are not allowed here",
                 PROSE_PATTERN: "control characters other than tabs and line breaks are "
                                "not allowed here",
                 CODE_PATTERN: "a product code is 1 to 64 characters a receipt shows, with "
                               "no space at either end"}
"""What a refusal by each of the wire's patterns means, in plain words (the API's 422,
``sync.server.openapi``; the sync detail, ``sync.uploads``)."""


ENTRY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Entry))
"""What an entry's maker decides, by name: the wire (:class:`EntryWire`) and the ledger's
``entries`` table carry each under the domain entry's field name."""


class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


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


MAX_LINES = 500
Money = Annotated[int, Field(strict=True, ge=0, le=10**13)]  # minor units, never negative
SignedMoney = Annotated[int, Field(strict=True, ge=-(10**13), le=10**13)]
Points = Annotated[int, Field(strict=True, ge=-(10**9), le=10**9)]
Key = Annotated[Text, Field(min_length=1, max_length=200)]  # a derived award's once key


class RecordedLineWire(Wire):
    """An order's line as a counter took it (:class:`OrderWire`: a kiosk's upload, an
    order read back): its code is :data:`Text64`, as a counter before ``check_code`` took
    it, so an order queued then still goes up and one stored then still reads back."""

    code: Text64
    quantity: int = Field(strict=True, ge=1, le=10**6)
    unit_price_minor: Money
    category: Text64 | None = None


class OrderLineWire(RecordedLineWire):
    """A shop order's line (:class:`OrderRequest`): new input, so its code is a
    :data:`ProductCode`, the counter's rule."""

    code: ProductCode


class LoyaltyWire(Wire):
    """What loyalty paid for on the order (it earns nothing)."""

    reward_id: Annotated[Text, Field(max_length=32)] | None = None
    coupon_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    points_used: int = Field(default=0, strict=True, ge=0, le=10**9)
    discount_minor: Money = 0
    coupon_rules: list[Text64] = Field(default_factory=list, max_length=100)
    reward_minor: Money = 0  # a reward off some lines only: its part of the discount...
    reward_lines: list[Annotated[int, Field(strict=True, ge=0, lt=MAX_LINES)]] = Field(
        default_factory=list, max_length=MAX_LINES)  # ...and those lines


class MemberStateWire(Wire):
    """What the counter knew of the member when it rang the order up."""

    tier: Annotated[Text, Field(min_length=1, max_length=32)]
    enrolled_at: UtcTime | None = None
    birthday: date | None = None
    referrer_id: uuid.UUID | None = None
    purchases_before: int = Field(default=0, strict=True, ge=0, le=10**9)
    stamps: list[tuple[Text64, Points]] = Field(default_factory=list, max_length=100)
    period_spend: list[tuple[Text64, SignedMoney]] = Field(default_factory=list, max_length=100)


class AwardWire(Wire):
    kind: EntryKind
    points: Points
    rule: Text64
    line: int | None = Field(default=None, strict=True, ge=0, lt=MAX_LINES)
    amount_minor: SignedMoney = 0
    wallet: Text64 = "points"
    once: Key | None = None
    at: UtcTime | None = None


class CouponIssueWire(Wire):
    rule: Text64
    once: Key
    valid_from: UtcTime
    expires_at: UtcTime


_SHARED: dict[tuple[object, ...], object] = {}
_MOST_SHARED = 50_000
V = TypeVar("V")


def shared(kind: Callable[..., V], *fields: object) -> V:
    """``kind(*fields)``, one object for equal fields: the domain's values are frozen, so
    equal ones may be one. (Fields are the wire's validated values: no ``True`` where a
    1 belongs, which would share a key with it.) Forgotten all at once when there are many.
    """
    key = (kind, *fields)
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) >= _MOST_SHARED:
            _SHARED.clear()
        found = _SHARED[key] = kind(*fields)
    return found  # type: ignore[return-value]


class OrderWire(Wire):
    """An order as the ledger keeps it (``kiosk.engine.record.OrderRecord``): the order's
    own fields, the member state the counter knew (None: a non-member order), the program
    version it ran and the awards of each line. It goes up with the upload that carries its
    entries, and the ledger re-runs the rules with it (DESIGN, the program engine, 3)."""

    channel: Text64
    order_ref: Text64
    occurred_at: UtcTime
    lines: list[RecordedLineWire] = Field(max_length=MAX_LINES)
    member_id: uuid.UUID | None = None
    store: Annotated[Text, Field(max_length=200)] | None = None
    loyalty: LoyaltyWire = LoyaltyWire()
    cashier: Annotated[Text, Field(max_length=40)] | None = None
    state: MemberStateWire | None = None
    program_version: Annotated[Text, Field(min_length=1, max_length=40)]
    awards: list[AwardWire] = Field(default_factory=list, max_length=4 * MAX_LINES)
    coupons: list[CouponIssueWire] = Field(default_factory=list, max_length=100)

    @field_validator("lines")
    @classmethod
    def _gross(cls, lines: list[RecordedLineWire]) -> list[RecordedLineWire]:
        gross = sum(line.quantity * line.unit_price_minor for line in lines)
        if gross > 10**13:
            raise ValueError(f"the lines add up to {gross}, more than 10**13 minor units")
        return lines

    @property
    def key(self) -> tuple[str, str]:
        return self.channel, self.order_ref

    def to_record(self) -> OrderRecord:
        """The record; its lines, awards and loyalty are :func:`shared` (an upload's
        ~600 awards are a few dozen distinct ones, and each built anew cost 0.4 ms)."""
        loyalty = self.loyalty
        order = Order(self.channel, self.order_ref, self.occurred_at,
                      tuple(shared(OrderLine, x.code, x.quantity, x.unit_price_minor,
                                   x.category) for x in self.lines),
                      self.member_id, self.store,
                      shared(LoyaltyUsed, loyalty.reward_id, tuple(loyalty.coupon_ids),
                             loyalty.points_used, loyalty.discount_minor,
                             tuple(loyalty.coupon_rules), loyalty.reward_minor,
                             tuple(loyalty.reward_lines)),
                      self.cashier)
        s = self.state
        state = None if s is None else MemberState(
            s.tier, s.enrolled_at, s.birthday, s.referrer_id, s.purchases_before,
            tuple(s.stamps), tuple(s.period_spend))
        return OrderRecord(
            order, state, self.program_version,
            tuple(shared(Award, a.kind, a.points, a.rule, a.line, a.amount_minor, a.wallet,
                         a.once, a.at) for a in self.awards),
            tuple(CouponIssue(c.rule, c.once, c.valid_from, c.expires_at)
                  for c in self.coupons))

    @classmethod
    def of(cls, record: OrderRecord) -> OrderWire:
        o, s = record.order, record.state
        return cls.model_validate({
            "channel": o.channel, "order_ref": o.order_ref, "occurred_at": o.occurred_at,
            "lines": [{"code": x.code, "quantity": x.quantity,
                       "unit_price_minor": x.unit_price_minor, "category": x.category}
                      for x in o.lines],
            "member_id": o.member_id, "store": o.store, "cashier": o.cashier,
            "loyalty": {"reward_id": o.loyalty.reward_id,
                        "coupon_ids": list(o.loyalty.coupon_ids),
                        "points_used": o.loyalty.points_used,
                        "discount_minor": o.loyalty.discount_minor,
                        "coupon_rules": list(o.loyalty.coupon_rules),
                        "reward_minor": o.loyalty.reward_minor,
                        "reward_lines": list(o.loyalty.reward_lines)},
            "state": None if s is None else {
                "tier": s.tier, "enrolled_at": s.enrolled_at, "birthday": s.birthday,
                "referrer_id": s.referrer_id, "purchases_before": s.purchases_before,
                "stamps": list(s.stamps), "period_spend": list(s.period_spend)},
            "program_version": record.program_version,
            "awards": [{"kind": a.kind, "points": a.points, "rule": a.rule, "line": a.line,
                        "amount_minor": a.amount_minor, "wallet": a.wallet, "once": a.once,
                        "at": a.at} for a in record.awards],
            "coupons": [{"rule": c.rule, "once": c.once, "valid_from": c.valid_from,
                         "expires_at": c.expires_at} for c in record.coupons]})


class CodeQuantity(Wire):
    """A line a shop's refund names by code (:class:`RefundRequest`): new input, a
    :data:`ProductCode`. A line a counter stored before that rule (``TEA\\u200b``) is
    named by the code a receipt shows for it (``TEA``: ``kiosk.printable.as_shown``)."""

    code: ProductCode
    quantity: int = Field(strict=True, gt=0, le=10**6)


class RefundLineWire(Wire):
    line: int = Field(strict=True, ge=0, lt=MAX_LINES)  # the order line's index
    quantity: int = Field(strict=True, gt=0, le=10**6)


class RefundWire(Wire):
    """A refund of some of an order's lines (``kiosk.engine.refunds.Refund``): it goes up
    with the reversals it makes, and the ledger checks them against it (never more than
    the order's stored awards give back)."""

    id: uuid.UUID
    channel: Text64
    order_ref: Text64
    occurred_at: UtcTime
    lines: list[RefundLineWire] = Field(min_length=1, max_length=MAX_LINES)
    approved_by: Annotated[Text, Field(max_length=40)] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.channel, self.order_ref

    def to_refund(self) -> Refund:
        return Refund(self.id, self.channel, self.order_ref, self.occurred_at,
                      tuple(RefundLine(x.line, x.quantity) for x in self.lines),
                      self.approved_by)

    @classmethod
    def of(cls, refund: Refund) -> RefundWire:
        return cls.model_validate({
            "id": refund.id, "channel": refund.channel, "order_ref": refund.order_ref,
            "occurred_at": refund.occurred_at, "approved_by": refund.approved_by,
            "lines": [{"line": x.line, "quantity": x.quantity} for x in refund.lines]})


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


# -- online counter: redemption holds and the shop's orders and look-ups --

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


class OrderRequest(Wire):
    """A shop order: its amount, and (optionally) its lines, which the program's product
    and category rules and promotions read; without lines it is one keyed amount. What
    loyalty pays (a reward, free shipping among them, a coupon, points as money) comes off
    it by the counter's rules; the rest earns."""

    member_id: uuid.UUID
    amount_minor: int = Field(strict=True, gt=0, le=10**13)
    order_ref: Text64
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

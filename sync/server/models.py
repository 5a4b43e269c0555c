"""The central ledger's tables, portable between PostgreSQL and SQLite. Keys are per member
or per device, so the schema can be sharded by member id later (DESIGN: growing past one
machine); the one global row is ``ledger_head``, the gap-free sequence."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import DateTime, TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """timestamptz on PostgreSQL; on SQLite, where the zone is lost, read back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # kiosk | shop | admin
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    card_prefix: Mapped[str | None] = mapped_column(String(6), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acked_through: Mapped[int] = mapped_column(BigInteger, default=0)
    # The store a kiosk stands in (its store-limited promotions): recorded when it pairs,
    # or set by the ledger's operator; None until then.
    store_name: Mapped[str | None] = mapped_column(String(200))  # as orders carry it


class LedgerHead(Base):
    """The last ``seq`` given out; incremented under a row lock in each ingest transaction,
    so seqs are gap-free and become visible in order."""

    __tablename__ = "ledger_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger)


class LedgerKey(Base):
    """The root key that certifies card issuers (one row)."""

    __tablename__ = "ledger_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    root_private: Mapped[bytes] = mapped_column(LargeBinary(32))
    issuer_private: Mapped[bytes] = mapped_column(LargeBinary(32))  # the shop's card key


class Program(Base):
    __tablename__ = "programs"
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
    effective_from: Mapped[datetime] = mapped_column(UtcDateTime)  # migration 0014


class Certificate(Base):
    __tablename__ = "certificates"
    key_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)
    revoked: Mapped[bool] = mapped_column(default=False)


class ShopCard(Base):
    """A card the ledger issued at the shop's request (a lost card replaced online, issue
    15): kept by the caller's request id, so a retry answers the same card and cancels
    nothing more, and the shop's serials are read from here (no device can add a row)."""

    __tablename__ = "shop_cards"
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("members.id"))
    card_no: Mapped[str] = mapped_column(String(12), unique=True)
    cancelled: Mapped[str] = mapped_column(Text)  # the card numbers it cancelled, JSON
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Revocation(Base):
    __tablename__ = "revocations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_no: Mapped[str] = mapped_column(String(12), unique=True)
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Member(Base):
    __tablename__ = "members"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32), index=True)
    birthday: Mapped[date | None] = mapped_column(Date)
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    channel: Mapped[str] = mapped_column(String(64))
    referrer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    consent: Mapped[bool] = mapped_column(default=False)
    profile_pending: Mapped[bool] = mapped_column(default=False)  # known by a card only


class Card(Base):
    __tablename__ = "cards"
    card_no: Mapped[str] = mapped_column(String(12), primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("members.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(8))
    payload: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)


_ORDER_STAMP = "kind = 'stamp' AND order_ref IS NOT NULL AND reverses IS NULL"


class Entry(Base):
    __tablename__ = "entries"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(16))
    points: Mapped[int] = mapped_column(BigInteger)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    channel: Mapped[str] = mapped_column(String(64))
    order_ref: Mapped[str | None] = mapped_column(String(64))
    program_version: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # An entry is reversed whole or in parts (a refund of some lines: refunds.py checks
    # they never go past it), so ``reverses`` is indexed, not unique (migration 0010).
    reverses: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    reward_id: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    device_id: Mapped[str | None] = mapped_column(String(64))
    device_seq: Mapped[int | None] = mapped_column(BigInteger)
    tier: Mapped[str | None] = mapped_column(String(32))  # an earn's tier, as the device knew it
    staff: Mapped[str | None] = mapped_column(String(40))  # who made it at the counter
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the ledger's clock
    __table_args__ = (
        Index("ix_entries_member_seq", "member_id", "seq"),
        Index("ux_entries_sale_order", "channel", "order_ref", unique=True,
              postgresql_where=text("kind = 'earn' AND order_ref IS NOT NULL"),
              sqlite_where=text("kind = 'earn' AND order_ref IS NOT NULL")),
        # One bonus per rule of an order: a copy under a new id mints nothing (0006).
        Index("ux_entries_order_bonus", "channel", "order_ref", "note", unique=True,
              postgresql_where=text("kind = 'bonus' AND order_ref IS NOT NULL"),
              sqlite_where=text("kind = 'bonus' AND order_ref IS NOT NULL")),
        # A sign-up bonus once per member, an order's stamps once per card (0012).
        Index("ux_entries_signup", "member_id", unique=True,
              postgresql_where=text("kind = 'bonus' AND note = 'signup'"),
              sqlite_where=text("kind = 'bonus' AND note = 'signup'")),
        Index("ux_entries_order_stamp", "channel", "order_ref", "note", unique=True,
              postgresql_where=text(_ORDER_STAMP), sqlite_where=text(_ORDER_STAMP)),
        # The members' expiries by date, for a spend that comes after a run (0015).
        Index("ix_entries_expiry", "member_id", "occurred_at",
              postgresql_where=text("kind = 'expire'"), sqlite_where=text("kind = 'expire'")),
        # A checkout's redemptions by their order, for the upload audit (0009).
        Index("ix_entries_checkout", "channel", "order_ref",
              postgresql_where=text("kind = 'redeem' AND note = 'checkout'"),
              sqlite_where=text("kind = 'redeem' AND note = 'checkout'")),
    )


class Receipt(Base):
    """Every (device, device_seq) the ledger has received and decided, accepted or not:
    what the per-device acknowledgement mark and gap report are computed from."""

    __tablename__ = "receipts"
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(String(40))  # a rejection's kiosk.audit.Rejected
    __table_args__ = (
        Index("ix_receipts_rejected", "device_id", "device_seq",
              postgresql_where=text("status = 'rejected'"),
              sqlite_where=text("status = 'rejected'")),
    )


class Balance(Base):
    __tablename__ = "balances"
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("members.id"),
                                                 primary_key=True)
    points: Mapped[int] = mapped_column(BigInteger)


class Reservation(Base):
    """An online redemption's hold on points (reserve, then confirm or void, like a card
    authorisation); a hold past ``expires_at`` no longer counts and can't be confirmed."""

    __tablename__ = "reservations"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # the entry id to be
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("members.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    points: Mapped[int] = mapped_column(BigInteger)
    entry: Mapped[str] = mapped_column(Text)  # the redeem entry, as sent, JSON
    state: Mapped[str] = mapped_column(String(16))  # held | confirmed | voided
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Overdraft(Base):
    """A balance that went below zero when an entry arrived (an offline redemption racing
    another channel, a refund after the points were spent): reported, recovered from
    future earnings."""

    __tablename__ = "overdrafts"
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    channel: Mapped[str] = mapped_column(String(64))
    balance_after: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Order(Base):
    """An order as a device recorded it (``kiosk.engine.record.OrderRecord``): the facts the
    ledger re-runs the rules with when the order's entries arrive. A ref is unique per
    channel; the columns beside the record are for reports (a non-member order has no
    entries, only this row)."""

    __tablename__ = "orders"
    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    program_version: Mapped[str] = mapped_column(String(40))
    gross_minor: Mapped[int] = mapped_column(BigInteger)
    net_paid_minor: Mapped[int] = mapped_column(BigInteger)
    record: Mapped[str] = mapped_column(Text)  # kiosk.engine.record.record_json
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the ledger's clock


class Refund(Base):
    """A refund of some of an order's lines, as the device that rang the order up recorded
    it (``kiosk.engine.refunds.Refund``): what the ledger checks the reversals against."""

    __tablename__ = "refunds"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    channel: Mapped[str] = mapped_column(String(64))
    order_ref: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    record: Mapped[str] = mapped_column(Text)  # kiosk.engine.refunds.refund_json
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (Index("ix_refunds_order", "channel", "order_ref"),)


class Coupon(Base):
    """A coupon the rules issued (DESIGN, engine point 5): an instrument with an id (derived
    from what issued it, so two kiosks issuing it offline issue one), a validity window and
    a single use, recorded where and when. The ledger issues it itself, from the rules
    re-run on the order it stored, never from a device's word."""

    __tablename__ = "coupons"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    rule: Mapped[str] = mapped_column(String(64))  # the program's coupons[].id
    program_version: Mapped[str] = mapped_column(String(40))  # what the rule is worth in
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime)  # usable strictly after ...
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)  # ... and strictly before
    issued_channel: Mapped[str] = mapped_column(String(64))  # the order that issued it
    issued_order_ref: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_channel: Mapped[str | None] = mapped_column(String(64))
    used_order_ref: Mapped[str | None] = mapped_column(String(64))
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # its order was refunded
    held_channel: Mapped[str | None] = mapped_column(String(64))  # a checkout holding it
    held_order_ref: Mapped[str | None] = mapped_column(String(64))
    held_until: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the hold lapses then


class CouponDoubleUse(Base):
    """A coupon an order used after another order had (two counters took it offline): the
    order stands, as an offline redemption racing another channel does, and the second use
    is reported like an overdraft."""

    __tablename__ = "coupon_double_uses"
    coupon_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    first_channel: Mapped[str] = mapped_column(String(64))
    first_order_ref: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)

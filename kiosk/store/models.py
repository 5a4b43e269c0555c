"""The kiosk's local tables. Alembic migrations (``migrations/versions``) create them; these
classes are the typed description the repository queries through."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.store.types import UtcMicros, UUIDBlob


class Base(DeclarativeBase):
    pass


class Device(Base):
    """This kiosk: who it is, its card-signing key and certificate (one row)."""

    __tablename__ = "device"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(64))
    store_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcMicros)
    signing_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    certificate: Mapped[str] = mapped_column(Text)
    root_public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    next_card_serial: Mapped[int] = mapped_column(Integer)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ProgramVersion(Base):
    __tablename__ = "program_versions"
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    installed_at: Mapped[datetime] = mapped_column(UtcMicros)


class Certificate(Base):
    """Certified card-issuing keys this kiosk trusts (its own and other devices')."""

    __tablename__ = "certificates"
    key_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    revoked: Mapped[bool] = mapped_column(default=False)


class RevokedCard(Base):
    """A cancelled card: the ledger told this kiosk, or this kiosk reissued the member's
    card (its member kept, ``on_ledger`` false until the ledger has it)."""

    __tablename__ = "revoked_cards"
    card_no: Mapped[str] = mapped_column(String(12), primary_key=True)
    revoked_at: Mapped[datetime] = mapped_column(UtcMicros)
    member_id: Mapped[uuid.UUID | None] = mapped_column(UUIDBlob)
    on_ledger: Mapped[bool] = mapped_column(default=True, server_default=true())


class Member(Base):
    __tablename__ = "members"
    id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32), index=True)
    birthday: Mapped[date | None] = mapped_column(Date)
    enrolled_at: Mapped[datetime] = mapped_column(UtcMicros)
    channel: Mapped[str] = mapped_column(String(64))
    referrer_id: Mapped[uuid.UUID | None] = mapped_column(UUIDBlob)
    consent: Mapped[bool] = mapped_column(default=False)
    on_ledger: Mapped[bool] = mapped_column(default=False, server_default=false())
    """The ledger has this member (it came from there, or an upload carrying it was
    answered), so uploads need not carry it again."""
    profile_pending: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Known only by a card another store issued; the profile comes with sync."""
    __table_args__ = (Index("ix_members_unsent", "id", sqlite_where=text("on_ledger = 0")),)


class Card(Base):
    __tablename__ = "cards"
    card_no: Mapped[str] = mapped_column(String(12), primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, ForeignKey("members.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(8))
    payload: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UtcMicros)
    on_ledger: Mapped[bool] = mapped_column(default=False, server_default=false())
    __table_args__ = (Index("ix_cards_unsent", "member_id", sqlite_where=text("on_ledger = 0")),)


class LedgerEntry(Base):
    """Append-only (a trigger refuses updates of content and all deletes), but that the
    ledger's copy of a once-only award replaces ours (migration 0014)."""

    __tablename__ = "entries"
    id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(16))
    points: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(64))
    order_ref: Mapped[str | None] = mapped_column(String(64))
    program_version: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UtcMicros)
    reverses: Mapped[uuid.UUID | None] = mapped_column(UUIDBlob, ForeignKey("entries.id"))
    reward_id: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    server_seq: Mapped[int | None] = mapped_column(Integer)
    tier: Mapped[str | None] = mapped_column(String(32))
    staff: Mapped[str | None] = mapped_column(String(40))  # who made it, by name

    __table_args__ = (
        Index("ix_entries_member_time", "member_id", "occurred_at", "amount_minor"),
        # Refunds look an order up by order_ref; a sale by (order_ref, channel, 'earn').
        # One sale per channel and order is kept by a trigger (migration 0004), which
        # costs the sale a read instead of a second index to write.
        Index("ix_entries_order", "order_ref", "channel", "kind",
              sqlite_where=text("order_ref IS NOT NULL")),
        # Partial indexes: new local entries carry NULLs here, which then cost the sale
        # nothing (measured: p99 halved, see BENCHMARKS.md). An entry is reversed in parts
        # by a refund of some of its order's lines (migration 0013).
        Index("ix_entries_reverses", "reverses",
              sqlite_where=text("reverses IS NOT NULL")),
        Index("ux_entries_server_seq", "server_seq", unique=True,
              sqlite_where=text("server_seq IS NOT NULL")),
        # Redemptions and donations waiting for the ledger, counted by the offline floor
        # (migrations 0011 and 0016).
        Index("ix_entries_pending_spend", "id",
              sqlite_where=text("kind IN ('redeem', 'donate') AND server_seq IS NULL")),
        # Spend on an entry that is no sale (an older ledger's): left out of the tier's sums,
        # which read it here; empty in the usual store, so a sale writes no page of it.
        Index("ix_entries_stray_spend", "member_id", "occurred_at", "amount_minor",
              sqlite_where=text("amount_minor <> 0 AND kind NOT IN ('earn', 'reverse')")),
    )


class Outbox(Base):
    """Entries made here and not yet acknowledged by the ledger, numbered by a gap-free
    per-device sequence that never reuses a number. The row of the highest number
    acknowledged stays, with ``entry_id`` NULL, so the next number is always one above every
    number handed out (migration 0004 says why not AUTOINCREMENT). Entries made here join
    it by trigger, in the statement that inserts them under their primary key, so
    ``entry_id`` needs no unique index."""

    __tablename__ = "outbox"
    device_seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[uuid.UUID | None] = mapped_column(UUIDBlob, ForeignKey("entries.id"))


class Balance(Base):
    """Cached sum of a member's entries, kept by a trigger in the entry's own transaction."""

    __tablename__ = "balances"
    member_id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, ForeignKey("members.id"),
                                                 primary_key=True)
    points: Mapped[int] = mapped_column(Integer)


class Rejection(Base):
    """An entry the ledger refused (a conflict, a rule it breaks): kept, never retried."""

    __tablename__ = "rejections"
    entry_id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, ForeignKey("entries.id"),
                                                primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    rejected_at: Mapped[datetime] = mapped_column(UtcMicros)


class Staff(Base):
    """A person who works the counter; only a salted scrypt hash of their PIN is kept."""

    __tablename__ = "staff"
    id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(40))  # casefolded, for "one Amy"
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcMicros)
    wrong_pins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_wrong_pin: Mapped[datetime | None] = mapped_column(UtcMicros)

    # one active person per name, case-blind: "approved by Amy" names one person
    __table_args__ = (Index("ux_staff_active_name", "name_key", unique=True,
                            sqlite_where=text("active")),)


class AuditEventRow(Base):
    """The trail of who did what at this counter (append-only, like the ledger)."""

    __tablename__ = "audit_events"
    id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcMicros, index=True)
    action: Mapped[str] = mapped_column(String(32))
    staff: Mapped[str | None] = mapped_column(String(40))
    approved_by: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")


class OrderRow(Base):
    """A sale as an order (``kiosk.engine.record.OrderRecord`` as JSON), member or not,
    kept here and sent to the ledger with the entries it made."""

    __tablename__ = "orders"
    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[uuid.UUID | None] = mapped_column(UUIDBlob)
    occurred_at: Mapped[datetime] = mapped_column(UtcMicros)
    record: Mapped[str] = mapped_column(Text)
    on_ledger: Mapped[bool] = mapped_column(default=False, server_default=false())
    __table_args__ = (Index("ix_orders_unsent", "occurred_at", sqlite_where=text("on_ledger = 0")),)


class RefundRow(Base):
    """A refund of some of an order's lines (``kiosk.engine.refunds.Refund`` as JSON), kept
    and sent to the ledger with its reversals, which checks them against it."""

    __tablename__ = "refunds"
    id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, primary_key=True)
    channel: Mapped[str] = mapped_column(String(64))
    order_ref: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UtcMicros)
    record: Mapped[str] = mapped_column(Text)
    on_ledger: Mapped[bool] = mapped_column(default=False, server_default=false())
    __table_args__ = (Index("ix_refunds_order", "channel", "order_ref"),)


class CouponRow(Base):
    """A coupon an order rung up here issued (``kiosk.engine.orders.CouponIssue``), by its
    derived id: what the member screen lists until the ledger's own copy is the one that
    counts (the ledger issues it too, from the same rules)."""

    __tablename__ = "coupons"
    id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(UUIDBlob, index=True)
    rule: Mapped[str] = mapped_column(String(64))
    once: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[datetime] = mapped_column(UtcMicros)
    expires_at: Mapped[datetime] = mapped_column(UtcMicros)
    used_at: Mapped[datetime | None] = mapped_column(UtcMicros)  # taken at checkout here
    used_by: Mapped[str | None] = mapped_column(String(64))  # the order ref that took it

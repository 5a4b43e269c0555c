"""What the use cases need of a store, as ports: one small repository per aggregate, a unit
of work that holds them all over one transaction, and the store that opens it.

The services (and sync's agent) name only these; ``kiosk/store/`` is the SQLite adapter
and ``tests/helpers/memory_store.py`` an in-memory fake with the same meaning, so the
service tests run on both. Every method is one purposeful read or write.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Literal, Protocol

from kiosk.engine.orders import CouponIssue
from kiosk.engine.record import OrderRecord
from kiosk.engine.refunds import Refund
from kiosk.ledger import Entry
from kiosk.members import Member
from kiosk.records import (
    CardRecord,
    DeviceRecord,
    KeptCoupon,
    PinState,
    SaleState,
    SpendFloor,
)
from kiosk.staff import AuditEvent, StaffMember
from kiosk.wallets import LotRow

SaleSummary = tuple[str, uuid.UUID, str | None, datetime, int, int, bool]
"""(order ref, member, name, time, amount, the points of the order's entries but
reversals, refunded), as :meth:`Entries.recent_sales` lists a sale."""


class Devices(Protocol):
    """This kiosk's own identity (one record) and its card numbering."""

    def get(self) -> DeviceRecord | None: ...

    def create(self, record: DeviceRecord, created_at: datetime) -> None: ...

    def take_card_serial(self) -> int:
        """The next card serial, used up."""
        ...


class Settings(Protocol):
    """Small named values, and the program documents installed here."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...

    def install_program(self, version: str, document: str, at: datetime) -> None:
        """Keep ``document`` (once per version) and make ``version`` the one in force."""
        ...

    def keep_program(self, version: str, document: str, at: datetime) -> None:
        """Keep ``document`` (once per version): a version announced for later."""
        ...

    def program_document(self, version: str | None = None) -> str | None:
        """The document of ``version``, or of the program in force."""
        ...


class Trust(Protocol):
    """Certified card-issuing keys and revoked cards."""

    def add_certificate(self, key_id: str, document: str) -> None: ...

    def upsert_certificate(self, key_id: str, document: str, revoked: bool) -> None:
        """Add it, or (known already) only set whether it is revoked."""
        ...

    def certificates(self) -> list[tuple[str, bool]]:
        """(document, revoked) of every certificate."""
        ...

    def revoked_cards(self) -> frozenset[str]: ...

    def revoke_card(self, card_no: str, at: datetime) -> None:
        """The ledger's word. Idempotent."""
        ...

    def revoke_here(self, card_no: str, member_id: uuid.UUID, at: datetime) -> None:
        """A card this kiosk cancels (a lost card reissued): sent to the ledger by sync."""
        ...

    def unsent_revocations(self) -> list[tuple[str, uuid.UUID, datetime]]:
        """(card number, member, when) of the cards revoked here the ledger doesn't have."""
        ...

    def mark_revocations_sent(self, card_nos: Iterable[str]) -> None: ...


class Members(Protocol):
    def get(self, member_id: uuid.UUID) -> Member | None: ...

    def ids(self) -> list[uuid.UUID]:
        """Every member's id, in order of enrolment."""
        ...

    def with_phone(self, phone: str) -> list[Member]: ...

    def by_ids(self, ids: Iterable[uuid.UUID]) -> list[Member]: ...

    def add(self, member: Member) -> None: ...

    def complete_profiles(self, members: Sequence[Member]) -> None:
        """Members known here only by a card (``profile_pending``) take the profile their
        own store enrolled them with; complete profiles are never overwritten."""
        ...

    def enrolled_since(self, since: datetime, channel: str) -> int: ...

    def to_upload(self, ids: Iterable[uuid.UUID]) -> list[Member]:
        """Of ``ids``, the members the ledger doesn't have yet."""
        ...


class Cards(Protocol):
    def get(self, card_no: str) -> CardRecord | None: ...

    def add(self, card: CardRecord) -> None: ...

    def of_member(self, member_id: uuid.UUID) -> list[CardRecord]:
        """Oldest first."""
        ...

    def of_members(self, ids: Iterable[uuid.UUID]) -> list[CardRecord]: ...

    def to_upload(self, member_ids: Iterable[uuid.UUID]) -> list[CardRecord]:
        """The cards of these members that the ledger doesn't have yet."""
        ...


class Orders(Protocol):
    """Each sale as an order (member or not), kept until the ledger has it."""

    def add(self, record: OrderRecord) -> None: ...

    def get(self, channel: str, order_ref: str) -> OrderRecord | None: ...

    def to_upload(self, keys: Iterable[tuple[str, str]]) -> list[OrderRecord]:
        """Of these (channel, order ref) keys, the orders the ledger doesn't have yet."""
        ...

    def unsent(self, limit: int) -> list[OrderRecord]:
        """The oldest orders the ledger doesn't have yet (non-member ones make no entries
        to carry them)."""
        ...

    def mark_on_ledger(self, keys: Iterable[tuple[str, str]]) -> None: ...

    def add_coupons(self, member_id: uuid.UUID, coupons: Iterable[CouponIssue]) -> None:
        """Keep coupons issued without an order (a welcome coupon); one kept already under
        the same id stays as it was."""
        ...

    def withdraw_coupons(self, member_id: uuid.UUID, coupons: Iterable[CouponIssue]) -> None:
        """Coupons an order issued, when it is refunded: no longer listed."""
        ...

    def coupons(self, member_id: uuid.UUID, at: datetime) -> list[CouponIssue]:
        """The coupons orders rung up here issued the member, not expired at ``at`` and not
        used here, soonest to expire first (a coupon for next quarter is listed before it
        is valid)."""
        ...

    def coupon(self, coupon_id: uuid.UUID) -> KeptCoupon | None:
        """A coupon this kiosk holds, used or not."""
        ...

    def use_coupon(self, coupon_id: uuid.UUID, order_ref: str, at: datetime) -> bool:
        """Mark a coupon held here used by ``order_ref``; False if another order used it."""
        ...

    def release_coupon(self, coupon_id: uuid.UUID, order_ref: str) -> None:
        """A coupon ``order_ref`` used is usable again (the order was refunded whole)."""
        ...


class Refunds(Protocol):
    """Refunds by line, kept until the ledger has them."""

    def add(self, refund: Refund) -> None: ...

    def of_order(self, channel: str, order_ref: str) -> list[Refund]: ...

    def to_upload(self, keys: Iterable[tuple[str, str]]) -> list[Refund]:
        """Of these (channel, order ref) keys' refunds, those the ledger doesn't have."""
        ...

    def unsent(self, limit: int) -> list[Refund]: ...

    def mark_on_ledger(self, ids: Iterable[uuid.UUID]) -> None: ...


class Entries(Protocol):
    """The append-only ledger as this kiosk holds it, and what is derived from it."""

    def append(self, entries: Sequence[Entry]) -> None:
        """Entries made here: the member's balance moves and each joins the outbox."""
        ...

    def sale_state(self, member_id: uuid.UUID, since: datetime, channel: str,
                   order_ref: str | None) -> SaleState:
        """Everything a sale must know before it writes."""
        ...

    def balance(self, member_id: uuid.UUID) -> int: ...

    def present(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """Which of these entry ids the store holds (a derived award granted already)."""
        ...

    def has_purchase(self, member_id: uuid.UUID) -> bool:
        """Whether the member has bought anything before (an earn with a spend)."""
        ...

    def stamps(self, member_id: uuid.UUID) -> dict[str, int]:
        """The stamps the member holds on each punch card, by card id (the card's wallet is
        its stamp entries' note), leaving out what the ledger refused."""
        ...

    def spend_since(self, member_id: uuid.UUID, since: datetime) -> int:
        """Net spend in the tier window, leaving out what the ledger refused."""
        ...

    def tier_events(self, member_id: uuid.UUID, since: datetime,
                    basis: Literal["spend", "points"]) -> list[tuple[datetime, int]]:
        """The member's qualifying events dated ``since`` or later, leaving out what the
        ledger refused: (occurred_at, spend) of every entry with a spend, or (occurred_at,
        points) of the entries :func:`kiosk.tiers.earns_tier_points` counts. Read only
        under a tier policy other than the rolling window's spend."""
        ...

    def recent(self, member_id: uuid.UUID, limit: int) -> list[Entry]:
        """The member's latest entries, newest first."""
        ...

    def of_member(self, member_id: uuid.UUID) -> list[Entry]:
        """Oldest first."""
        ...

    def lot_entries(self, member_id: uuid.UUID) -> list[Entry]:
        """The member's entries the lots replay: those the balance counts, so none the
        ledger refused or this kiosk held back; in the ledger's order (its seq), then
        those it has not numbered yet in the order they were made here."""
        ...

    def lot_rows(self, member_id: uuid.UUID) -> list[LotRow]:
        """``lot_entries``, in its order, as the lots read them."""
        ...

    def sale(self, channel: str, order_ref: str) -> Entry | None:
        """The earn entry of ``channel``'s order ``order_ref``."""
        ...

    def of_order(self, channel: str, order_ref: str) -> list[tuple[Entry, int, int]]:
        """Every entry of ``channel``'s order, each with the points and spend its reversals
        add up to so far (a refund by line reverses an entry in parts)."""
        ...

    def recent_sales(self, channel: str, member_id: uuid.UUID | None,
                     order_ref: str | None, limit: int) -> list[SaleSummary]:
        """``channel``'s sales (earn entries with an order ref), newest first, optionally
        one member's or one order's."""
        ...

    def spend_floor(self, member_id: uuid.UUID, start: datetime, end: datetime,
                    channel: str) -> SpendFloor:
        """The member's balance, the points this device (``channel``) redeemed or donated
        for them dated in [start, end), and the redemptions and donations made here the
        ledger hasn't answered for (numbered or refused): what the offline floor limits
        read, in one look."""
        ...

    def since(self, since: datetime, channel: str) -> list[Entry]:
        """This device's entries since ``since``, oldest first."""
        ...


class Outbox(Protocol):
    """What waits for the ledger, its answers, and what is kept back from it."""

    def size(self) -> int:
        """Entries not yet acknowledged."""
        ...

    def batch(self, limit: int, after: int = 0) -> list[tuple[int, Entry]]:
        """The oldest entries not yet acknowledged (numbered above ``after``), with this
        device's number for each."""
        ...

    def mark_unsent(self, member_ids: Iterable[uuid.UUID]) -> None:
        """These members and their cards go up again with the next upload needing them."""
        ...

    def mark_on_ledger(self, member_ids: Iterable[uuid.UUID],
                       card_nos: Iterable[str]) -> None: ...

    def acknowledge(self, synced: Iterable[tuple[uuid.UUID, int]],
                    rejected: Iterable[tuple[uuid.UUID, str]], acked_through: int,
                    at: datetime) -> int:
        """Note the ledger's seq for synced entries and its reasons for rejected ones, and
        clear the outbox below the mark the ledger confirmed; returns rows cleared."""
        ...

    def quarantine(self, entries: Iterable[tuple[uuid.UUID, str]], at: datetime) -> None:
        """Keep entries back from the ledger, with the reason."""
        ...

    def quarantined(self, entry_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Of ``entry_ids``, those kept back, with the reason."""
        ...

    def held_back(self, latest: int, since: datetime) -> tuple[int, list[str]]:
        """How many entries were kept back since ``since``, and the latest few reasons."""
        ...

    def rejections(self) -> list[tuple[uuid.UUID, str]]: ...


class Pulled(Protocol):
    def apply(self, members: Sequence[Member], cards: Sequence[CardRecord],
              entries: Sequence[tuple[Entry, int]]) -> int:
        """Entries from the ledger, each with its seq: new ones are appended, known ones
        learn their seq; returns how many were new. Members and cards come marked as on
        the ledger."""
        ...


class StaffRepository(Protocol):
    """Staff and the audit trail."""

    def active(self) -> list[StaffMember]:
        """Everyone who may sign in, managers first, then by name."""
        ...

    def by_name(self, name: str) -> StaffMember | None:
        """Case-blind, active people only."""
        ...

    def pin(self, staff_id: uuid.UUID) -> PinState | None: ...

    def count_wrong_pin(self, staff_id: uuid.UUID, at: datetime) -> int:
        """One more wrong PIN for this person in a row; returns how many now."""
        ...

    def forgive_wrong_pins(self, staff_id: uuid.UUID) -> None: ...

    def add(self, person: StaffMember, pin_hash: str, at: datetime) -> None: ...

    def set_pin(self, staff_id: uuid.UUID, pin_hash: str) -> None: ...

    def deactivate(self, staff_id: uuid.UUID) -> None: ...

    def record(self, event: AuditEvent) -> None: ...

    def trail(self, limit: int, since: datetime | None = None) -> list[AuditEvent]:
        """Newest first."""
        ...


class Checks(Protocol):
    def problems(self) -> list[str]:
        """Every way the store breaks the ledger's invariants; empty when all is well."""
        ...


class UnitOfWork(Protocol):
    """One open transaction, reached through its repositories."""

    @property
    def devices(self) -> Devices: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def trust(self) -> Trust: ...
    @property
    def members(self) -> Members: ...
    @property
    def cards(self) -> Cards: ...
    @property
    def entries(self) -> Entries: ...
    @property
    def orders(self) -> Orders: ...
    @property
    def refunds(self) -> Refunds: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def pulled(self) -> Pulled: ...
    @property
    def staff(self) -> StaffRepository: ...
    @property
    def checks(self) -> Checks: ...


class Store(Protocol):
    """Reads see one consistent moment; a write is committed (durably) when its block
    ends normally and leaves nothing behind when it raises. Disk and database failures
    are :class:`kiosk.records.StorageError`."""

    def read(self) -> AbstractContextManager[UnitOfWork]: ...

    def peek(self) -> AbstractContextManager[UnitOfWork]:
        """A short read that a write follows at once (a checkout's look before it rings
        up): as ``read``, but it waits for a write in progress. Never for a long read."""
        ...

    def write(self) -> AbstractContextManager[UnitOfWork]: ...

    def close(self) -> None: ...

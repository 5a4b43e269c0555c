"""An in-memory :class:`kiosk.services.ports.Store`: plain dicts and lists with the meaning
the SQLite store gives them (its triggers included: an appended entry moves the balance
and joins the outbox, a refused one leaves the balance), so the service tests run on it
as well as on SQLite and a port that only SQLite honours shows up as a failing test.

A write works on a copy of everything (records are immutable, so copying the containers
is enough) that replaces the store's data only when the block ends normally.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.orders import CARD_WALLET, CouponIssue
from kiosk.engine.record import OrderRecord
from kiosk.engine.refunds import Refund
from kiosk.ledger import SPEND_KINDS, Entry, EntryKind, balance_mismatches, moves_points
from kiosk.members import PROFILE, Member
from kiosk.records import (
    ACKED_THROUGH,
    PROGRAM_VERSION,
    CardRecord,
    DeviceRecord,
    KeptCoupon,
    PinState,
    SaleState,
    SpendFloor,
)
from kiosk.services.ports import SaleSummary
from kiosk.staff import AuditEvent, Role, StaffMember
from kiosk.tiers import earns_tier_points
from kiosk.wallets import LotRow


class Refused(Exception):
    """What SQLite refuses with a constraint or a trigger (IntegrityError there)."""


@dataclass(frozen=True)
class _StaffRow:
    person: StaffMember
    pin_hash: str
    active: bool
    wrong_pins: int = 0
    last_wrong_pin: datetime | None = None


@dataclass
class _Data:
    device: DeviceRecord | None = None
    next_card_serial: int = 1
    settings: dict[str, str] = field(default_factory=dict)
    programs: dict[str, str] = field(default_factory=dict)
    certificates: dict[str, tuple[str, bool]] = field(default_factory=dict)
    revoked_cards: set[str] = field(default_factory=set)
    members: dict[uuid.UUID, Member] = field(default_factory=dict)
    members_on_ledger: set[uuid.UUID] = field(default_factory=set)
    cards: dict[str, CardRecord] = field(default_factory=dict)
    cards_on_ledger: set[str] = field(default_factory=set)
    entries: dict[uuid.UUID, Entry] = field(default_factory=dict)  # in the order appended
    server_seqs: dict[uuid.UUID, int] = field(default_factory=dict)
    balances: dict[uuid.UUID, int] = field(default_factory=dict)
    outbox: dict[int, uuid.UUID | None] = field(default_factory=dict)
    rejections: dict[uuid.UUID, tuple[str, datetime]] = field(default_factory=dict)
    staff: dict[uuid.UUID, _StaffRow] = field(default_factory=dict)
    trail: list[AuditEvent] = field(default_factory=list)
    orders: dict[tuple[str, str], tuple[OrderRecord, bool]] = field(default_factory=dict)
    coupons: dict[uuid.UUID, tuple[uuid.UUID, CouponIssue]] = field(default_factory=dict)
    coupon_uses: dict[uuid.UUID, str] = field(default_factory=dict)  # id -> order ref
    revoked_here: dict[str, tuple[uuid.UUID, datetime]] = field(default_factory=dict)
    refunds: dict[uuid.UUID, tuple[Refund, bool]] = field(default_factory=dict)

    def copy(self) -> _Data:
        return _Data(**{name: value.copy() if hasattr(value, "copy") else value
                        for name, value in vars(self).items()})

    # -- what SQLite's triggers do ---------------------------------------------------------
    def insert_entry(self, e: Entry, server_seq: int | None = None) -> None:
        if e.member_id not in self.members:
            raise Refused("FOREIGN KEY constraint failed")
        if e.kind is EntryKind.EARN and e.order_ref is not None and any(
                x.kind is EntryKind.EARN and x.order_ref == e.order_ref
                and x.channel == e.channel for x in self.entries.values()):
            raise Refused("UNIQUE constraint failed: one sale per channel and order")
        original = None if e.reverses is None else self.entries.get(e.reverses)
        if original is not None:
            parts = [x for x in self.entries.values() if x.reverses == e.reverses] + [e]
            points, amount = sum(x.points for x in parts), sum(x.amount_minor for x in parts)
            if (original.points * points > 0 or abs(points) > abs(original.points)
                    or original.amount_minor * amount > 0
                    or abs(amount) > abs(original.amount_minor)):
                raise Refused("CHECK constraint failed: reversals within the entry")
        self.entries[e.id] = e
        if moves_points(e.kind):
            self.balances[e.member_id] = self.balances.get(e.member_id, 0) + e.points
        if server_seq is None:
            self.outbox[max(self.outbox, default=0) + 1] = e.id
        else:
            self.server_seqs[e.id] = server_seq

    def reject(self, entry_id: uuid.UUID, reason: str, at: datetime) -> None:
        if entry_id in self.rejections:
            return  # INSERT OR IGNORE
        self.rejections[entry_id] = (reason, at)
        refused = self.entries[entry_id]
        if refused.member_id in self.balances and moves_points(refused.kind):
            self.balances[refused.member_id] -= refused.points

    def settled(self, entry_id: uuid.UUID | None) -> bool:
        return entry_id is None or entry_id in self.server_seqs or entry_id in self.rejections


class _Part:
    def __init__(self, data: _Data) -> None:
        self.d = data


class MemoryDevices(_Part):
    def get(self) -> DeviceRecord | None:
        return self.d.device

    def create(self, record: DeviceRecord, created_at: datetime) -> None:
        if self.d.device is not None:
            raise Refused("UNIQUE constraint failed: device.id")
        self.d.device, self.d.next_card_serial = record, 1

    def take_card_serial(self) -> int:
        self.d.next_card_serial += 1
        return self.d.next_card_serial - 1


class MemorySettings(_Part):
    def get(self, key: str) -> str | None:
        return self.d.settings.get(key)

    def set(self, key: str, value: str) -> None:
        self.d.settings[key] = value

    def install_program(self, version: str, document: str, at: datetime) -> None:
        self.keep_program(version, document, at)
        self.set(PROGRAM_VERSION, version)

    def keep_program(self, version: str, document: str, at: datetime) -> None:
        self.d.programs.setdefault(version, document)

    def program_document(self, version: str | None = None) -> str | None:
        version = version or self.get(PROGRAM_VERSION)
        return None if version is None else self.d.programs.get(version)


class MemoryTrust(_Part):
    def add_certificate(self, key_id: str, document: str) -> None:
        if key_id in self.d.certificates:
            raise Refused("UNIQUE constraint failed: certificates.key_id")
        self.d.certificates[key_id] = (document, False)

    def upsert_certificate(self, key_id: str, document: str, revoked: bool) -> None:
        known = self.d.certificates.get(key_id)
        self.d.certificates[key_id] = (document if known is None else known[0], revoked)

    def certificates(self) -> list[tuple[str, bool]]:
        return list(self.d.certificates.values())

    def revoked_cards(self) -> frozenset[str]:
        return frozenset(self.d.revoked_cards)

    def revoke_card(self, card_no: str, at: datetime) -> None:
        self.d.revoked_cards.add(card_no)

    def revoke_here(self, card_no: str, member_id: uuid.UUID, at: datetime) -> None:
        self.d.revoked_cards.add(card_no)
        self.d.revoked_here.setdefault(card_no, (member_id, at))

    def unsent_revocations(self) -> list[tuple[str, uuid.UUID, datetime]]:
        return sorted(((no, member, at) for no, (member, at) in self.d.revoked_here.items()),
                      key=lambda r: r[2])

    def mark_revocations_sent(self, card_nos: Iterable[str]) -> None:
        for no in card_nos:
            self.d.revoked_here.pop(no, None)


class MemoryMembers(_Part):
    def get(self, member_id: uuid.UUID) -> Member | None:
        return self.d.members.get(member_id)

    def ids(self) -> list[uuid.UUID]:
        return [x.id for x in sorted(self.d.members.values(), key=lambda x: x.enrolled_at)]

    def with_phone(self, phone: str) -> list[Member]:
        return [x for x in self.d.members.values() if x.phone == phone]

    def by_ids(self, ids: Iterable[uuid.UUID]) -> list[Member]:
        return [self.d.members[i] for i in set(ids) if i in self.d.members]

    def add(self, member: Member) -> None:
        if member.id in self.d.members:
            raise Refused("UNIQUE constraint failed: members.id")
        self.d.members[member.id] = member

    def complete_profiles(self, members: Sequence[Member]) -> None:
        for x in members:
            known = self.d.members.get(x.id)
            if known is not None and known.profile_pending:
                self.d.members[x.id] = replace(known, profile_pending=False,
                                               **{f: getattr(x, f) for f in PROFILE})

    def enrolled_since(self, since: datetime, channel: str) -> int:
        return sum(1 for x in self.d.members.values()
                   if x.enrolled_at >= since and x.channel == channel)

    def to_upload(self, ids: Iterable[uuid.UUID]) -> list[Member]:
        wanted = set(ids) - self.d.members_on_ledger
        return [x for x in self.d.members.values() if x.id in wanted]


class MemoryCards(_Part):
    def get(self, card_no: str) -> CardRecord | None:
        return self.d.cards.get(card_no)

    def add(self, card: CardRecord) -> None:
        if card.card_no in self.d.cards or card.member_id not in self.d.members:
            raise Refused("constraint failed: cards")
        self.d.cards[card.card_no] = card

    def of_member(self, member_id: uuid.UUID) -> list[CardRecord]:
        return sorted((c for c in self.d.cards.values() if c.member_id == member_id),
                      key=lambda c: c.issued_at)

    def of_members(self, ids: Iterable[uuid.UUID]) -> list[CardRecord]:
        wanted = set(ids)
        return [c for c in self.d.cards.values() if c.member_id in wanted]

    def to_upload(self, member_ids: Iterable[uuid.UUID]) -> list[CardRecord]:
        wanted = set(member_ids)
        return [c for c in self.d.cards.values()
                if c.member_id in wanted and c.card_no not in self.d.cards_on_ledger]


class MemoryEntries(_Part):
    def append(self, entries: Sequence[Entry]) -> None:
        for e in entries:
            self.d.insert_entry(e)

    def sale_state(self, member_id: uuid.UUID, since: datetime, channel: str,
                   order_ref: str | None) -> SaleState:
        member = self.d.members.get(member_id)
        earlier = None if order_ref is None else self.sale(channel, order_ref)
        return SaleState(member is not None, self.spend_since(member_id, since),
                         self.balance(member_id), None if earlier is None else earlier.id,
                         member is not None and member.profile_pending,
                         order_ref is not None and (channel, order_ref) in self.d.orders)

    def balance(self, member_id: uuid.UUID) -> int:
        return self.d.balances.get(member_id, 0)

    def present(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        return {i for i in ids if i in self.d.entries}

    def has_purchase(self, member_id: uuid.UUID) -> bool:
        return any(e.member_id == member_id and e.kind is EntryKind.EARN and e.amount_minor > 0
                   for e in self.d.entries.values())

    def stamps(self, member_id: uuid.UUID) -> dict[str, int]:
        held: dict[str, int] = {}
        for e in self.d.entries.values():
            if (e.member_id == member_id and e.kind is EntryKind.STAMP and e.note
                    and e.id not in self.d.rejections):
                card = e.note.removeprefix(CARD_WALLET)
                held[card] = held.get(card, 0) + e.points
        return held

    def spend_since(self, member_id: uuid.UUID, since: datetime) -> int:
        return sum(e.amount_minor for e in self.d.entries.values()
                   if e.member_id == member_id and e.occurred_at >= since
                   and e.kind in SPEND_KINDS and e.id not in self.d.rejections)

    def tier_events(self, member_id: uuid.UUID, since: datetime,
                    basis: Literal["spend", "points"]) -> list[tuple[datetime, int]]:
        mine = [e for e in self.d.entries.values() if e.member_id == member_id
                and e.occurred_at >= since and e.id not in self.d.rejections]
        if basis == "spend":
            return [(e.occurred_at, e.amount_minor) for e in mine
                    if e.amount_minor and e.kind in SPEND_KINDS]
        return [(e.occurred_at, e.points) for e in mine
                if earns_tier_points(e.kind, e.points, e.order_ref)]

    def recent(self, member_id: uuid.UUID, limit: int) -> list[Entry]:
        return sorted((e for e in self.d.entries.values() if e.member_id == member_id),
                      key=lambda e: (e.occurred_at, e.id), reverse=True)[:limit]

    def of_member(self, member_id: uuid.UUID) -> list[Entry]:
        return sorted((e for e in self.d.entries.values() if e.member_id == member_id),
                      key=lambda e: (e.occurred_at, e.id))

    def lot_entries(self, member_id: uuid.UUID) -> list[Entry]:
        seqs = self.d.server_seqs  # not numbered yet: as appended (a stable sort)
        return sorted((e for e in self.d.entries.values()
                       if e.member_id == member_id and e.id not in self.d.rejections),
                      key=lambda e: (e.id not in seqs, seqs.get(e.id, 0)))

    def lot_rows(self, member_id: uuid.UUID) -> list[LotRow]:
        return [(e.id.bytes, e.kind.value, e.points, e.occurred_at,
                 None if e.reverses is None else e.reverses.bytes, e.note,
                 e.order_ref is not None) for e in self.lot_entries(member_id)]

    def sale(self, channel: str, order_ref: str) -> Entry | None:
        return next((e for e in self.d.entries.values() if e.kind is EntryKind.EARN
                     and e.channel == channel and e.order_ref == order_ref), None)

    def _reversed(self) -> set[uuid.UUID]:
        """Entries reversed in full (a refund by line reverses one in parts)."""
        undone: dict[uuid.UUID, int] = {}
        for e in self.d.entries.values():
            if e.reverses is not None:
                undone[e.reverses] = undone.get(e.reverses, 0) + e.amount_minor
        return {i for i, amount in undone.items()
                if i in self.d.entries and amount == -self.d.entries[i].amount_minor}

    def of_order(self, channel: str, order_ref: str) -> list[tuple[Entry, int, int]]:
        def back(e: Entry) -> tuple[int, int]:
            parts = [x for x in self.d.entries.values() if x.reverses == e.id]
            return sum(x.points for x in parts), sum(x.amount_minor for x in parts)
        return [(e, *back(e)) for e in sorted(
            (e for e in self.d.entries.values()
             if e.order_ref == order_ref and e.channel == channel),
            key=lambda e: (e.occurred_at, e.id))]

    def recent_sales(self, channel: str, member_id: uuid.UUID | None, order_ref: str | None,
                     limit: int) -> list[SaleSummary]:
        done = self._reversed()
        sales = sorted((e for e in self.d.entries.values()
                        if e.channel == channel and e.kind is EntryKind.EARN
                        and e.order_ref is not None
                        and member_id in (None, e.member_id)
                        and order_ref in (None, e.order_ref)),
                       key=lambda e: (e.occurred_at, e.id), reverse=True)[:limit]
        found: list[SaleSummary] = []
        for e in sales:
            assert e.order_ref is not None
            member = self.d.members.get(e.member_id)
            points = sum(x.points for x in self.d.entries.values()
                         if x.order_ref == e.order_ref and x.channel == e.channel
                         and x.kind not in (EntryKind.REVERSE, EntryKind.STAMP))
            found.append((e.order_ref, e.member_id, None if member is None else member.name,
                          e.occurred_at, e.amount_minor, points, e.id in done))
        return found

    def spend_floor(self, member_id: uuid.UUID, start: datetime, end: datetime,
                    channel: str) -> SpendFloor:
        floor = (EntryKind.REDEEM, EntryKind.DONATE)  # kiosk/store/entry_rows.py's
        today = -sum(e.points for e in self.d.entries.values()
                     if e.member_id == member_id and start <= e.occurred_at < end
                     and e.channel == channel and e.kind in floor)
        waiting = sum(1 for i in self.d.outbox.values()
                      if i is not None and self.d.entries[i].kind in floor)
        return SpendFloor(self.balance(member_id), today, waiting)

    def since(self, since: datetime, channel: str) -> list[Entry]:
        return sorted((e for e in self.d.entries.values()
                       if e.occurred_at >= since and e.channel == channel),
                      key=lambda e: e.occurred_at)


class MemoryOutbox(_Part):
    def size(self) -> int:
        return sum(1 for i in self.d.outbox.values() if i is not None)


    def batch(self, limit: int, after: int = 0) -> list[tuple[int, Entry]]:
        return [(seq, self.d.entries[i]) for seq, i in sorted(self.d.outbox.items())
                if seq > after and i is not None][:limit]

    def mark_unsent(self, member_ids: Iterable[uuid.UUID]) -> None:
        ids = set(member_ids)
        self.d.members_on_ledger -= ids
        self.d.cards_on_ledger -= {c.card_no for c in self.d.cards.values()
                                   if c.member_id in ids}

    def mark_on_ledger(self, member_ids: Iterable[uuid.UUID], card_nos: Iterable[str]) -> None:
        self.d.members_on_ledger |= set(member_ids) & self.d.members.keys()
        self.d.cards_on_ledger |= set(card_nos) & self.d.cards.keys()

    def acknowledge(self, synced: Iterable[tuple[uuid.UUID, int]],
                    rejected: Iterable[tuple[uuid.UUID, str]], acked_through: int,
                    at: datetime) -> int:
        for entry_id, seq in synced:
            if entry_id in self.d.entries:
                self.d.server_seqs.setdefault(entry_id, seq)
        for entry_id, reason in rejected:
            self.d.reject(entry_id, reason, at)
        known = int(self.d.settings.get(ACKED_THROUGH) or 0)
        mark = max(acked_through, known)
        settled = {seq for seq, i in self.d.outbox.items() if self.d.settled(i)}
        cleared = sum(1 for seq in settled if seq <= mark and self.d.outbox[seq] is not None)
        for seq in settled:
            if seq < mark:
                del self.d.outbox[seq]
            elif seq == mark:
                self.d.outbox[seq] = None  # the tombstone keeps the next number above it
        if mark > known:
            self.d.settings[ACKED_THROUGH] = str(mark)
        return cleared

    def quarantine(self, entries: Iterable[tuple[uuid.UUID, str]], at: datetime) -> None:
        for entry_id, reason in entries:
            self.d.reject(entry_id, reason, at)

    def quarantined(self, entry_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        return {i: self.d.rejections[i][0] for i in entry_ids if i in self.d.rejections}

    def held_back(self, latest: int, since: datetime) -> tuple[int, list[str]]:
        recent = [(at, reason) for reason, at in self.d.rejections.values() if at >= since]
        recent.sort(key=lambda r: r[0], reverse=True)
        return len(recent), [reason for _, reason in recent[:latest]]

    def rejections(self) -> list[tuple[uuid.UUID, str]]:
        return [(i, reason) for i, (reason, _) in self.d.rejections.items()]


class MemoryPulled(_Part):
    def apply(self, members: Sequence[Member], cards: Sequence[CardRecord],
              entries: Sequence[tuple[Entry, int]]) -> int:
        for x in members:
            self.d.members.setdefault(x.id, x)
            self.d.members_on_ledger.add(x.id)
        MemoryMembers(self.d).complete_profiles([x for x in members if not x.profile_pending])
        for c in cards:  # as SqlitePulled: a different card under a number held is skipped
            held = self.d.cards.setdefault(c.card_no, c)
            if (held.member_id, held.payload) == (c.member_id, c.payload):
                self.d.cards_on_ledger.add(c.card_no)
        new = 0
        for e, seq in entries:
            if e.id in self.d.entries:
                self.d.server_seqs.setdefault(e.id, seq)
                self._take_ledger_copy(e, seq)
            else:
                self.d.insert_entry(e, server_seq=seq)
                new += 1
        return new

    def _take_ledger_copy(self, e: Entry, seq: int) -> None:
        """SQLite's TAKE_LEDGER_COPY and migration 0014's balance trigger."""
        ours = self.d.entries[e.id]
        if (e.channel != DERIVED_CHANNEL or ours == e or self.d.server_seqs[e.id] != seq
                or (ours.member_id, ours.kind, ours.channel, ours.note)
                != (e.member_id, e.kind, e.channel, e.note)):
            return
        self.d.entries[e.id] = e
        if moves_points(e.kind) and e.id not in self.d.rejections:
            self.d.balances[e.member_id] += e.points - ours.points


class MemoryStaff(_Part):
    def _row(self, staff_id: uuid.UUID) -> _StaffRow:
        return self.d.staff[staff_id]

    def active(self) -> list[StaffMember]:
        people = [r.person for r in self.d.staff.values() if r.active]
        return sorted(people, key=lambda p: (p.role is not Role.MANAGER, p.name.casefold()))

    def by_name(self, name: str) -> StaffMember | None:
        return next((r.person for r in self.d.staff.values()
                     if r.active and r.person.name.casefold() == name.casefold()), None)

    def pin(self, staff_id: uuid.UUID) -> PinState | None:
        row = self.d.staff.get(staff_id)
        if row is None or not row.active:
            return None
        return PinState(row.person, row.pin_hash, row.wrong_pins, row.last_wrong_pin)

    def count_wrong_pin(self, staff_id: uuid.UUID, at: datetime) -> int:
        row = self._row(staff_id)
        self.d.staff[staff_id] = replace(row, wrong_pins=row.wrong_pins + 1, last_wrong_pin=at)
        return row.wrong_pins + 1

    def forgive_wrong_pins(self, staff_id: uuid.UUID) -> None:
        if staff_id in self.d.staff:
            self.d.staff[staff_id] = replace(self._row(staff_id), wrong_pins=0)

    def add(self, person: StaffMember, pin_hash: str, at: datetime) -> None:
        if self.by_name(person.name) is not None:
            raise Refused("UNIQUE constraint failed: staff.name_key")
        self.d.staff[person.id] = _StaffRow(person, pin_hash, True)

    def set_pin(self, staff_id: uuid.UUID, pin_hash: str) -> None:
        if staff_id in self.d.staff:
            self.d.staff[staff_id] = replace(self._row(staff_id), pin_hash=pin_hash,
                                             wrong_pins=0)

    def deactivate(self, staff_id: uuid.UUID) -> None:
        if staff_id in self.d.staff:
            self.d.staff[staff_id] = replace(self._row(staff_id), active=False)

    def record(self, event: AuditEvent) -> None:
        self.d.trail.append(event)

    def trail(self, limit: int, since: datetime | None = None) -> list[AuditEvent]:
        # Newest first; of events at the same instant, the one recorded last first (as
        # SQLite reads its index on the time backwards).
        events = [e for e in reversed(self.d.trail) if since is None or e.at >= since]
        return sorted(events, key=lambda e: e.at, reverse=True)[:limit]


class MemoryChecks(_Part):
    def problems(self) -> list[str]:
        d, found = self.d, []
        sums: dict[uuid.UUID, int] = {}
        for e in d.entries.values():
            if e.id not in d.rejections:
                sums[e.member_id] = sums.get(e.member_id, 0) + e.points
        found += balance_mismatches(sums, d.balances)
        backs: dict[uuid.UUID, list[Entry]] = {}
        for e in d.entries.values():
            if e.reverses is not None:
                backs.setdefault(e.reverses, []).append(e)
        for original_id, parts in backs.items():
            original = d.entries.get(original_id)
            points, amount = sum(e.points for e in parts), sum(e.amount_minor for e in parts)
            if original is not None and (
                    any(e.member_id != original.member_id for e in parts)
                    or original.points * points > 0 or abs(points) > abs(original.points)
                    or original.amount_minor * amount > 0
                    or abs(amount) > abs(original.amount_minor)):
                found.append(f"entry {original_id}: its reversals go beyond the entry they "
                             "reverse")
        mark = int(d.settings.get(ACKED_THROUGH) or 0)
        seqs = [s for s in d.outbox if s > mark]
        if seqs and max(seqs) - min(seqs) + 1 != len(seqs):
            found.append(f"outbox: device sequence has gaps ({len(seqs)} rows in "
                         f"{min(seqs)}..{max(seqs)})")
        return found


class MemoryOrders(_Part):
    def add(self, record: OrderRecord) -> None:
        if record.key in self.d.orders:
            raise Refused("UNIQUE constraint failed: orders.channel, orders.order_ref")
        self.d.orders[record.key] = (record, False)
        if record.order.member_id is not None:
            self.add_coupons(record.order.member_id, record.coupons)

    def add_coupons(self, member_id: uuid.UUID, coupons: Iterable[CouponIssue]) -> None:
        for c in coupons:
            self.d.coupons.setdefault(c.id_for(member_id), (member_id, c))

    def withdraw_coupons(self, member_id: uuid.UUID, coupons: Iterable[CouponIssue]) -> None:
        for c in coupons:
            self.d.coupons.pop(c.id_for(member_id), None)

    def coupons(self, member_id: uuid.UUID, at: datetime) -> list[CouponIssue]:
        return sorted((c for key, (member, c) in self.d.coupons.items()
                       if member == member_id and c.expires_at > at
                       and key not in self.d.coupon_uses),
                      key=lambda c: (c.expires_at, c.id_for(member_id)))

    def coupon(self, coupon_id: uuid.UUID) -> KeptCoupon | None:
        found = self.d.coupons.get(coupon_id)
        return None if found is None else KeptCoupon(*found, self.d.coupon_uses.get(coupon_id))

    def use_coupon(self, coupon_id: uuid.UUID, order_ref: str, at: datetime) -> bool:
        if coupon_id not in self.d.coupons:
            return False
        return self.d.coupon_uses.setdefault(coupon_id, order_ref) == order_ref

    def release_coupon(self, coupon_id: uuid.UUID, order_ref: str) -> None:
        if self.d.coupon_uses.get(coupon_id) == order_ref:
            del self.d.coupon_uses[coupon_id]

    def get(self, channel: str, order_ref: str) -> OrderRecord | None:
        found = self.d.orders.get((channel, order_ref))
        return None if found is None else found[0]

    def to_upload(self, keys: Iterable[tuple[str, str]]) -> list[OrderRecord]:
        return [self.d.orders[k][0] for k in set(keys)
                if k in self.d.orders and not self.d.orders[k][1]]

    def unsent(self, limit: int) -> list[OrderRecord]:
        return sorted((r for r, sent in self.d.orders.values() if not sent),
                      key=lambda r: r.order.occurred_at)[:limit]

    def mark_on_ledger(self, keys: Iterable[tuple[str, str]]) -> None:
        for k in keys:
            if k in self.d.orders:
                self.d.orders[k] = (self.d.orders[k][0], True)


class MemoryRefunds(_Part):
    def add(self, refund: Refund) -> None:
        self.d.refunds[refund.id] = (refund, False)

    def of_order(self, channel: str, order_ref: str) -> list[Refund]:
        return sorted((r for r, _ in self.d.refunds.values()
                       if (r.channel, r.order_ref) == (channel, order_ref)),
                      key=lambda r: (r.occurred_at, r.id))

    def to_upload(self, keys: Iterable[tuple[str, str]]) -> list[Refund]:
        wanted = set(keys)
        return sorted((r for r, sent in self.d.refunds.values()
                       if not sent and (r.channel, r.order_ref) in wanted),
                      key=lambda r: (r.occurred_at, r.id))

    def unsent(self, limit: int) -> list[Refund]:
        return sorted((r for r, sent in self.d.refunds.values() if not sent),
                      key=lambda r: (r.occurred_at, r.id))[:limit]

    def mark_on_ledger(self, ids: Iterable[uuid.UUID]) -> None:
        for i in ids:
            if i in self.d.refunds:
                self.d.refunds[i] = (self.d.refunds[i][0], True)


class MemoryUnitOfWork:
    def __init__(self, data: _Data) -> None:
        self.devices = MemoryDevices(data)
        self.settings = MemorySettings(data)
        self.trust = MemoryTrust(data)
        self.members = MemoryMembers(data)
        self.cards = MemoryCards(data)
        self.entries = MemoryEntries(data)
        self.orders = MemoryOrders(data)
        self.refunds = MemoryRefunds(data)
        self.outbox = MemoryOutbox(data)
        self.pulled = MemoryPulled(data)
        self.staff = MemoryStaff(data)
        self.checks = MemoryChecks(data)


class MemoryStore:
    def __init__(self) -> None:
        self._data = _Data()
        self._lock = threading.Lock()
        self.closed = False

    @contextmanager
    def read(self) -> Iterator[MemoryUnitOfWork]:
        with self._lock:
            data = self._data  # a write replaces it whole, never changes it in place
        yield MemoryUnitOfWork(data)

    peek = read

    @contextmanager
    def write(self) -> Iterator[MemoryUnitOfWork]:
        with self._lock:
            work = self._data.copy()
            yield MemoryUnitOfWork(work)
            self._data = work  # only when the block ended normally

    def close(self) -> None:
        self.closed = True

"""Online operations on the ledger for a device that waits: the shop's orders and refunds,
look-ups and reports, beside the redemption holds they build on (``holds.py``)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select

from kiosk.awards import DERIVED_CHANNEL, member_state, order_entries, record_for
from kiosk.engine.coupons import spend_periods
from kiosk.engine.orders import (
    CARD_WALLET,
    KEYED_AMOUNT,
    NO_LOYALTY,
    MemberState,
    Order,
    OrderLine,
    derived_id,
)
from kiosk.engine.record import OrderRecord
from kiosk.engine.refunds import (
    Quantities,
    Refund,
    after,
    bonus_reversal,
    bonuses_back,
    lines_for_codes,
    refunded,
    rest_of,
    still_to_undo,
    whole,
)
from kiosk.ledger import REVERSIBLE, SPEND_KINDS, EntryKind, balance, moves_points, reversal
from kiosk.members import MemberInputError
from kiosk.phones import phone_keys, region_of
from kiosk.program import Program, Tier
from kiosk.tiers import tier_for_spend, tier_history_start, tier_standing, tier_window_start
from sync.protocol import ClockFlag, EntryResult, EntryWire, MemberWire, OrderWire, RejectionWire
from sync.server import models as m
from sync.server.bulk import keys_present
from sync.server.calls import Caller, LedgerRefusal
from sync.server.coupon_uses import record_uses
from sync.server.coupons import issue_for_orders, settle_whole_refunds, void_refunded
from sync.server.entry_rows import ENTRIES, wire_of_row
from sync.server.holds import Holds
from sync.server.orders import records_of, store_orders
from sync.server.refunds import lock_order, refunds_of, store_refunds
from sync.server.shop_checkout import ShopLoyalty, checkout_redemption, price_shop_order
from sync.server.tier_audit import member_tier_events
from sync.wire_orders import RefundWire
from sync.wire_shop import MemberHistory, OrderResult

# Entries made at once (a sale and a redemption from two threads) may be dated a moment out
# of their order; one dated this much before an earlier one is from a clock that went back.
CLOCK_TOLERANCE = timedelta(minutes=10)
# Only a sale carries spend: an older ledger's entries may carry some on another kind,
# which the member's tier and period spend leave out (as the audit's sums do).
_A_SALES_SPEND = ENTRIES.c.kind.in_([k.value for k in SPEND_KINDS])


@dataclass(frozen=True)
class OnlineCounter(Holds):
    """What the ledger does for a device while it waits (holds: :class:`Holds`; the
    shop's sales and refunds, look-ups, reports), as opposed to what a device uploads for
    later."""

    # -- the shop -------------------------------------------------------------------------
    def order(self, caller: Caller, member_id: uuid.UUID, amount_minor: int,
              order_ref: str, lines: tuple[OrderLine, ...] = (),
              loyalty: ShopLoyalty | None = None) -> OrderResult:
        """The shop's sale: an order run through the same engine the kiosks use (earn
        rules, promotions, once-only bonuses), with the loyalty it uses (a reward, a coupon,
        points as money: ``shop_checkout.py``), kept with its entries, which the ledger's
        own audit then checks like any device's."""
        if amount_minor <= 0:
            raise LedgerRefusal(422, "invalid_amount", "an order amount must be above zero")
        now = self.ledger.clock()
        with self.ledger.engine.begin() as conn:
            self.lock_head(conn)  # it appends: the head before the member (holds.py)
            self.lock_member(conn, member_id)
            program = self.ledger.current_program(conn)
            if amount_minor > program.max_sale_minor:  # as at the counter (sales.py)
                raise LedgerRefusal(422, "amount_over_limit", (
                    f"a sale is at most {program.limits.max_sale_amount} {program.currency}"))
            earlier = conn.execute(select(ENTRIES).where(
                ENTRIES.c.channel == caller.device_id, ENTRIES.c.order_ref == order_ref,
                ENTRIES.c.kind == EntryKind.EARN.value)).first()
            tier = self._tier(conn, program, member_id)
            if earlier is not None:
                kept = records_of(conn, caller.device_id, [order_ref]).get(order_ref)
                gross = kept.order.gross_minor if kept else earlier.amount_minor
                if earlier.member_id != member_id or gross != amount_minor:
                    raise LedgerRefusal(409, "order_conflict",
                                        f"order {order_ref} was recorded differently")
                return OrderResult(order_ref=order_ref, results=[EntryResult(
                    id=earlier.id, status="duplicate", seq=earlier.seq)],
                    points=earlier.points, balance=self._balance(conn, member_id),
                    tier=tier.id, duplicate=True)
            basket = lines or (OrderLine(KEYED_AMOUNT, 1, amount_minor),)
            priced = None
            if loyalty is not None and loyalty.used:
                priced = price_shop_order(
                    conn, program, channel=caller.device_id, order_ref=order_ref,
                    member_id=member_id, lines=basket, at=now, reward_id=loyalty.reward_id,
                    coupon_id=loyalty.coupon_id, points=loyalty.points,
                    available=self.available_points(conn, member_id))
            record = record_for(program, Order(
                caller.device_id, order_ref, now, priced.lines if priced else basket,
                member_id, store=caller.device_id,
                loyalty=priced.loyalty if priced else NO_LOYALTY),
                self._state(conn, program, member_id, tier, now))
            made = order_entries(record, new_id=uuid.uuid4, staff=None)
            spent = priced and checkout_redemption(priced, member_id=member_id,
                                                   channel=caller.device_id,
                                                   order_ref=order_ref, at=now,
                                                   version=program.version)
            if spent:  # first: the audit finds it when it checks the order's earn
                made = (spent, *made)
                # The ledger's yes, as for a hold: the shop spends through nothing else.
                self.take_over_lapsed(conn, member_id, -spent.points)
                conn.execute(insert(m.Reservation).values(
                    id=spent.id, member_id=member_id, device_id=caller.device_id,
                    points=spent.points, entry=EntryWire.of(spent).model_dump_json(),
                    state="confirmed", expires_at=now))
            derived = [e.id for e in made if e.channel == DERIVED_CHANNEL]
            granted = keys_present(conn, ENTRIES, "id", derived) if derived else set()
            entries = [EntryWire.of(e) for e in made if e.id not in granted]
            store_orders(conn, caller, [OrderWire.of(record)], now)
            results = self.ledger.append(conn, caller, entries)
            for refused in (r for r in results if r.status == "rejected"):
                # Not "200, points awarded": the order is refused whole, nothing kept.
                raise LedgerRefusal(422, refused.code or "rejected", refused.reason or "")
            issue_for_orders(conn, caller.device_id, [record], self.ledger.programs.program,
                             {})
            record_uses(conn, caller.device_id, [record], now)
            return OrderResult(order_ref=order_ref, results=results,
                               points=sum(e.points for e in entries
                                          if moves_points(e.kind)),
                               balance=self._balance(conn, member_id), tier=tier.id,
                               duplicate=False)

    def _state(self, conn: Connection, program: Program, member_id: uuid.UUID,
               tier: Tier, now: datetime) -> MemberState:
        """What the rules need to know of the member, as the ledger knows it."""
        member = conn.execute(select(m.Member.enrolled_at, m.Member.birthday,
                                     m.Member.referrer_id, m.Member.profile_pending)
                              .where(m.Member.id == member_id)).first()
        bought = program.bonuses.first_purchase is not None and conn.execute(
            select(ENTRIES.c.id).where(ENTRIES.c.member_id == member_id,
                                       ENTRIES.c.kind == EntryKind.EARN.value,
                                       ENTRIES.c.amount_minor > 0).limit(1)).first() is not None
        stamps = None
        if program.punch_cards:
            stamps = {note.removeprefix(CARD_WALLET): int(held) for note, held in conn.execute(
                select(ENTRIES.c.note, func.sum(ENTRIES.c.points)).where(
                    ENTRIES.c.member_id == member_id, ENTRIES.c.kind == EntryKind.STAMP.value)
                .group_by(ENTRIES.c.note)) if note}
        spend = {key: int(conn.execute(select(func.coalesce(func.sum(
            ENTRIES.c.amount_minor), 0)).where(ENTRIES.c.member_id == member_id,
                                               ENTRIES.c.occurred_at >= start,
                                               _A_SALES_SPEND)).scalar_one())
                 for key, start in spend_periods(program.coupons, now, program.zone).items()}
        return member_state(tier.id, member, bought, stamps, spend)

    def refund(self, caller: Caller, order_ref: str,
               lines: Sequence[tuple[str, int]] = ()) -> OrderResult:
        """Refund one of the caller's orders: ``lines`` (code, quantity), or what is left
        of it, with the engine the counter uses (``kiosk.engine.refunds``): the refund is
        kept and each entry reversed by what it now undoes beyond its earlier reversals."""
        now = self.ledger.clock()
        with self.ledger.engine.begin() as conn:
            program = self.ledger.current_program(conn)
            # First: a second refund of the order waits here, then reads what this one did.
            lock_order(conn, caller.device_id, order_ref)
            record = records_of(conn, caller.device_id, [order_ref]).get(order_ref)
            rows = conn.execute(select(ENTRIES).where(  # what a refund takes back, no more:
                ENTRIES.c.channel == caller.device_id, ENTRIES.c.order_ref == order_ref,
                ENTRIES.c.reverses.is_(None), ENTRIES.c.kind.in_([k.value for k in REVERSIBLE])
            ).order_by(ENTRIES.c.seq)).all()
            if not rows:
                raise LedgerRefusal(404, "unknown_order",
                                    f"nothing to refund for order {order_ref!r}")
            back = {r: (int(p), int(a)) for r, p, a in conn.execute(
                select(ENTRIES.c.reverses, func.sum(ENTRIES.c.points),
                       func.sum(ENTRIES.c.amount_minor)).where(
                    ENTRIES.c.reverses.in_([r.id for r in rows])).group_by(ENTRIES.c.reverses))}
            parts, done = self._refund_parts(conn, caller, record, rows, back, lines, now)
            backs = [reversal(wire_of_row(r).to_entry(), id=uuid.uuid4(), occurred_at=now,
                              channel=caller.device_id, program_version=program.version,
                              note="refund", part=part)
                     for r, part in zip(rows, parts, strict=True) if part != (0, 0)]
            backs += [bonus_reversal(wire_of_row(r).to_entry(), order_ref, id=uuid.uuid4(),
                                     occurred_at=now, channel=caller.device_id,
                                     program_version=program.version, note="refund")
                      for r in _bonuses(conn, record, done)]
            results = self.ledger.append(conn, caller, [EntryWire.of(b) for b in backs])
            for refused in (r for r in results if r.status == "rejected"):
                # Not "200, refunded" with a reversal left out: nothing is kept.
                raise LedgerRefusal(422, refused.code or "rejected", refused.reason or "")
            void_refunded(conn, [b.reverses for b in backs if b.kind is EntryKind.REVERSE
                                 and b.reverses is not None], now)
            settle_whole_refunds(conn, caller.device_id, [order_ref], now)
            member_id = rows[0].member_id
            return OrderResult(order_ref=order_ref, results=results,
                               points=balance(backs),
                               balance=self._balance(conn, member_id),
                               tier=self._tier(conn, program, member_id).id, duplicate=False)

    def _refund_parts(self, conn: Connection, caller: Caller, record: OrderRecord | None,
                      rows: Sequence[Any], back: Mapping[uuid.UUID, tuple[int, int]],
                      lines: Sequence[tuple[str, int]], now: datetime
                      ) -> tuple[list[tuple[int, int]], dict[int, int]]:
        """Each entry's reversal (points, spend; (0, 0) for none), the refund kept first,
        and what the order's refunds hand back now (nothing known of an order without
        lines)."""
        if record is None:  # an order from before orders had lines: whole, once
            if lines:
                raise LedgerRefusal(422, "invalid", f"order {rows[0].order_ref!r} has no "
                                    "lines to refund: refund it whole")
            if back:
                raise LedgerRefusal(404, "unknown_order", f"nothing left to refund for order "
                                    f"{rows[0].order_ref!r}")
            return [(-r.points, -r.amount_minor) for r in rows], {}
        order = record.order
        before = refunded(refunds_of(conn, caller.device_id, [order.order_ref])
                          .get(order.order_ref, []))
        if whole(order, before):  # answered as before refunds by line: nothing left
            raise LedgerRefusal(404, "unknown_order",
                                f"nothing left to refund for order {order.order_ref!r}")
        try:
            picked = lines_for_codes(order, before, lines) if lines else rest_of(order, before)
        except ValueError as exc:
            raise LedgerRefusal(422, "invalid", str(exc)) from None
        refund = Refund(uuid.uuid4(), caller.device_id, order.order_ref, now, picked)
        store_refunds(conn, caller, [RefundWire.of(refund)], {order.order_ref: record}, now)
        done = after(before, picked)
        return [still_to_undo(record, done, kind=EntryKind(r.kind), note=r.note,
                              points=r.points, amount_minor=r.amount_minor,
                              back_points=back.get(r.id, (0, 0))[0],
                              back_amount=back.get(r.id, (0, 0))[1]) for r in rows], done

    def history(self, member_id: uuid.UUID, limit: int) -> MemberHistory:
        with self.ledger.engine.connect() as conn:
            member = conn.execute(select(m.Member.__table__).where(
                m.Member.id == member_id)).first()
            if member is None:
                raise LedgerRefusal(404, "unknown_member", "the ledger does not know this member")
            program = self.ledger.current_program(conn)
            rows = conn.execute(select(ENTRIES).where(ENTRIES.c.member_id == member_id)
                                .order_by(ENTRIES.c.seq.desc()).limit(limit)).all()
            return MemberHistory(member=MemberWire.model_validate(member._asdict()),
                                 balance=self._balance(conn, member_id),
                                 available=self.available_points(conn, member_id),
                                 tier=self._tier(conn, program, member_id).id,
                                 entries=[wire_of_row(r) for r in rows])

    def find_member(self, phone: str) -> list[uuid.UUID]:
        """The members with this number however it is written (``0912-345-678``, ``+886 912
        345 678``), read as the counter reads it (``kiosk.phones``, the program's region)."""
        with self.ledger.engine.connect() as conn:
            try:
                keys = phone_keys(phone, region_of(self.ledger.current_program(conn).currency))
            except MemberInputError:  # not a number: only a member stored with this text
                keys = (phone,)
            return list(conn.execute(select(m.Member.id).where(m.Member.phone.in_(keys))
                                     .order_by(m.Member.enrolled_at, m.Member.id)).scalars())

    def overdrafts(self) -> list[dict[str, object]]:
        with self.ledger.engine.connect() as conn:
            rows = conn.execute(select(m.Overdraft.__table__).order_by(
                m.Overdraft.recorded_at)).all()
        return [json.loads(json.dumps(r._asdict(), default=str)) for r in rows]

    def rejections(self, device_id: str | None = None, limit: int = 1000
                   ) -> list[RejectionWire]:
        """Entries the ledger refused, per device and in the device's order, with the
        reason code: what a stolen token tried, or a kiosk that needs attention."""
        receipts = m.Receipt.__table__
        query = (select(receipts).where(receipts.c.status == "rejected")
                 .order_by(receipts.c.device_id, receipts.c.device_seq).limit(limit))
        if device_id is not None:
            query = query.where(receipts.c.device_id == device_id)
        with self.ledger.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [RejectionWire(device_id=r.device_id, device_seq=r.device_seq,
                              entry_id=r.entry_id, code=r.code or "rejected",
                              reason=r.reason or "") for r in rows]

    def clock_flags(self, device_id: str | None = None, limit: int = 1000
                    ) -> list[ClockFlag]:
        """Entries dated more than :data:`CLOCK_TOLERANCE` before an entry the same device
        made earlier (numbered below it): the device's clock went back between the two
        (they count, by the date they carry, but someone should look).

        Not "dated before an earlier upload arrived": an offline backlog goes up in many
        uploads, and its later batches hold entries made long before the first arrived.
        The SQL keeps only entries dated before an earlier one at all (a device dates its
        entries in order, so these are few); the tolerance is applied to them here."""
        e = ENTRIES
        latest = func.max(e.c.occurred_at).over(partition_by=e.c.device_id,
                                                order_by=e.c.device_seq, rows=(None, -1))
        numbered = select(e.c.device_id, e.c.device_seq, e.c.id, e.c.occurred_at,
                          latest.label("latest_before")).where(
            e.c.device_seq.is_not(None),
            # A once-only bonus is dated by a stable fact (the birthday's window, the
            # enrolment), not by the device's clock: it says nothing of the clock.
            e.c.channel != DERIVED_CHANNEL)
        if device_id is not None:
            numbered = numbered.where(e.c.device_id == device_id)
        inner = numbered.subquery()
        query = (select(inner).where(inner.c.occurred_at < inner.c.latest_before)
                 .order_by(inner.c.device_id, inner.c.device_seq))
        flags: list[ClockFlag] = []
        with self.ledger.engine.connect() as conn:
            for r in conn.execute(query):
                if r.occurred_at < r.latest_before - CLOCK_TOLERANCE:  # UTC, both typed
                    flags.append(ClockFlag(device_id=r.device_id, device_seq=r.device_seq,
                                           entry_id=r.id, occurred_at=r.occurred_at,
                                           latest_before=r.latest_before))
                    if len(flags) == limit:
                        break
        return flags

    def _tier(self, conn: Connection, program: Program, member_id: uuid.UUID) -> Tier:
        """The member's tier now, as a counter works it out: today's rule from the window's
        spend in one sum; another tier policy from the member's events since its history
        bound (``kiosk.tiers.tier_standing``)."""
        now = self.ledger.clock()
        if not program.tier_by_window_spend:
            events = member_tier_events(conn, {member_id}, tier_history_start(program, now),
                                        program.tier_rule.basis, gross=False)
            return tier_standing(program, events.get(member_id, []), now).tier
        since = tier_window_start(program, now)
        spend = conn.execute(select(func.coalesce(func.sum(ENTRIES.c.amount_minor), 0))
                             .where(ENTRIES.c.member_id == member_id,
                                    ENTRIES.c.occurred_at >= since, _A_SALES_SPEND)).scalar_one()
        return tier_for_spend(program, int(spend))

    def _balance(self, conn: Connection, member_id: uuid.UUID) -> int:
        return int(conn.execute(select(m.Balance.points).where(
            m.Balance.member_id == member_id)).scalar() or 0)


def _bonuses(conn: Connection, record: OrderRecord | None, done: Quantities) -> list[Any]:
    """The ledger's rows of the once-only bonuses ``done`` takes back with the order
    (``bonuses_back``: its first-purchase bonus, with the whole order) that nothing has
    reversed yet (a kiosk's refund of another "first" order may have)."""
    member = None if record is None else record.order.member_id
    if record is None or member is None:
        return []
    wanted = [derived_id(member, a.once) for a in bonuses_back(record, done)
              if a.once is not None]
    if not wanted:
        return []
    back = ENTRIES.alias("back")
    return list(conn.execute(select(ENTRIES).where(
        ENTRIES.c.id.in_(wanted), ~select(back.c.id).where(
            back.c.reverses == ENTRIES.c.id).exists())))


"""Refunding an order, whole or by line: the entries the refunded lines made get reversing
entries (corrections are new entries, nothing is edited), in proportion to what comes
back, from the awards stored with the order (``kiosk.engine.refunds``); what the order
spent comes back in the same proportion, its coupons with the whole order. The refund
itself is kept (which lines, how many) and goes to the ledger with its reversals, which
checks them against it. The counter picks the order from this kiosk's recent sales, so
nobody has to copy an order number off a banner that was shown for six seconds."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from kiosk.engine.order_codes import ORDER_PREFIX, parse_order_payload
from kiosk.engine.orders import Order, derived_id
from kiosk.engine.record import OrderRecord
from kiosk.engine.refunds import (
    Quantities,
    Refund,
    RefundLine,
    after,
    bonus_reversal,
    bonuses_back,
    coupons_back,
    lines_for_codes,
    money_back,
    refund_problem,
    refunded,
    rest_of,
    still_to_undo,
    whole,
)
from kiosk.ledger import REVERSIBLE, Entry, balance, moves_points, reversal
from kiosk.services.context import Kiosk
from kiosk.services.errors import (
    AlreadyRefunded,
    InvalidInput,
    Refusal,
    UnknownOrder,
    check_text,
    product_code,
)
from kiosk.services.ports import UnitOfWork
from kiosk.services.staff import NotAManager, UnknownStaff, acting, needs_sign_in
from kiosk.services.staff import record as record_audit
from kiosk.staff import AuditAction


class OrderElsewhere(UnknownOrder):
    """A receipt of another kiosk or the shop: an order is refunded where it was rung up."""

    code = "order_elsewhere"

    def __init__(self, message: str, channel: str) -> None:
        super().__init__(message)
        self.channel = channel


class RefundNeedsApproval(Refusal):
    """A refund with no manager named to approve it at a kiosk that asks who is at the
    counter (``staff.needs_sign_in``): a refund takes points back and hands money out, so
    whoever stands at the counter (the text counter's keyboard, a script) doesn't do it
    alone. The touchscreen's manager screen, the text counter and ``kiosk refund
    --approved-by`` name the manager."""

    code = "refund_needs_approval"


@dataclass(frozen=True, slots=True)
class RefundResult:
    order_ref: str
    entries: tuple[Entry, ...]
    points: int  # change to the member's balance (negative for a refunded purchase)
    balance: int
    lines: tuple[RefundLine, ...] = ()  # what came back (by the order's line index)
    money_back_minor: int = 0  # the refunded lines' share of what the member paid
    whole: bool = True  # nothing of the order is left to refund
    coupons_back: int = 0  # coupons the order used, usable again


@dataclass(frozen=True, slots=True)
class RefundableLine:
    """One line of an order, as the refund screen offers it."""

    index: int
    code: str
    quantity: int
    unit_price_minor: int
    refunded: int  # handed back by earlier refunds
    net_minor: int  # the line's share of what the member paid

    @property
    def left(self) -> int:
        return self.quantity - self.refunded


@dataclass(frozen=True, slots=True)
class OrderToRefund:
    """An order of this kiosk with what is left of it to refund (None lines: recorded
    before orders had lines, refunded whole only)."""

    order_ref: str
    member_id: uuid.UUID | None
    when: datetime
    lines: tuple[RefundableLine, ...]
    net_paid_minor: int
    points_used: int


@dataclass(frozen=True, slots=True)
class RecentOrder:
    """A sale rung up at this kiosk, as the refund list shows it."""

    order_ref: str
    member_id: uuid.UUID
    member_name: str  # empty for a member known here only by another store's card
    when: datetime  # UTC
    amount_minor: int
    points: int  # what the order's entries gave (less what it redeemed): a refund takes it back
    refunded: bool


MAX_LISTED = 200


def recent_orders(kiosk: Kiosk, member_id: uuid.UUID | None = None,
                  limit: int = 20) -> tuple[RecentOrder, ...]:
    """This kiosk's latest sales, newest first: the member's when one is at the counter.
    Only this channel's: an order ref is unique per channel and a refund acts on this
    channel's order only (DESIGN, orders are facts)."""
    if not 0 < limit <= MAX_LISTED:
        raise ValueError(f"limit must be between 1 and {MAX_LISTED}")
    return _sales(kiosk, member_id, None, limit)


def find_order(kiosk: Kiosk, order_ref: str) -> RecentOrder | None:
    """A typed order number (a receipt from a day no longer listed) as the list would
    show it, so the refund is confirmed with its amount and points; None when this kiosk
    rang up no sale with that number."""
    return next(iter(_sales(kiosk, None, order_ref, 1)), None)


def _sales(kiosk: Kiosk, member_id: uuid.UUID | None, order_ref: str | None,
           limit: int) -> tuple[RecentOrder, ...]:
    with kiosk.store.read() as tx:
        rows = tx.entries.recent_sales(kiosk.channel, member_id, order_ref, limit)
        back = {ref: _back_whole(tx, kiosk.channel, ref) for ref, *_ in rows}
    return tuple(RecentOrder(ref, member, name or "", when, amount, points,
                             earn_undone if (whole_back := back[ref]) is None else whole_back)
                 for ref, member, name, when, amount, points, earn_undone in rows)


def _back_whole(tx: UnitOfWork, channel: str, order_ref: str) -> bool | None:
    """Whether the stored refunds hand the order back whole, as the ledger decides it: its
    earn's reversals can't say (an order paid wholly by loyalty earned on NT$0; a reward's
    free line comes back after all the spend did). None when no refund by line touched it:
    then its earn's reversals say (an order recorded without lines is refunded whole)."""
    refunds = tx.refunds.of_order(channel, order_ref)
    record = tx.orders.get(channel, order_ref) if refunds else None
    return None if record is None else whole(record.order, refunded(refunds))


def scanned_order_ref(kiosk: Kiosk, text: str) -> str:
    """The order number in a receipt's scanned order QR (``CPO1.…``), or ``text`` itself
    (a typed number). A receipt of another kiosk or the shop is refused, naming where it
    can be refunded: an order is refunded where it was rung up. No order is numbered
    ``CPO1.…`` now (``check_order_ref``); one an older version took is found as typed."""
    if not text.startswith(ORDER_PREFIX):
        return text
    try:
        code = parse_order_payload(text)
    except ValueError as exc:
        with kiosk.store.read() as tx:
            if (tx.orders.get(kiosk.channel, text) is not None
                    or tx.entries.sale(kiosk.channel, text) is not None):
                return text
        raise InvalidInput(str(exc)) from None
    if code.channel != kiosk.channel:
        raise OrderElsewhere(f"order {code.order_ref!r} was rung up at {code.channel}, not "
                             f"this kiosk ({kiosk.channel}): refund it there", code.channel)
    return code.order_ref


def order_to_refund(kiosk: Kiosk, order_ref: str) -> OrderToRefund | None:
    """The order's lines and what is left of each to refund (the refund screen's list);
    None when this kiosk has no record of the order by line."""
    with kiosk.store.read() as tx:
        record = tx.orders.get(kiosk.channel, order_ref)
        if record is None:
            return None
        before = refunded(tx.refunds.of_order(kiosk.channel, order_ref))
    order = record.order
    return OrderToRefund(
        order_ref, order.member_id, order.occurred_at,
        tuple(RefundableLine(i, line.code, line.quantity, line.unit_price_minor,
                             before.get(i, 0), net)
              for i, (line, net) in enumerate(zip(order.lines, order.line_nets(),
                                                  strict=True))),
        order.net_paid_minor, order.loyalty.points_used)


Pick = Callable[[Order, Quantities], Sequence[RefundLine]]


def _to_undo(record: OrderRecord, done: Quantities, found: Sequence[tuple[Entry, int, int]]
             ) -> list[tuple[Entry, tuple[int, int]]]:
    """Each of the order's entries that ``done`` undoes more of than its reversals so far,
    with how much more (points, spend)."""
    out = []
    for e, back_points, back_amount in found:
        more = still_to_undo(record, done, kind=e.kind, note=e.note, points=e.points,
                             amount_minor=e.amount_minor, back_points=back_points,
                             back_amount=back_amount)
        if more != (0, 0):
            out.append((e, more))
    return out


def points_if_refunded(kiosk: Kiosk, order_ref: str, lines: Sequence[RefundLine]) -> int:
    """What refunding ``lines`` of the order now would do to the member's points (read
    only: the refund screen says it before it acts); what is left of the whole order for
    an order recorded without its lines."""
    with kiosk.store.read() as tx:
        record = tx.orders.get(kiosk.channel, order_ref)
        found = [row for row in tx.entries.of_order(kiosk.channel, order_ref)
                 if row[0].reverses is None and row[0].kind in REVERSIBLE]
        before = refunded(tx.refunds.of_order(kiosk.channel, order_ref))
        bonuses = [] if record is None else _bonuses(tx, record, after(before, lines))
    if record is None:
        return -sum(e.points + p for e, p, _ in found if moves_points(e.kind))
    return sum(more[0] for e, more in _to_undo(record, after(before, lines), found)
               if moves_points(e.kind)) - sum(e.points for e in bonuses)


def refund_order(kiosk: Kiosk, order_ref: str, note: str | None = None,
                 approved_by: str | None = None) -> RefundResult:
    """Refund what is left of this kiosk's order ``order_ref``: every line. ``approved_by``
    names the manager who allowed it, in the reversals' note, so the ledger itself is the
    audit."""
    return _refund(kiosk, order_ref, rest_of, note, approved_by, whole_only=True)


def refund_lines(kiosk: Kiosk, order_ref: str, lines: Sequence[RefundLine],
                 note: str | None = None, approved_by: str | None = None) -> RefundResult:
    """Refund ``lines`` (an order line's index and how many of it) of the order."""
    return _refund(kiosk, order_ref, lambda _order, _before: lines, note, approved_by)


def refund_codes(kiosk: Kiosk, order_ref: str, codes: Sequence[tuple[str, int]],
                 note: str | None = None, approved_by: str | None = None) -> RefundResult:
    """Refund ``CODE:QTY`` pairs of the order (``kiosk refund --line``): each code's
    quantity from its lines in order. A code is read as a sale's basket reads it
    (``product_code``: the one rule), so every line a sale took is found by its code."""
    codes = [(product_code(code), quantity) for code, quantity in codes]

    def pick(order: Order, before: Quantities) -> Sequence[RefundLine]:
        try:
            return lines_for_codes(order, before, codes)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
    return _refund(kiosk, order_ref, pick, note, approved_by)


def _approver(tx: UnitOfWork, approved_by: str | None) -> str | None:
    """The manager a refund names, as the staff list spells them: at a kiosk with staff,
    a manager of it, required once the counter asks who is there (a kiosk with only its
    one manager works as before); at a kiosk with no staff, the name as given (a kiosk
    from before staff had names)."""
    people = tx.staff.active()
    if not people:
        return approved_by
    if approved_by is None:
        if needs_sign_in(people):
            raise RefundNeedsApproval("a refund at this kiosk needs a manager's approval: "
                                      "name the manager who approved it")
        return None
    person = tx.staff.by_name(approved_by)
    if person is None:
        raise UnknownStaff(f"nobody named {approved_by!r} is on this kiosk's staff")
    if not person.is_manager:
        raise NotAManager(f"{person.name} is not a manager on this kiosk: a refund is "
                          "approved by a manager")
    return person.name


def _refund(kiosk: Kiosk, order_ref: str, pick: Pick, note: str | None,
            approved_by: str | None, whole_only: bool = False) -> RefundResult:
    check_text("reason", note, layout=True)
    check_text("approver", approved_by)
    approved_by = approved_by or None  # the manager screen's "" when nobody opened it
    now = kiosk.clock()
    with kiosk.store.write() as tx:
        approved_by = _approver(tx, approved_by)
        note = note or "refund"
        if approved_by is not None:
            note = f"{note} (approved by {approved_by})"[:200]
        # What the order's sale and redemption recorded; never another kind that names the
        # order (a device may write any order ref on an adjustment: it is not refunded).
        found = [(e, p, a) for e, p, a in tx.entries.of_order(kiosk.channel, order_ref)
                 if e.reverses is None and e.kind in REVERSIBLE]
        record = tx.orders.get(kiosk.channel, order_ref)
        if not found and (record is None or record.order.member_id is None):
            raise UnknownOrder(f"no points were recorded for order {order_ref!r} "
                               f"at this kiosk ({kiosk.channel})")
        if len({e.member_id for e, _, _ in found}) > 1:
            raise UnknownOrder(f"order {order_ref!r} is ambiguous: it names several members")

        def back(e: Entry, points: int, amount: int) -> Entry:
            if e.channel != kiosk.channel:  # a once-only bonus (_bonuses): whole, naming
                # the order, which the ledger checks it against
                return bonus_reversal(e, order_ref, id=kiosk.new_id(), occurred_at=now,
                                      channel=kiosk.channel,
                                      program_version=kiosk.program.version, note=note,
                                      staff=acting(kiosk, approved_by))
            return reversal(e, id=kiosk.new_id(), occurred_at=now, channel=kiosk.channel,
                            program_version=kiosk.program.version, note=note,
                            staff=acting(kiosk, approved_by), part=(points, amount))

        if record is None or record.order.member_id is None:
            if not whole_only:
                raise InvalidInput(f"order {order_ref!r} was recorded without its lines: "
                                   "refund it whole")
            entries = tuple(back(e, -e.points, -e.amount_minor)
                            for e, p, a in found if p == 0 and a == 0)
            if not entries:
                raise AlreadyRefunded(f"order {order_ref!r} has already been refunded")
            lines: tuple[RefundLine, ...] = ()
            money, full, returned = 0, True, 0
        else:
            entries, lines, money, full, returned = _by_line(
                tx, kiosk, record, found, pick, back, now, approved_by)
        tx.entries.append(entries)
        member_id = record.order.member_id if record and record.order.member_id else \
            found[0][0].member_id
        record_audit(tx, kiosk, AuditAction.REFUND,
                     f"{order_ref} · {balance(entries):+d}"
                     + ("" if full else " · " + ", ".join(
                         f"{record.order.lines[r.line].code}x{r.quantity}"  # type: ignore[union-attr]
                         for r in lines)),
                     approved_by=approved_by)
        after = tx.entries.balance(member_id)
    return RefundResult(order_ref, entries, balance(entries), after, lines, money, full,
                        returned)


def _bonuses(tx: UnitOfWork, record: OrderRecord, done: Quantities) -> list[Entry]:
    """The stored entries of the once-only bonuses ``done`` takes back with the order
    (``bonuses_back``: its first-purchase bonus, with the whole order) that nothing has
    reversed yet (the shop's refund of another "first" order may have)."""
    member = record.order.member_id
    wanted = {derived_id(member, a.once) for a in bonuses_back(record, done)
              if a.once is not None and member is not None}
    if not wanted or member is None:
        return []
    held = tx.entries.of_member(member)
    undone = {e.reverses for e in held if e.reverses in wanted}
    return [e for e in held if e.id in wanted and e.id not in undone]


def _by_line(tx: UnitOfWork, kiosk: Kiosk, record: OrderRecord,
             found: Sequence[tuple[Entry, int, int]], pick: Pick,
             back: Callable[[Entry, int, int], Entry], now: datetime,
             approved_by: str | None) -> tuple[tuple[Entry, ...], tuple[RefundLine, ...],
                                               int, bool, int]:
    """A refund of some lines of a recorded order: the refund kept, each entry reversed
    by what the lines now back undo of it beyond its earlier reversals."""
    order = record.order
    before = refunded(tx.refunds.of_order(kiosk.channel, order.order_ref))
    if whole(order, before):
        raise AlreadyRefunded(f"order {order.order_ref!r} has already been refunded")
    lines = tuple(pick(order, before))
    problem = refund_problem(order, before, lines)
    if problem is not None:
        raise InvalidInput(problem)
    done = after(before, lines)
    entries = [back(e, *more) for e, more in _to_undo(record, done, found)]
    entries += [back(e, -e.points, -e.amount_minor) for e in _bonuses(tx, record, done)]
    tx.refunds.add(Refund(kiosk.new_id(), kiosk.channel, order.order_ref, now, lines,
                          approved_by))
    full = whole(order, done)
    returned = coupons_back(order, done)
    if full and record.coupons and order.member_id is not None:
        # What the order issued goes with it (the ledger withdraws its copies too).
        tx.orders.withdraw_coupons(order.member_id, record.coupons)
    for coupon_id in returned:
        tx.orders.release_coupon(coupon_id, order.order_ref)
    return (tuple(entries), lines, money_back(order, before, lines), full, len(returned))

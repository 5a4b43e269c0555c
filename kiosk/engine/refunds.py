"""Refunds by line: what a refund of some of an order's lines takes back and gives back,
from the awards stored with the order, never from today's rules (DESIGN, engine point 7).

A :class:`Refund` is a fact like an order: which lines, how many of each, when. Every
number here is *cumulative*: what all of an order's refunds so far reverse, so that a
sequence of partial refunds adds up exactly to the whole order once every line is back
(each refund reverses the difference between after and before it), and never to more.

- An award earned on a line (the base earn, a promotion, a per-item card's stamps) is
  reversed in proportion to the line's quantity refunded, rounded toward zero.
- An award of the order as a whole (a per-visit stamp, a full card's take-back) comes
  back only when the whole order is refunded: a visit is a visit until nothing is left.
- What the order spent (points as money, a reward's cost) comes back in proportion to
  the refunded share of the order's gross; a coupon it used, when the whole order is.
- The money the member gets back is the refunded lines' share of the net amount paid.
- A first-purchase bonus the order earned (stored with its awards, on the derived
  channel) comes back with the whole order (:func:`bonuses_back`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction

from pydantic import TypeAdapter, ValidationError

from kiosk.engine.bonuses import FIRST_PURCHASE
from kiosk.engine.earning import BASE
from kiosk.engine.orders import POINTS, Award, Order, OrderLine
from kiosk.engine.record import OrderRecord
from kiosk.ledger import Entry, EntryKind, reversal
from kiosk.printable import as_shown

MAX_REFUND_LINES = 500
"""The most lines one refund names (as many as an order may hold)."""


@dataclass(frozen=True, slots=True)
class RefundLine:
    line: int  # the order line's index
    quantity: int  # how many of it come back


@dataclass(frozen=True, slots=True)
class Refund:
    """Some of an order's lines handed back: recorded where the order was rung up, sent
    to the ledger with its entries, which checks them against it."""

    id: uuid.UUID
    channel: str
    order_ref: str
    occurred_at: datetime  # UTC
    lines: tuple[RefundLine, ...]
    approved_by: str | None = None


Quantities = Mapping[int, int]
"""Refunded quantity by line index."""


def refunded(refunds: Iterable[Refund]) -> dict[int, int]:
    """The quantities all of ``refunds`` handed back, by line."""
    out: dict[int, int] = {}
    for refund in refunds:
        for r in refund.lines:
            out[r.line] = out.get(r.line, 0) + r.quantity
    return out


def refund_problem(order: Order, before: Quantities, lines: Sequence[RefundLine]) -> str | None:
    """Why ``lines`` is no refund of ``order`` after ``before`` was refunded (a line it
    doesn't have, nothing, or more than is left of a line), or None."""
    if not lines:
        return "a refund names at least one line"
    if len(lines) > MAX_REFUND_LINES:
        return f"a refund names at most {MAX_REFUND_LINES} lines"
    asked: dict[int, int] = {}
    for r in lines:
        if not 0 <= r.line < len(order.lines):
            return f"order {order.order_ref!r} has no line {r.line + 1}"
        if r.quantity <= 0:
            return f"line {r.line + 1}: a refund hands back at least 1"
        asked[r.line] = asked.get(r.line, 0) + r.quantity
    for i, n in asked.items():
        left = order.lines[i].quantity - before.get(i, 0)
        if n > left:
            line = order.lines[i]
            return (f"line {i + 1} ({line.code}): {left} of {line.quantity} left to refund, "
                    f"{n} asked")
    return None


def lines_for_codes(order: Order, before: Quantities, wanted: Sequence[tuple[str, int]]
                    ) -> tuple[RefundLine, ...]:
    """``CODE:QTY`` pairs (the command line's, a scanned receipt's, a shop's) as order
    lines: each code's quantity taken from its lines in order, from what is left of each.
    A line is named by its code as a receipt shows it (``kiosk.printable.as_shown``): one
    a counter took before ``check_code`` (``"\\ufeffTEA"``, ``"TEA\\u200b"``, ``"SP "``)
    by the code typed for it (``TEA``, ``SP``), which is all a cashier or a shop can type;
    a code ``check_code`` takes reads as itself, and its own line goes before those that
    only show alike (their prices may differ). ValueError names a code the order doesn't
    hold, or more than is left of it."""
    taken: dict[int, int] = {}
    asked: dict[str, int] = {}  # by code as shown: the same code named twice adds up
    shown = [as_shown(line.code) for line in order.lines]
    for code, quantity in wanted:
        if quantity <= 0:
            raise ValueError(f"{code}: a refund hands back at least 1")
        exact = [i for i, line in enumerate(order.lines) if line.code == code]
        mine = exact + [i for i, line_code in enumerate(shown)  # the exact line first
                        if line_code == as_shown(code) and i not in exact]
        if not mine:
            raise ValueError(f"order {order.order_ref!r} has no line {code!r}")
        need = quantity
        for i in mine:
            left = order.lines[i].quantity - before.get(i, 0) - taken.get(i, 0)
            take = min(left, need)
            if take > 0:
                taken[i] = taken.get(i, 0) + take
                need -= take
        asked[as_shown(code)] = asked.get(as_shown(code), 0) + quantity
        if need:  # what was left of the code before this refund, and all it asks of it
            left = sum(order.lines[i].quantity - before.get(i, 0) for i in mine)
            raise ValueError(f"{code}: {left} left to refund on order {order.order_ref!r}, "
                             f"{asked[as_shown(code)]} asked")
    return tuple(RefundLine(i, n) for i, n in sorted(taken.items()))


def whole(order: Order, done: Quantities) -> bool:
    """Whether ``done`` hands back every line of ``order`` in full."""
    return all(done.get(i, 0) >= line.quantity for i, line in enumerate(order.lines))


def rest_of(order: Order, before: Quantities) -> tuple[RefundLine, ...]:
    """What is left to refund of every line: a refund of the whole order."""
    return tuple(RefundLine(i, line.quantity - before.get(i, 0))
                 for i, line in enumerate(order.lines) if line.quantity > before.get(i, 0))


def toward_zero(value: int, part: int, whole_: int) -> int:
    """``value * part / whole_`` rounded toward zero: a partial reversal is never more than
    its share (and exactly ``value`` when ``part == whole_``)."""
    if whole_ <= 0:
        return value if part >= whole_ else 0
    magnitude = abs(value) * part // whole_
    return magnitude if value >= 0 else -magnitude


def _award_part(award: Award, lines: Sequence[OrderLine], done: Quantities, full: bool
                ) -> tuple[int, int]:
    if full:
        return award.points, award.amount_minor
    if award.line is None or not 0 <= award.line < len(lines):
        return 0, 0
    qty, back = lines[award.line].quantity, min(done.get(award.line, 0),
                                                lines[award.line].quantity)
    return toward_zero(award.points, back, qty), toward_zero(award.amount_minor, back, qty)


def reversed_awards(record: OrderRecord, done: Quantities
                    ) -> dict[tuple[EntryKind, str | None], tuple[int, int]]:
    """What the awards of the order's entries come to once ``done`` is refunded,
    cumulatively, by the entry they are in (kind, note: None for the base earn): points
    and spend, each to be reversed (so a refund's entries are the negated difference)."""
    full = whole(record.order, done)
    out: dict[tuple[EntryKind, str | None], tuple[int, int]] = {}
    for award in record.awards:
        if award.once is not None:
            continue  # a once-only bonus has an entry of its own: bonuses_back
        key = (award.kind, None if award.rule == BASE else award.rule)
        points, amount = _award_part(award, record.order.lines, done, full)
        was = out.get(key, (0, 0))
        out[key] = (was[0] + points, was[1] + amount)
    return out


RETURNED_BONUSES = frozenset({FIRST_PURCHASE})
"""The once-only bonuses an order's refund takes back with it (by rule)."""


def bonuses_back(record: OrderRecord, done: Quantities) -> tuple[Award, ...]:
    """The once-only bonuses of the order that ``done`` takes back, cumulatively: the
    first-purchase bonus its stored awards say it earned, once every line is back (a
    purchase handed back whole is no purchase; one with a line kept still is). Its entry
    has a derived id on the derived channel and no order ref, so nothing of the order's
    own entries reverses it (review 28b: buy, refund, keep the bonus).

    A birthday bonus stays: it is for a visit in the birthday window, which its rule gives
    with or without a purchase, and a refund does not undo the visit.

    Trade-offs, against granting the first-purchase bonus only once the purchase is past
    the return window (as the referral bonus is): the member sees the bonus at the
    counter, offline too, and old kiosks' bonuses stand as they were; but a member who
    hands their first purchase back loses the bonus for good (its id is derived once per
    member, and the purchase still counts as bought before), and when two counters both
    granted it offline for two "first" purchases, a whole refund of either takes back the
    one bonus the ledger keeps."""
    if record.order.member_id is None or not whole(record.order, done):
        return ()
    return tuple(a for a in record.awards if a.once is not None and a.wallet == POINTS
                 and a.rule in RETURNED_BONUSES)


def bonus_reversal(bonus: Entry, order_ref: str, *, id: uuid.UUID, occurred_at: datetime,
                   channel: str, program_version: str, note: str | None = None,
                   staff: str | None = None) -> Entry:
    """The entry that takes a once-only ``bonus`` (its stored entry, on the derived
    channel) back with the whole refund of ``channel``'s order ``order_ref``: a whole
    mirror made on the refunding channel and naming the order, which the ledger checks
    against that order's stored awards and refunds (``sync/server/refunds.py``). The
    counter and the shop's refund make it alike."""
    return replace(reversal(bonus, id=id, occurred_at=occurred_at, channel=channel,
                            program_version=program_version, note=note, staff=staff),
                   order_ref=order_ref)


def gross_share(order: Order, done: Quantities) -> Fraction:
    """The refunded share of the order's gross (1 once every line is back)."""
    if whole(order, done):
        return Fraction(1)
    gross = order.gross_minor
    if gross <= 0:
        return Fraction(0)
    back = sum(min(done.get(i, 0), line.quantity) * line.unit_price_minor
               for i, line in enumerate(order.lines))
    return Fraction(max(0, back), gross)


def spent_back(points: int, order: Order, done: Quantities) -> int:
    """Of ``points`` the order spent (a negative redemption), what comes back once
    ``done`` is refunded, cumulatively (positive)."""
    share = gross_share(order, done)
    return toward_zero(-points, share.numerator, share.denominator)


def money_back(order: Order, before: Quantities, lines: Sequence[RefundLine]) -> int:
    """What this refund hands the member in money: the lines' share of the net paid."""
    nets = order.line_nets()

    def paid(done: Quantities) -> int:
        return sum(toward_zero(net, min(done.get(i, 0), order.lines[i].quantity),
                               order.lines[i].quantity)
                   for i, net in enumerate(nets))
    return paid(after(before, lines)) - paid(before)


def coupons_back(order: Order, done: Quantities) -> tuple[uuid.UUID, ...]:
    """The coupons the order used that come back once ``done`` is refunded: all of them
    with the whole order, none before (a coupon is not split)."""
    return order.loyalty.coupon_ids if whole(order, done) else ()


def undone(record: OrderRecord, done: Quantities, *, kind: EntryKind, note: str | None,
           points: int, amount_minor: int) -> tuple[int, int]:
    """Of one of the order's entries (``points``, spend ``amount_minor``), the part that
    ``done`` undoes, cumulatively: its reversals add up to exactly this negated, never
    more, on the counter and on the ledger (which checks them with this)."""
    if whole(record.order, done):
        return points, amount_minor
    if kind is EntryKind.REDEEM:
        return -spent_back(points, record.order, done), 0
    part = reversed_awards(record, done).get((kind, note), (0, 0))
    return _within(part[0], points), _within(part[1], amount_minor)


def _within(part: int, of: int) -> int:
    """``part`` kept on the side of ``of`` and no bigger (a record that disagrees with its
    entries never makes a reversal larger than the entry)."""
    if of >= 0:
        return max(0, min(part, of))
    return min(0, max(part, of))


_REFUND = TypeAdapter(Refund)


def refund_json(refund: Refund) -> str:
    return _REFUND.dump_json(refund, exclude_defaults=True).decode()


def refund_of_json(text: str | bytes) -> Refund:
    """The refund back; ValueError names what is wrong with a damaged one."""
    try:
        return _REFUND.validate_json(text)
    except ValidationError as exc:
        raise ValueError(f"not a refund: {exc.errors()[0]['msg']}") from None


def still_to_undo(record: OrderRecord, done: Quantities, *, kind: EntryKind,
                  note: str | None, points: int, amount_minor: int, back_points: int,
                  back_amount: int) -> tuple[int, int]:
    """The reversal one of the order's entries needs once ``done`` is refunded, beyond its
    reversals so far (``back_points``, ``back_amount``): points and spend, (0, 0) for none.
    The counter and the shop make their refunds' entries with it."""
    points_undone, amount_undone = undone(record, done, kind=kind, note=note, points=points,
                                          amount_minor=amount_minor)
    return -(points_undone + back_points), -(amount_undone + back_amount)


def after(before: Quantities, lines: Sequence[RefundLine]) -> dict[int, int]:
    """The refunded quantities once ``lines`` are back too."""
    done = dict(before)
    for r in lines:
        done[r.line] = done.get(r.line, 0) + r.quantity
    return done

"""What a refund by line will do, said before it acts: the refund tab shows the money to
hand back as the quantities change, and its confirmation page the points too, so that
"Yes, refund" does exactly what the page said.

The money is pure arithmetic on an :class:`OrderToRefund` (on the UI thread, at each tap);
the points need the order's entries and stored awards, so :func:`preview_refund` reads
them (on a worker) through the loop ``refund_lines`` writes with, without writing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.engine.orders import KEYED_AMOUNT
from kiosk.engine.refunds import RefundLine, toward_zero
from kiosk.services.context import Kiosk
from kiosk.services.refunds import OrderToRefund, points_if_refunded

Picked = Mapping[int, int]
"""How many of each line (by the order line's index) the counter picked to hand back."""


@dataclass(frozen=True, slots=True)
class RefundPreview:
    order: OrderToRefund
    lines: tuple[RefundLine, ...]  # what was picked, in the order's line order
    money_back_minor: int
    points: int  # change to the member's balance (negative when points come back off them)
    whole: bool  # everything left is picked: the refund is ``refund_order``'s
    untouched: bool  # nothing of the order was refunded before


def picked_lines(order: OrderToRefund, picked: Picked) -> tuple[RefundLine, ...]:
    return tuple(RefundLine(line.index, n) for line in order.lines
                 if (n := min(picked.get(line.index, 0), line.left)) > 0)


def everything_left(order: OrderToRefund) -> dict[int, int]:
    """The "All of it" pick: what is left of every line."""
    return {line.index: line.left for line in order.lines if line.left > 0}


def is_everything_left(order: OrderToRefund, picked: Picked) -> bool:
    return any(line.left for line in order.lines) and all(
        picked.get(line.index, 0) >= line.left for line in order.lines)


def needs_picking(order: OrderToRefund) -> bool:
    """Whether there is a choice to make: one item left (a keyed-in amount, say) can only
    come back whole, so the counter goes straight to the question."""
    return sum(line.left for line in order.lines) > 1


def only_keyed_amount(order: OrderToRefund) -> bool:
    """An amount keyed in on the keypad, no products: the question says the amount."""
    return all(line.code == KEYED_AMOUNT for line in order.lines)


def money_back(order: OrderToRefund, picked: Picked) -> int:
    """The picked lines' share of what the member paid, as the engine's ``money_back``
    computes it: each line's net pro rata, rounded toward zero cumulatively, so refunds
    one at a time add up to the whole."""
    total = 0
    for line in order.lines:
        n = min(picked.get(line.index, 0), line.left)
        total += (toward_zero(line.net_minor, line.refunded + n, line.quantity)
                  - toward_zero(line.net_minor, line.refunded, line.quantity))
    return total


def preview_refund(kiosk: Kiosk, order: OrderToRefund, picked: Picked) -> RefundPreview:
    """What refunding ``picked`` of ``order`` now would do to the member's balance, beside
    the money (``refunds.points_if_refunded``: the loop ``refund_lines`` writes, read only)."""
    lines = picked_lines(order, picked)
    return RefundPreview(order, lines, money_back(order, picked),
                         points_if_refunded(kiosk, order.order_ref, lines),
                         is_everything_left(order, picked),
                         not any(line.refunded for line in order.lines))

"""An order as it is kept and sent: the order, the member state the counter knew, the
program version it ran and the awards of each line (refunds replay them, never today's
rules: DESIGN, engine point 7). One JSON form for the kiosk's store, the wire and the
ledger, validated by pydantic from the dataclasses themselves."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError

from kiosk.engine.orders import Award, CouponIssue, MemberState, Order
from kiosk.frozen import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class OrderRecord:
    order: Order
    state: MemberState | None  # None: a non-member order
    program_version: str
    awards: tuple[Award, ...] = ()  # per line, as granted
    coupons: tuple[CouponIssue, ...] = ()  # issued by this order

    @property
    def key(self) -> tuple[str, str]:
        return self.order.channel, self.order.order_ref


_RECORD = TypeAdapter(OrderRecord)


def record_json(record: OrderRecord) -> str:
    """Defaults left out: a plain sale's record is half the bytes (a sale writes it)."""
    return _RECORD.dump_json(record, exclude_defaults=True).decode()


def record_of_json(text: str | bytes) -> OrderRecord:
    """The record back; ValueError names what is wrong with a damaged one."""
    try:
        return _RECORD.validate_json(text)
    except ValidationError as exc:
        raise ValueError(f"not an order record: {exc.errors()[0]['msg']}") from None

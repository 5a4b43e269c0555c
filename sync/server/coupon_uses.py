"""Coupons spent (issue 15): why an order can't hold or use a coupon now, and the uses the
orders a device uploads record, with a coupon two orders used (two counters took it while
offline) recorded as a double use and reported like an overdraft: the second sale
happened, so it is not refused. So is a coupon an order used though the ledger had
withdrawn it, or outside its validity window (an offline till's use): spent on the order
and reported as a double use whose first order is the one that issued it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.engine.coupons import last_day
from kiosk.engine.record import OrderRecord
from sync.server import models as m
from sync.server.calls import LedgerRefusal

log = logging.getLogger(__name__)
UTC_ZONE = ZoneInfo("UTC")
COUPONS: Table = m.Coupon.__table__  # type: ignore[assignment]
DOUBLE_USES: Table = m.CouponDoubleUse.__table__  # type: ignore[assignment]


def coupon_refusal(row: Any, member_id: uuid.UUID | None, channel: str, order_ref: str,
                   now: datetime, zone: ZoneInfo = UTC_ZONE) -> LedgerRefusal | None:
    """Why ``channel``'s order ``order_ref`` can't hold or use this coupon now, or None.
    The same order asking again (a retry) is never refused for its own hold or use.
    ``zone``: the program's, in which a coupon's days are said (its last day, as the
    member's receipt says it, not the UTC instant it ends)."""
    c = row.id
    if member_id is not None and row.member_id != member_id:
        return LedgerRefusal(409, "coupon_not_members", f"coupon {c} belongs to another member")
    if row.voided_at is not None:
        return LedgerRefusal(409, "coupon_void", f"coupon {c} was withdrawn when its order "
                             f"{row.issued_order_ref} was refunded")
    mine = (channel, order_ref)
    if row.used_at is not None and (row.used_channel, row.used_order_ref) != mine:
        return LedgerRefusal(409, "coupon_used", f"coupon {c} was used on {row.used_channel}, "
                             f"order {row.used_order_ref}, at {row.used_at.isoformat()}")
    if (row.used_at is None and row.held_until is not None and row.held_until > now
            and (row.held_channel, row.held_order_ref) != mine):
        return LedgerRefusal(409, "coupon_held", f"coupon {c} is held by order "
                             f"{row.held_order_ref} on {row.held_channel} until "
                             f"{row.held_until.isoformat()}")
    if row.used_at is None and not row.valid_from < now < row.expires_at:
        when = (f"is valid from {_said(row.valid_from.astimezone(zone).date(), zone)}"
                if now <= row.valid_from else
                f"was valid until {_said(last_day(row.expires_at, zone), zone)} and has "
                "expired")
        return LedgerRefusal(422, "coupon_not_valid", f"coupon {c} {when}")
    return None


def _said(day: date, zone: ZoneInfo) -> str:
    """A day as the program's store has it, with the zone's name when it isn't UTC (a
    shop's server and its customer may be in different places)."""
    return day.isoformat() + ("" if zone == UTC_ZONE else f" ({zone})")


def record_uses(conn: Connection, channel: str, records: Iterable[OrderRecord],
                now: datetime) -> None:
    """The coupons these orders of ``channel`` used, spent on them (in the caller's
    transaction, after the coupons those orders issue). The sale happened: a coupon
    another order used first is recorded as a double use (so is one the ledger withdrew, or
    used outside its validity window: its first order is the one that issued it; the goods
    are gone, and nothing passes silently); one another checkout only holds
    is spent on this order (a hold is not a use: that checkout's confirm finds it gone);
    another member's coupon, or one the ledger never issued, is not spent (the order's
    earn was refused for the first: ``checkout_audit``) and is logged."""
    c = COUPONS.c
    for record in records:
        order = record.order
        for coupon_id in order.loyalty.coupon_ids:
            row = conn.execute(select(COUPONS).where(c.id == coupon_id)
                               .with_for_update()).first()
            if row is None or row.member_id != order.member_id:
                log.warning("order %s/%s used coupon %s, which is %s", channel,
                            order.order_ref, coupon_id,
                            "not issued on the ledger" if row is None
                            else "another member's")
                continue
            mine = (channel, order.order_ref)
            first: tuple[str, str] = (row.used_channel or "", row.used_order_ref or "")
            if row.used_at is None:
                conn.execute(update(COUPONS).where(c.id == coupon_id).values(
                    used_at=now, used_channel=channel, used_order_ref=order.order_ref,
                    held_channel=None, held_order_ref=None, held_until=None))
                if (row.voided_at is None
                        and row.valid_from < order.occurred_at < row.expires_at):
                    continue
                # Withdrawn (its order refunded whole) or out of its window at the sale:
                # spent all the same, and reported as a double use of its issuing order.
                first = (row.issued_channel, row.issued_order_ref)
            elif (row.used_channel, row.used_order_ref) == mine:
                continue  # a retried upload
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            conn.execute(dialect.insert(DOUBLE_USES).values(
                coupon_id=coupon_id, channel=channel, order_ref=order.order_ref,
                member_id=row.member_id, first_channel=first[0],
                first_order_ref=first[1], recorded_at=now)
                .on_conflict_do_nothing())


def double_uses(conn: Connection) -> list[dict[str, object]]:
    rows = conn.execute(select(DOUBLE_USES).order_by(DOUBLE_USES.c.recorded_at)).all()
    return [dict(r._mapping) for r in rows]

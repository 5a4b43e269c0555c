"""What a checkout's order and its redemption must agree on (issue 15): the points its
loyalty spent (the reward's cost and the points used as money) are exactly the points its
checkout redeem entries took, under the same reward.

Each side is checked when it arrives, against the other as the ledger has it by then
(this upload's entries and orders, and what is stored):

* a checkout redeem entry of an order the ledger knows may not take more than the order's
  loyalty spent, nor name another reward (an order not known yet: an online checkout's
  redemption, confirmed before its order is uploaded, only spends points);
* an order's base earn is refused unless its checkout redeem entries add up to exactly
  what its loyalty spent: a till that records a discount no points paid for (or points
  taken with no discount, earning on money never paid) earns nothing for it;
* an order's coupon the ledger holds must be the order's member's and of the rule the
  order was priced with (a till can't spend another member's coupon, nor price a small one
  as a big one). A coupon the ledger doesn't hold yet (issued offline by an order in this
  very upload) is priced by the rule the order recorded.

A counter writes the redemption before the order's entries, so an honest order's
redemption is always on the ledger, or earlier in the same upload, when its earn comes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from kiosk.audit import Rejected, Rejection
from kiosk.engine.checkout import CHECKOUT_NOTE
from kiosk.engine.orders import NO_LOYALTY
from kiosk.engine.record import OrderRecord
from kiosk.ledger import EntryKind
from kiosk.program import Program
from sync.protocol import EntryWire
from sync.server.coupon_uses import COUPONS
from sync.server.entry_rows import ENTRIES
from sync.server.orders import records_of

ProgramOf = Callable[[str], Program | None]


def _is_redemption(e: EntryWire) -> bool:
    return e.kind is EntryKind.REDEEM and e.note == CHECKOUT_NOTE and e.reverses is None


def _is_base_earn(e: EntryWire) -> bool:
    return e.kind is EntryKind.EARN and e.note is None and e.reverses is None


def spent_by(record: OrderRecord, program: Program | None) -> int | None:
    """The points the order's loyalty spent; None if its reward isn't in its program (its
    earn is refused for that already)."""
    used = record.order.loyalty
    if used.reward_id is None:
        return used.points_used
    reward = None if program is None else program.reward(used.reward_id)
    return None if reward is None else reward.cost + used.points_used


def checkout_problems(conn: Connection, device: str, entries: Sequence[EntryWire],
                      sent: Mapping[str, OrderRecord], program_of: ProgramOf,
                      refused: Mapping[uuid.UUID, Rejection]) -> dict[uuid.UUID, Rejection]:
    """The entries of this upload that break the agreement above (``refused``: those the
    audit refused already, which count for nothing)."""
    mine = [e for e in entries if e.channel == device and e.order_ref is not None
            and e.id not in refused and (_is_redemption(e) or _is_base_earn(e))]
    if not mine:
        return {}
    refs = {e.order_ref for e in mine if e.order_ref is not None}
    records = {ref: r for ref, r in sent.items() if ref in refs and r.order.channel == device}
    records.update(records_of(conn, device, refs - records.keys()))
    # An order that used no loyalty and brings no redemption has nothing to agree on (a
    # redemption of it already on the ledger only took the member's points): most sales.
    refs = {ref for ref in refs if ref not in records
            or records[ref].order.loyalty != NO_LOYALTY}
    refs |= {e.order_ref for e in mine if e.order_ref is not None and _is_redemption(e)}
    mine = [e for e in mine if e.order_ref in refs]
    if not mine:
        return {}
    e_ = ENTRIES.c
    stored = conn.execute(select(e_.id, e_.order_ref, e_.points).where(
        e_.channel == device, e_.order_ref.in_(refs), e_.kind == EntryKind.REDEEM.value,
        e_.note == CHECKOUT_NOTE, e_.reverses.is_(None))).all()
    taken = {ref: 0 for ref in refs}
    for row in stored:
        taken[row.order_ref] -= row.points
    on_ledger = {row.id for row in stored}
    coupons = _coupons(conn, [records[ref] for ref in refs if ref in records])
    out: dict[uuid.UUID, Rejection] = {}
    for e in mine:
        ref = e.order_ref
        assert ref is not None
        if e.id in on_ledger:
            continue  # a copy of one stored: counted already
        record = records.get(ref)
        if record is None:
            continue  # its order comes later (an online checkout's confirmed redemption)
        spent = spent_by(record, program_of(record.program_version))
        if spent is None:
            continue
        if _is_redemption(e):
            if e.reward_id != record.order.loyalty.reward_id:
                out[e.id] = Rejection(Rejected.CHECKOUT, f"order {ref!r} used reward "
                                      f"{record.order.loyalty.reward_id!r}, not "
                                      f"{e.reward_id!r}")
            elif taken[ref] - e.points > spent:
                out[e.id] = Rejection(Rejected.CHECKOUT, f"order {ref!r}'s loyalty spent "
                                      f"{spent} points; this redemption would take "
                                      f"{taken[ref] - e.points}")
            else:
                taken[ref] -= e.points
        elif taken[ref] != spent:
            out[e.id] = Rejection(Rejected.LOYALTY, f"order {ref!r}'s loyalty spent {spent} "
                                  f"points, but its redemptions on the ledger took "
                                  f"{taken[ref]}")
        else:
            problem = _coupon_problem(record, coupons)
            if problem is not None:
                out[e.id] = Rejection(Rejected.LOYALTY, f"order {ref!r}: {problem}")
    return out


def _coupons(conn: Connection, records: Sequence[OrderRecord]) -> dict[uuid.UUID, Any]:
    ids = [c for r in records for c in r.order.loyalty.coupon_ids]
    if not ids:
        return {}
    c = COUPONS.c
    return {row.id: row for row in conn.execute(
        select(c.id, c.member_id, c.rule).where(c.id.in_(ids)))}


def _coupon_problem(record: OrderRecord, coupons: Mapping[uuid.UUID, Any]) -> str | None:
    used = record.order.loyalty
    for coupon_id, rule in zip(used.coupon_ids, used.coupon_rules, strict=False):
        held = coupons.get(coupon_id)
        if held is None:
            continue
        if held.member_id != record.order.member_id:
            return f"coupon {coupon_id} belongs to another member"
        if held.rule != rule:
            return f"coupon {coupon_id} is a {held.rule!r} coupon, not {rule!r}"
    return None

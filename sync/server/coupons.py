"""Coupons as instruments (DESIGN, engine point 5): issued by the ledger itself, single use.

The ledger issues a coupon from the rules it re-runs on an order it stores (the order's
version, the member state it records: ``kiosk.awards.awards_for_order``), never from a
device's list, so a device can't mint one by saying so. Its id is derived from what issued
it (a full punch card on an order, a quarter's spend, a birthday year), so two kiosks that
issued it offline issue one, and the primary key keeps it.

A use is one conditional update (``used_at IS NULL``): of two devices spending one coupon
at once, one wins and the other is told where and when it went (409 ``coupon_used``); the
same order spending it again is a retry, answered as before.
"""


import logging
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI
from sqlalchemy import Connection, Table, and_, func, or_, select, update

from kiosk.awards import awards_for_order, enrolment_coupons, expected_entries
from kiosk.engine.coupons import (
    OnPeriodSpend,
    coupon_payload,
    period_coupons,
    spend_windows,
)
from kiosk.engine.orders import Awards, CouponIssue, Order, card_wallet, derived_id
from kiosk.engine.record import OrderRecord
from kiosk.engine.refunds import refunded, whole
from kiosk.ledger import SPEND_KINDS, EntryKind
from kiosk.program import Program
from sync.protocol import CouponUse, CouponWire
from sync.server import models as m
from sync.server.bulk import insert_rows, pg_cursor
from sync.server.calls import Caller, LedgerRefusal
from sync.server.coupon_uses import DOUBLE_USES, UTC_ZONE, coupon_refusal
from sync.server.entry_rows import ENTRIES
from sync.server.openapi import json_body, refusals
from sync.server.orders import ORDERS, orders_with_earn, records_of
from sync.server.refunds import REFUNDS, refunds_of

log = logging.getLogger(__name__)
COUPONS: Table = m.Coupon.__table__  # type: ignore[assignment]
ENROLMENT = "enrolment"  # the "order" a welcome coupon was issued by (an order may be
# called so too: a welcome coupon is told by its id, :func:`_taken_back`)
ProgramOf = Callable[[str, Connection], Program | None]


def issue_for_orders(conn: Connection, channel: str, records: Iterable[OrderRecord],
                     program_of: ProgramOf, worked: Mapping[tuple[str, str], Awards],
                     earned: Collection[str] = ()) -> None:
    """The coupons the rules give for these orders of ``channel``, once their entries are
    on the ledger (in the caller's transaction, after the entries): an order whose base
    earn the ledger refused or never got issues none, and neither does one whose recorded
    member state the ledger's own entries don't bear out (:func:`unproven_orders`). One
    issued before (another kiosk's copy, a retried upload) is kept as it was. ``worked``:
    awards the audit already worked out, by (channel, order ref); ``earned``: refs of
    ``channel`` whose base earn the caller just put on the ledger (the rest are looked up:
    an order cut by a batch's end has its earn in the batch before). A query for those,
    and one or two for the member states of the orders that issue a coupon, whatever
    their number."""
    mine = [r for r in records if r.order.member_id is not None and r.state is not None]
    if not mine:
        return
    earned = set(earned)
    unknown = [r.order.order_ref for r in mine if r.order.order_ref not in earned]
    earned.update(orders_with_earn(conn, channel, unknown))
    programs: dict[str, tuple[Program, set[str]] | None] = {}  # with its period rules
    issuing: list[tuple[OrderRecord, list[CouponIssue]]] = []
    for record in mine:
        member, ref, version = (record.order.member_id, record.order.order_ref,
                                record.program_version)
        assert member is not None
        if version not in programs:
            found = program_of(version, conn)
            programs[version] = None if found is None else (found, _period_rules(found))
        known = programs[version]
        if ref not in earned or known is None or not known[0].coupons:
            continue
        program, periodic = known
        awards = worked.get((channel, ref)) or awards_for_order(program, record.order,
                                                                record.state)
        # Period vouchers from the ledger's own spend (every channel's), not the counter's.
        issued = [c for c in awards.coupons if c.rule not in periodic]
        if periodic:
            issued += period_coupons(program.coupons, _spent(conn, member, program,
                                                              record.order.occurred_at),
                                     record.order.occurred_at, zone=program.zone,
                                     minor_units=program.minor_units)
        if issued:
            issuing.append((record, issued))
    problems = unproven_orders(conn, [record for record, _ in issuing])
    problems.update(_stamps_missing(conn, channel, issuing, programs, worked))
    rows: list[dict[str, Any]] = []
    for record, issued in issuing:
        member, ref = record.order.member_id, record.order.order_ref
        assert member is not None
        problem = problems.get(record.key)
        if problem is not None:
            log.warning("order %s on %s issues no coupon: %s", ref, channel, problem)
            continue
        rows += [{"id": c.id_for(member), "member_id": member, "rule": c.rule,
                  "program_version": record.program_version, "valid_from": c.valid_from,
                  "expires_at": c.expires_at, "issued_channel": channel,
                  "issued_order_ref": ref} for c in issued]
    if rows:
        insert_rows(conn, COUPONS, rows)


def _stamps_missing(conn: Connection, channel: str,
                    issuing: Sequence[tuple[OrderRecord, list[CouponIssue]]],
                    programs: Mapping[str, tuple[Program, set[str]] | None],
                    worked: Mapping[tuple[str, str], Awards]) -> dict[tuple[str, str], str]:
    """Orders whose own stamp entries (a full card's take-back, net of this visit's new
    stamps) are not on the ledger, by order key: a card's coupon stands only with them.
    Sent without them, every order could claim the same stamps held and fill the card
    again (an adversarial review's finding). One query for them all."""
    wanted: dict[str, set[str]] = {}
    for record, _ in issuing:
        known = programs.get(record.program_version)
        if known is None:
            continue
        ref = record.order.order_ref
        awards = worked.get((channel, ref)) or awards_for_order(known[0], record.order,
                                                                record.state)
        cards = {note for note, (kind, points, _) in
                 expected_entries(known[0], record, awards).items()
                 if kind is EntryKind.STAMP and points and note is not None}
        if cards:
            wanted[ref] = cards
    if not wanted:
        return {}
    present: dict[str, set[str]] = {}
    for ref, note in _stamp_notes(conn, channel, list(wanted)):
        present.setdefault(ref, set()).add(note)
    missing = {ref: sorted(cards - present.get(ref, set())) for ref, cards in wanted.items()}
    return {(channel, ref): f"its stamp entries ({', '.join(notes)}) are not on the ledger"
            for ref, notes in missing.items() if notes}


def _stamp_notes(conn: Connection, channel: str, refs: list[str]) -> list[Any]:
    """(order ref, card) of the stamp entries of these orders of ``channel`` (not their
    reversals). On PostgreSQL a look-up of each order's own (``ux_entries_order_stamp``):
    ``order_ref IN (...)`` was planned as a scan of every stamp entry of the channel,
    filtered (12 ms at 100,000 entries, growing with the ledger), under the head's lock."""
    if conn.dialect.name == "postgresql":
        with pg_cursor(conn, named=False) as cur:
            cur.execute(
                # OFFSET 0 keeps the look-up per order (else it is planned as a join).
                "SELECT q.ref, e.note FROM unnest(CAST(%(r)b AS text[])) AS q(ref) "
                "CROSS JOIN LATERAL (SELECT e.note FROM entries e WHERE e.channel = %(c)s "
                "AND e.order_ref = q.ref AND e.kind = 'stamp' AND e.reverses IS NULL "
                "OFFSET 0) AS e",
                {"c": channel, "r": refs})
            found: list[Any] = cur.fetchall()
            return found
    e = ENTRIES.c
    return list(conn.execute(select(e.order_ref, e.note).where(
        e.channel == channel, e.order_ref.in_(refs), e.kind == EntryKind.STAMP.value,
        e.reverses.is_(None))))


def _period_rules(program: Program) -> set[str]:
    return {r.id for r in program.coupons if isinstance(r.trigger, OnPeriodSpend)}


def _spent(conn: Connection, member: uuid.UUID, program: Program, at: datetime
           ) -> dict[str, int]:
    """The member's net spend in each calendar period a period rule counts, as the
    ledger's entries have it (every channel's), by period key."""
    e = ENTRIES.c
    return {key: int(conn.execute(select(func.coalesce(func.sum(e.amount_minor), 0)).where(
        e.member_id == member, e.occurred_at >= start, e.occurred_at < end,
        e.kind.in_([k.value for k in SPEND_KINDS]))).scalar_one())  # a sale's spend only
        for key, (start, end) in spend_windows(program.coupons, at, program.zone).items()}


def unproven_orders(conn: Connection, records: Sequence[OrderRecord]
                    ) -> dict[tuple[str, str], str]:
    """What of the member state each order records the ledger's entries don't bear out,
    by order key (orders not named: nothing). An honest counter knew no more stamps than
    the card's stamp entries (less this order's own): its own entries go up before or
    with the order. The birthday must be the member's. (Period vouchers don't read the
    recorded spend: the ledger counts its own.) One query for the stamps every order
    claims and one for the birthdays, when any order claims them (on PostgreSQL)."""
    out: dict[tuple[str, str], str] = {}
    claims = [(r, card, held) for r in records if r.state is not None
              for card, held in r.state.stamps if held > 0]
    counted = _stamps_on_ledger(conn, [(r.order, card) for r, card, _ in claims])
    for (record, card, held), on_ledger in zip(claims, counted, strict=True):
        if record.key not in out and held > on_ledger:  # the first card found short
            out[record.key] = (f"it says the member held {held} stamps on {card!r}; the "
                               f"ledger has {on_ledger}")
    born = [r for r in records if r.key not in out and r.state is not None
            and r.state.birthday is not None]
    if born:
        c = m.Member.__table__.c
        birthdays = dict(conn.execute(select(c.id, c.birthday).where(
            c.id.in_(list({r.order.member_id for r in born})))).all())
        for record in born:
            assert record.state is not None
            if birthdays.get(record.order.member_id) != record.state.birthday:
                out[record.key] = "its member's birthday is not the one the ledger holds"
    return out


def _stamps_on_ledger(conn: Connection, cards: Sequence[tuple[Order, str]]) -> list[int]:
    """For each (order, card id): the stamps on the ledger on that card of the order's
    member, less the order's own, and not counting what other channels took off it (a
    card filled at another kiosk while this one was offline: this one could not have known,
    and filled it too; both coupons stand, the card goes below zero and is paid back by
    the next stamps, like an overdraft). A channel's own take-backs count, so one device
    fills a card once on the same stamps. The portable query below says it; on PostgreSQL
    one statement reads each member's stamp entries once (a look-up of the member's own:
    an ``IN`` list of a few dozen members was planned as a scan of every entry while the
    table had no statistics yet, 12 ms a query on a new ledger), and the sums are made
    here, by :func:`_held_on_card`."""
    if not cards:
        return []
    if conn.dialect.name == "postgresql":
        # A full card's order claims both cards of its member: a look-up per claim read
        # each member's entries twice (168 look-ups for 84 members in a busy upload, 3.3
        # against 2.0 ms of PostgreSQL, under the head's lock). Members in a stable order,
        # each once; the rows say which by their ordinality.
        members = list(dict.fromkeys(order.member_id for order, _ in cards))
        with pg_cursor(conn, named=False) as cur:
            cur.execute(
                # OFFSET 0 keeps the look-up per member (else it may be planned as a join).
                "SELECT q.i, e.note, e.channel, e.order_ref, e.points "
                "FROM unnest(CAST(%(m)b AS uuid[])) WITH ORDINALITY AS q(member, i) "
                "CROSS JOIN LATERAL (SELECT e.note, e.channel, e.order_ref, e.points "
                "FROM entries e WHERE e.member_id = q.member AND e.kind = 'stamp' "
                "OFFSET 0) AS e", {"m": members})
            rows: list[Any] = cur.fetchall()
        stamps: dict[tuple[Any, str], list[tuple[str, str | None, int]]] = {}
        for i, note, channel, ref, points in rows:
            if note is not None:
                stamps.setdefault((members[i - 1], note), []).append((channel, ref, points))
        return [_held_on_card(stamps.get((order.member_id, card_wallet(card)), ()), order)
                for order, card in cards]
    e = ENTRIES.c
    return [int(conn.execute(select(func.coalesce(func.sum(e.points), 0)).where(
        e.member_id == order.member_id, e.kind == EntryKind.STAMP.value,
        e.note == card_wallet(card),
        ~and_(e.channel == order.channel, e.order_ref == order.order_ref),
        or_(e.points >= 0, e.channel == order.channel))).scalar_one())
        for order, card in cards]


def _held_on_card(stamps: Iterable[tuple[str, str | None, int]], order: Order) -> int:
    """The sum of the portable query above over one member's stamp entries on one card,
    (channel, order ref, points) each, with SQL's reading of a missing order ref: ``NOT
    (channel = c AND order_ref = r)`` is unknown, so not true, for an entry of the order's
    channel with no order ref, which is therefore left out like the order's own."""
    total = 0
    for channel, ref, points in stamps:
        if channel == order.channel and (ref is None or ref == order.order_ref):
            continue  # the order's own (or unknown): not counted
        if points >= 0 or channel == order.channel:
            total += points
    return total


def void_refunded(conn: Connection, reversed_ids: Collection[uuid.UUID], now: datetime
                  ) -> None:
    """An order refunded without refunds by line (a device from before them): when these
    entries reversed its base earn in full, the order is taken back whole
    (:func:`settle_whole_refunds`). An order with refunds by line is settled by them."""
    if not reversed_ids:
        return
    e, r = ENTRIES.c, REFUNDS.c
    back = ENTRIES.alias("back")
    undone = (select(func.coalesce(func.sum(back.c.amount_minor), 0))
              .where(back.c.reverses == e.id).scalar_subquery())
    by_line = select(r.id).where(r.channel == e.channel, r.order_ref == e.order_ref).exists()
    for channel, ref in conn.execute(select(e.channel, e.order_ref).where(
            e.id.in_(list(reversed_ids)), e.kind == EntryKind.EARN.value,
            e.order_ref.is_not(None), undone == -e.amount_minor, ~by_line)).all():
        _taken_back(conn, channel, ref, now)


def settle_whole_refunds(conn: Connection, channel: str, refs: Collection[str],
                         now: datetime) -> None:
    """Of ``channel``'s orders ``refs``, those the stored refunds now hand back whole are
    taken back (an order paid wholly by loyalty, whose reversals move nothing, too)."""
    if not refs:
        return
    records = records_of(conn, channel, refs)
    for ref, refunds in refunds_of(conn, channel, refs).items():
        record = records.get(ref)
        if record is not None and whole(record.order, refunded(refunds)):
            _taken_back(conn, channel, ref, now)


def _taken_back(conn: Connection, channel: str, ref: str, now: datetime) -> None:
    """An order refunded whole: its unused coupons can no longer be used ("spend NT$3,000,
    10% off next time" is not for an order taken back, and a refunded card-filling order
    gives its stamps back, not its coupon too), and the coupons it used are usable again
    (DESIGN, engine point 7: what the order redeemed comes back; a coupon is not split),
    unless another order used it too (a double use): then it is that order's use."""
    c, d = COUPONS.c, DOUBLE_USES.c
    unused = [c.issued_channel == channel, c.issued_order_ref == ref, c.used_at.is_(None),
              c.voided_at.is_(None)]
    if ref == ENROLMENT:  # an order may be called so: the welcome coupons are not its own
        # (told by their ids, derived as kiosk.engine.coupons.welcome_coupons derives them)
        unused.append(c.id.in_([row.id for row in conn.execute(
            select(c.id, c.member_id, c.rule).where(*unused))
            if row.id != derived_id(row.member_id, f"coupon:{row.rule}:welcome")]))
    conn.execute(update(COUPONS).where(*unused).values(voided_at=now))
    # The other orders that used a coupon this one used first (one query, mostly no row).
    others = conn.execute(select(d.coupon_id, d.channel, d.order_ref, d.recorded_at).join(
        COUPONS, c.id == d.coupon_id).where(
        c.used_channel == channel, c.used_order_ref == ref,
        ~and_(d.channel == channel, d.order_ref == ref))
        .order_by(d.recorded_at, d.channel, d.order_ref)).all()
    conn.execute(update(COUPONS).where(
        c.used_channel == channel, c.used_order_ref == ref).values(
        used_at=None, used_channel=None, used_order_ref=None))
    passed: set[uuid.UUID] = set()
    for other in others:  # the earliest other use that still stands takes the coupon over
        if other.coupon_id not in passed and _stands(conn, other.channel, other.order_ref):
            passed.add(other.coupon_id)
            conn.execute(update(COUPONS).where(c.id == other.coupon_id).values(
                used_at=other.recorded_at, used_channel=other.channel,
                used_order_ref=other.order_ref))


def _stands(conn: Connection, channel: str, ref: str) -> bool:
    """Whether ``channel``'s order ``ref`` is not refunded whole (a coupon's other use
    taken back before this one was, review 27, is no use to hand the coupon to)."""
    record = records_of(conn, channel, [ref]).get(ref)
    return record is None or not whole(record.order, refunded(
        refunds_of(conn, channel, [ref]).get(ref, [])))


def issue_on_enrolment(conn: Connection, members: Collection[uuid.UUID], program: Program
                       ) -> None:
    """The welcome coupons of these members, from their profiles as the ledger stored them
    (the first copy of a member is kept: a later upload saying someone referred them
    changes nothing), under the program in force (the enrolment's own version isn't sent
    with the member); a second upload of the member issues nothing new (derived ids)."""
    if not program.coupons or not members:
        return
    c = m.Member.__table__.c
    stored = conn.execute(select(c.id, c.enrolled_at, c.referrer_id, c.channel).where(
        c.id.in_(list(members)), c.profile_pending.is_(False))).all()
    rows = [{"id": coupon.id_for(row.id), "member_id": row.id, "rule": coupon.rule,
             "program_version": program.version, "valid_from": coupon.valid_from,
             "expires_at": coupon.expires_at, "issued_channel": row.channel,
             "issued_order_ref": ENROLMENT}
            for row in stored
            for coupon in enrolment_coupons(program, enrolled_at=row.enrolled_at,
                                            referred=row.referrer_id is not None)]
    if rows:
        insert_rows(conn, COUPONS, rows)


def _wire(row: Any) -> CouponWire:
    return CouponWire(id=row.id, member_id=row.member_id, rule=row.rule,
                      program_version=row.program_version, valid_from=row.valid_from,
                      expires_at=row.expires_at, issued_channel=row.issued_channel,
                      issued_order_ref=row.issued_order_ref, used_at=row.used_at,
                      used_channel=row.used_channel, used_order_ref=row.used_order_ref,
                      voided_at=row.voided_at, payload=coupon_payload(row.id))


class Coupons:
    def __init__(self, engine: Any, clock: Callable[[], datetime],
                 zone: Callable[[Connection], ZoneInfo] = lambda _: UTC_ZONE) -> None:
        self.engine, self.clock = engine, clock
        self.zone = zone  # the program's, in which a coupon's days are said

    def of_member(self, member_id: uuid.UUID) -> list[CouponWire]:
        """Every coupon the member was issued, used or not, soonest to expire first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(COUPONS).where(COUPONS.c.member_id == member_id)
                                .order_by(COUPONS.c.expires_at, COUPONS.c.id)).all()
        return [_wire(r) for r in rows]

    def use(self, caller: Caller, coupon_id: uuid.UUID, order_ref: str) -> CouponWire:
        """Spend the coupon on the caller's order ``order_ref``, once across every channel:
        only the order's member's coupon (409 ``coupon_not_members``, as the checkout hold
        and the shop's order answer), on an order the caller has recorded (404
        ``unknown_order``)."""
        now, c, o = self.clock(), COUPONS.c, ORDERS.c
        with self.engine.begin() as conn:
            row = conn.execute(select(COUPONS).where(c.id == coupon_id)).first()
            if row is None:
                raise LedgerRefusal(404, "unknown_coupon", f"no coupon {coupon_id}")
            order = conn.execute(select(o.member_id).where(
                o.channel == caller.device_id, o.order_ref == order_ref)).first()
            if order is None:
                raise LedgerRefusal(404, "unknown_order",
                                    f"no order {order_ref!r} on {caller.device_id}")
            if order.member_id is None:
                raise LedgerRefusal(409, "coupon_not_members", f"coupon {coupon_id} belongs "
                                    f"to a member, order {order_ref!r} to no member")
            refused = coupon_refusal(row, order.member_id, caller.device_id, order_ref, now,
                                     self.zone(conn))
            if refused is not None:  # used or held by another order, withdrawn, not valid
                raise refused
            if row.used_at is not None:
                return _wire(row)  # a retry of this very use
            free = or_(c.held_until.is_(None), c.held_until <= now,
                       and_(c.held_channel == caller.device_id, c.held_order_ref == order_ref))
            won = conn.execute(update(COUPONS).where(c.id == coupon_id, c.used_at.is_(None),
                                                     free)
                               .values(used_at=now, used_channel=caller.device_id,
                                       used_order_ref=order_ref)
                               .returning(*COUPONS.c)).first()
            if won is None:  # another order's use or hold committed since the read above
                raise LedgerRefusal(409, "coupon_used", f"coupon {coupon_id} was just used "
                                    "or held on another order")
        return _wire(won)


def add_coupon_routes(app: FastAPI, coupons: Coupons, caller: Callable[..., Any],
                      request_body: Callable[[type[CouponUse]], dict[str, Any]]) -> None:
    """``GET /v1/members/{id}/coupons`` and ``POST /v1/coupons/{id}/use`` on ``app``, with
    the app's own caller dependency and request-body documentation."""

    @app.get("/v1/members/{member_id}/coupons")
    def member_coupons(member_id: uuid.UUID,
                       who: Annotated[Caller, Depends(caller)]) -> list[CouponWire]:
        """The member's coupons, used or not (a used one says where and when)."""
        return coupons.of_member(member_id)

    @app.post("/v1/coupons/{coupon_id}/use", openapi_extra=request_body(CouponUse),
              responses=refusals(404, 409, 422))
    def use_coupon(coupon_id: uuid.UUID,
                   body: Annotated[CouponUse, Depends(json_body(CouponUse))],
                   who: Annotated[Caller, Depends(caller)]) -> CouponWire:
        """Spend the coupon on one of the caller's orders (404 ``unknown_order``), its
        member's own (409 ``coupon_not_members``): once across every kiosk and the shop
        (409 ``coupon_used`` names where it went), inside its validity window (422
        ``coupon_not_valid``); the same order again is answered as the first time."""
        return coupons.use(who, coupon_id, body.order_ref)

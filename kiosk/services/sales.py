"""Ringing up a sale: the sale becomes an order (its lines, the member state the counter
knew), the program engine turns it into awards and entries (``kiosk/awards.py``), and
the order and its entries are committed together before the cashier hears about it. The
same order rung up twice is recognised, never paid twice."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from kiosk.awards import DERIVED_CHANNEL, member_state, order_entries, record_for
from kiosk.engine.checkout import REWARD_LINE
from kiosk.engine.coupons import OnBirthday, spend_periods
from kiosk.engine.orders import (
    CARD_WALLET,
    KEYED_AMOUNT,
    NO_LOYALTY,
    CouponIssue,
    LoyaltyUsed,
    MemberState,
    Order,
    OrderLine,
)
from kiosk.engine.promotions import Promotion
from kiosk.engine.punch_cards import stamps_after
from kiosk.engine.record import OrderRecord
from kiosk.ledger import Entry, balance
from kiosk.money import format_amount
from kiosk.program import Program, Tier
from kiosk.records import SaleState
from kiosk.services.context import Kiosk
from kiosk.services.errors import (
    MAX_CODE,
    InputProblem,
    InvalidInput,
    Refusal,
    UnknownMember,
    check_code,
    check_order_ref,
    check_text,
)
from kiosk.services.ports import UnitOfWork
from kiosk.services.staff import record
from kiosk.services.views import member_points, member_tier
from kiosk.staff import AuditAction
from kiosk.tiers import tier_window_start
from kiosk.wallets import PointsSummary

SaleLine = OrderLine
"""A basket line as the sale screen and the CLI give it: a product code (or ``AMOUNT`` for a
keyed amount), quantity, unit price and the product's category."""


@dataclass(frozen=True, slots=True)
class Sale:
    member_id: uuid.UUID | None  # None: a non-member sale, kept as an order for the reports
    amount_minor: int
    order_ref: str | None = None
    lines: tuple[SaleLine, ...] = ()
    approved_by: str | None = None
    """The manager who let it above the approval limit: the caller checked (their PIN at
    the counter; on the CLI, that the name is a manager's)."""
    loyalty: LoyaltyUsed = NO_LOYALTY
    """What a reward, a coupon and points paid for (a checkout: ``kiosk.services.checkout``):
    the order earns on the rest."""

    @property
    def net_minor(self) -> int:
        """What the member pays in money (``amount_minor`` is the basket's gross)."""
        return self.amount_minor - self.loyalty.discount_minor

    @classmethod
    def of_basket(cls, member_id: uuid.UUID | None, lines: tuple[SaleLine, ...],
                  order_ref: str | None = None, approved_by: str | None = None) -> Sale:
        return cls(member_id, sum(line.total_minor for line in lines), order_ref, lines,
                   approved_by)


class Payment(Protocol):
    """What loyalty pays for a sale (a checkout's redemption and coupon), written in the
    sale's own transaction so the order, its earn and what it spent commit together."""

    def write(self, tx: UnitOfWork, state: SaleState) -> int:
        """Check what may only be checked in the transaction (offline limits) and write;
        the points it moved (a redemption's, negative). ``state``: what the sale read of
        the member (known here, by their own store's card or not). A Refusal leaves
        nothing written."""


class NeedsApproval(Refusal):
    """A sale above the program's approval limit, with no manager named for it."""

    code = "needs_approval"

    def __init__(self, amount_minor: int, limit_minor: int, limit: str) -> None:
        self.amount_minor, self.limit_minor = amount_minor, limit_minor
        super().__init__(f"a sale above {limit} needs a manager's approval")


@dataclass(frozen=True, slots=True)
class SaleResult:
    order_ref: str
    entries: tuple[Entry, ...]
    points: int
    balance: int
    tier: Tier
    duplicate: bool  # the order had already been rung up; nothing new was recorded
    applied: tuple[str, ...] = ()  # the promotions that added points, for the receipt
    points_after: PointsSummary | None = None  # available, pending, expiring (if the
    # program has pending days or expiry), for the receipt
    stamps: tuple[tuple[str, int], ...] = ()  # (punch card id, stamps held after) of the
    # cards this order stamped
    coupons: tuple[CouponIssue, ...] = ()  # issued by this order (a full card, a threshold)


def new_order_ref(kiosk: Kiosk) -> str:
    """A number for a sale the till gave none: the random end of a fresh id (its start is
    the millisecond, shared by two orders rung up within one)."""
    return f"S-{kiosk.new_id().hex[-16:]}"


def check_sale(program: Program, sale: Sale) -> None:
    """Refuse what no sale may be, before anything is asked or written."""
    if sale.amount_minor <= 0:
        raise InvalidInput("a sale amount must be more than zero", InputProblem.AMOUNT)
    if sale.amount_minor > program.max_sale_minor:
        # The ledger refuses it too; caught here, it never reaches the outbox.
        raise InvalidInput(f"a sale is at most {program.limits.max_sale_amount} "
                           f"{program.currency} in this program", InputProblem.AMOUNT_TOO_LARGE)
    if any(line.quantity <= 0 or line.unit_price_minor < 0 for line in sale.lines):
        raise InvalidInput("basket lines need a positive quantity and a price",
                           InputProblem.BASKET_LINE)
    for i, line in enumerate(sale.lines, 1):  # text the wire refuses would never go up
        check_code(line.code, f"code of basket line {i}")
        if line.category is not None and not 0 < len(line.category) <= MAX_CODE:
            raise InvalidInput(f"the category of basket line {i} is 1 to {MAX_CODE} "
                               "characters", InputProblem.BASKET_LINE)
        check_text(f"category of basket line {i}", line.category)
    if not _free_item_lines_fit(sale):
        raise InvalidInput(f"a basket line's code may not start with {REWARD_LINE} (a free "
                           "item reward's line)", InputProblem.BASKET_LINE)
    check_order_ref(sale.order_ref)
    check_text("approver", sale.approved_by)


def _free_item_lines_fit(sale: Sale) -> bool:
    """A ``REWARD-`` line is a free item reward's own, put last by the checkout's pricing:
    a basket may not bring one (the ledger would read it as the reward's)."""
    free = [x.code for x in sale.lines if x.code.startswith(REWARD_LINE)]
    return not free or (free == [f"{REWARD_LINE}{sale.loyalty.reward_id}"]
                        and sale.lines[-1].code == free[0])


def ring_up_sale(kiosk: Kiosk, sale: Sale, payment: Payment | None = None, *,
                 at: datetime | None = None) -> SaleResult:
    """Ring the sale up as an order; ``payment``: what loyalty pays for it (a checkout),
    written in the same transaction. ``at``: the moment of the sale (a checkout's, which
    priced it), now if not given; the order is judged by the program version in force
    then, one version for all of it, as the ledger judges it (a sale at a version's switch
    never mixes two)."""
    now = at or kiosk.clock()
    program = kiosk.programs.at(now)
    check_sale(program, sale)
    approval = program.approval_sale_minor
    needs_approval = approval is not None and sale.amount_minor > approval

    def money(minor: int) -> str:
        return f"{program.currency} {format_amount(minor, program.minor_units)}"

    order_ref = sale.order_ref or new_order_ref(kiosk)
    if sale.member_id is None:
        if needs_approval and not sale.approved_by:
            assert approval is not None
            raise NeedsApproval(sale.amount_minor, approval, money(approval))
        return _non_member_sale(kiosk, program, sale, order_ref, now,
                                money(sale.amount_minor) if needs_approval else None)
    with kiosk.store.write() as tx:
        state = tx.entries.sale_state(sale.member_id, tier_window_start(program, now),
                                      kiosk.channel, order_ref)
        tier = _tier(tx, program, sale.member_id, state, now)
        if state.earlier_sale is not None:
            return _already_rung_up(tx.entries.sale(kiosk.channel, order_ref), sale, state, tier)
        if not state.member_known:
            raise UnknownMember("this member is not known at this kiosk")
        if state.order_recorded:  # a walk-in sale's number (a member's would be earlier_sale)
            raise InvalidInput(f"order {order_ref} was already rung up with a different "
                               "member or amount", InputProblem.ORDER_REUSED)
        if needs_approval and not sale.approved_by:  # a retry of a recorded one passed above
            assert approval is not None
            raise NeedsApproval(sale.amount_minor, approval, money(approval))
        paid = 0 if payment is None else payment.write(tx, state)
        order, entries = _order_and_entries(tx, kiosk, program, sale, order_ref, now, tier)
        tx.orders.add(order)
        tx.entries.append(entries)
        if needs_approval:
            record(tx, kiosk, AuditAction.SALE_APPROVED,
                   f"{order_ref} · {money(sale.amount_minor)}", approved_by=sale.approved_by)
        after = member_points(tx, program, sale.member_id, now)
    points = balance(entries)
    applied = tuple(rule.removeprefix("promo:") for rule in dict.fromkeys(
        a.rule for a in order.awards if a.rule.startswith("promo:") and a.points))
    return SaleResult(order_ref, entries, points, state.balance + paid + points, tier, False,
                      applied, after,
                      stamps_after(order.state or MemberState(tier.id), order.awards),
                      order.coupons)


def _non_member_sale(kiosk: Kiosk, program: Program, sale: Sale, order_ref: str,
                     now: datetime, approved: str | None) -> SaleResult:
    """The order alone: no points, nothing personal; the reports compare its basket.
    ``approved``: the amount, when a manager let it above the approval limit (the trail
    says who, as for a member's sale)."""
    first = program.tiers[0]
    with kiosk.store.write() as tx:
        earlier = tx.orders.get(kiosk.channel, order_ref)
        if earlier is not None:
            if earlier.order.member_id is not None or (
                    earlier.order.gross_minor != sale.amount_minor):
                raise InvalidInput(f"order {order_ref} was already rung up with a different "
                                   "member or amount", InputProblem.ORDER_REUSED)
            return SaleResult(order_ref, (), 0, 0, first, True)
        tx.orders.add(record_for(program, _order(kiosk, sale, order_ref, now), None))
        if approved is not None:
            record(tx, kiosk, AuditAction.SALE_APPROVED, f"{order_ref} · {approved}",
                   approved_by=sale.approved_by)
    return SaleResult(order_ref, (), 0, 0, first, False)


@dataclass(frozen=True, slots=True)
class SalePreview:
    """What the sale screen says before the cashier confirms."""

    points: int
    promotions: tuple[Promotion, ...]  # those that add points to this basket
    bonuses: tuple[str, ...] = ()  # once-only bonuses it would grant: "birthday", ...
    stamps: tuple[tuple[str, int], ...] = ()  # (punch card id, new stamps) it would add
    coupons: tuple[str, ...] = ()  # the coupon rules it would issue (a full card's, ...)


def preview_sale(kiosk: Kiosk, sale: Sale) -> SalePreview:
    """The points the sale would earn now and the promotions that apply, as ringing it up
    would make them (nothing is written)."""
    now = kiosk.clock()
    program = kiosk.programs.at(now)
    if sale.member_id is None:
        return SalePreview(0, ())
    with kiosk.store.read() as tx:
        state = tx.entries.sale_state(sale.member_id, tier_window_start(program, now),
                                      kiosk.channel, None)
        tier = _tier(tx, program, sale.member_id, state, now)
        order, entries = _order_and_entries(tx, kiosk, program, sale, "preview", now, tier)
    applied = {a.rule for a in order.awards if a.points}
    return SalePreview(balance(entries),
                       tuple(p for p in program.promotions if p.rule in applied),
                       tuple((e.note or "").partition(":")[0] for e in entries
                             if e.channel == DERIVED_CHANNEL),
                       tuple((a.wallet.removeprefix(CARD_WALLET), a.points)
                             for a in order.awards
                             if a.wallet.startswith(CARD_WALLET) and a.points > 0),
                       tuple(c.rule for c in order.coupons))


def _tier(tx: UnitOfWork, program: Program, member_id: uuid.UUID, state: SaleState,
          now: datetime) -> Tier:
    """A member known here only by another store's card earns at the first tier: their
    spend is the ledger's to say (DESIGN: no kiosk knows every member). Under today's
    rule the state's window spend is all it takes; another tier policy reads the member's
    history (``member_tier``)."""
    if state.profile_pending:
        return program.tiers[0]
    return member_tier(tx, program, member_id, now, state.spend_minor).tier


def _order_and_entries(tx: UnitOfWork, kiosk: Kiosk, program: Program, sale: Sale,
                       order_ref: str, now: datetime, tier: Tier
                       ) -> tuple[OrderRecord, tuple[Entry, ...]]:
    member_id = sale.member_id
    assert member_id is not None  # a non-member sale makes no entries
    order = record_for(program, _order(kiosk, sale, order_ref, now),
                       _member_state(tx, program, member_id, tier, now))
    entries = order_entries(order, new_id=kiosk.new_id, staff=kiosk.staff_name)
    derived = {e.id for e in entries if e.channel == DERIVED_CHANNEL}
    if derived:  # granted already (another visit, or another kiosk's copy pulled)
        granted = tx.entries.present(derived)
        entries = tuple(e for e in entries if e.id not in granted)
    return order, entries


def _order(kiosk: Kiosk, sale: Sale, order_ref: str, now: datetime) -> Order:
    lines = sale.lines or (OrderLine(KEYED_AMOUNT, 1, sale.amount_minor),)
    return Order(kiosk.channel, order_ref, now, lines, sale.member_id,
                 store=kiosk.device.store_name, loyalty=sale.loyalty, cashier=kiosk.staff_name)


def _member_state(tx: UnitOfWork, program: Program, member_id: uuid.UUID,
                  tier: Tier, now: datetime) -> MemberState:
    """What the rules need to know of the member, read only when the program asks (a plain
    earn program reads nothing more than the tier: the sale's hot path)."""
    bonuses = program.bonuses
    stamps = tx.entries.stamps(member_id) if program.punch_cards else None
    spend = {key: tx.entries.spend_since(member_id, start) for key, start
             in spend_periods(program.coupons, now, program.zone).items()}
    profiled = (bonuses.birthday is not None or bonuses.first_purchase is not None
                or any(isinstance(r.trigger, OnBirthday) for r in program.coupons))
    if not (profiled or stamps or spend):
        return MemberState(tier.id)
    member = tx.members.get(member_id) if profiled else None
    bought = bonuses.first_purchase is not None and tx.entries.has_purchase(member_id)
    return member_state(tier.id, member, bought, stamps, spend)


def _already_rung_up(earlier: Entry | None, sale: Sale, state: SaleState,
                     tier: Tier) -> SaleResult:
    """A retried order (a double tap, a crash before the till heard back) changes nothing."""
    assert earlier is not None and earlier.order_ref is not None
    if earlier.member_id != sale.member_id or earlier.amount_minor != sale.net_minor:
        raise InvalidInput(f"order {earlier.order_ref} was already rung up with a different "
                           "member or amount", InputProblem.ORDER_REUSED)
    return SaleResult(earlier.order_ref, (earlier,), earlier.points, state.balance, tier, True)

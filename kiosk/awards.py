"""What an order earns under a program: the engine's sections run in a fixed order.

``awards_for_order(program, order, state)`` is the one function the counter, the shop
and the ledger's check all call (DESIGN, engine point 2), with the member state the
counter knew (recorded with the order), so everyone gets the same awards: base earn per
line, then promotions, then once-only bonuses, then punch cards and coupons.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.engine.bonuses import order_bonuses, signup_award
from kiosk.engine.earning import base_awards, exact_line_points
from kiosk.engine.orders import Award, Awards, MemberState, Order
from kiosk.engine.promotions import Promotion, promotions_on
from kiosk.engine.promotions import promotion_awards as _promotion_awards
from kiosk.program import Program, store_today


def awards_for_order(program: Program, order: Order, state: MemberState | None) -> Awards:
    """Everything ``order`` earns for its member; a non-member order earns nothing (it is
    recorded for the reports all the same)."""
    if order.member_id is None or state is None:
        return Awards()
    tier = program.find_tier(state.tier) or program.tiers[0]
    nets = order.line_nets()
    exact = exact_line_points(program.earn, order, nets, program.earn_per_minor,
                              tier.multiplier)
    min_spend = program.minor(program.earn.min_spend)
    earns = order.net_paid_minor >= min_spend
    base = base_awards(program.earn, order, nets, exact, min_spend)
    promos, applied = _promotion_awards(program.promotions, program.promotion_stacking, order,
                                        tier.id, exact, earns, program.earn.rounding,
                                        program.zone)
    first = program.bonuses.first_purchase
    bonuses = order_bonuses(program.bonuses, order, state,
                            store_today(program, order.occurred_at), order.net_paid_minor,
                            program.minor(first.min_amount) if first else 0)
    return Awards(base + promos + bonuses, applied)


def awards_for_signup(program: Program) -> tuple[Award, ...]:
    return signup_award(program.signup_bonus)


def promotions_for(program: Program, tier: str, *, channel: str, store: str | None,
                   at: datetime) -> tuple[Promotion, ...]:
    """The campaigns on for a member of ``tier`` at this counter now: what the member
    screen lists, and the sale preview names those that applied."""
    return promotions_on(program.promotions, tier=tier, channel=channel, store=store, at=at,
                         zone=program.zone)

"""Service results as JSON-able dicts (``--json``) and as one line a person reads."""

from __future__ import annotations

from typing import Any

from kiosk.engine.checkout import Priced
from kiosk.engine.coupons import coupon_payload
from kiosk.ledger import Entry
from kiosk.money import format_amount
from kiosk.program import Program
from kiosk.services import (
    EnrolmentResult,
    MemberView,
    RedemptionResult,
    RefundResult,
    SaleResult,
    VerifyReport,
)
from kiosk.services.checkout import CheckoutResult, Quote


def entry_dict(e: Entry) -> dict[str, Any]:
    return {"id": str(e.id), "member_id": str(e.member_id), "kind": e.kind.value,
            "points": e.points, "amount_minor": e.amount_minor, "channel": e.channel,
            "order_ref": e.order_ref, "program_version": e.program_version,
            "occurred_at": e.occurred_at.isoformat(), "reward_id": e.reward_id,
            "reverses": str(e.reverses) if e.reverses else None, "note": e.note,
            "staff": e.staff}


def member_dict(view: MemberView, program: Program) -> dict[str, Any]:
    p = view.progress
    return {
        "member_id": str(view.member.id), "name": view.member.name,
        "profile_pending": view.member.profile_pending,
        "phone": view.masked_phone, "card_no": view.card_no, "balance": view.balance,
        "tier": p.tier.id, "next_tier": p.next_tier.id if p.next_tier else None,
        "spend_to_next_tier": (format_amount(p.remaining_minor, program.minor_units)
                               if p.basis == "spend" else None),
        "points_to_next_tier": p.remaining_minor if p.basis == "points" else None,
        "tier_holds_until": p.holds_until.isoformat() if p.holds_until else None,
        "currency": program.currency,
        "available": view.points.available if view.points else view.balance,
        "pending": [{"from": day.isoformat(), "points": n}
                    for day, n in (view.points.pending if view.points else ())],
        "expiring": [{"on": day.isoformat(), "points": n}
                     for day, n in (view.points.expiring if view.points else ())],
        "punch_cards": [{"id": card.id, "stamps": held, "size": card.size}
                        for card, held in view.stamps],
        "coupons": [{"id": str(c.id_for(view.member.id)), "rule": c.rule,
                     "valid_from": c.valid_from.isoformat(),
                     "expires_at": c.expires_at.isoformat()} for c in view.coupons],
        "rewards_within_reach": [
            {"id": o.reward.id, "name": o.reward.names.en, "cost": o.reward.cost,
             "affordable": o.affordable, "points_short": o.points_short}
            for o in view.rewards],
        "recent": [entry_dict(e) for e in view.recent],
    }


def member_text(view: MemberView, program: Program) -> str:
    p = view.progress
    gap = (f"{p.remaining_minor} points" if p.basis == "points" else
           f"{format_amount(p.remaining_minor, program.minor_units)} {program.currency}")
    nxt = f", {gap} to {p.next_tier.names.en}" if p.next_tier else ""
    if p.holds_until is not None:
        nxt += f" (held until {p.holds_until.isoformat()})"
    offers = ", ".join(f"{o.reward.id} ({o.reward.cost})" for o in view.rewards
                       if o.affordable) or "none yet"
    who = ("member from another store (profile not synced yet)"
           if view.member.profile_pending else f"{view.member.name} ({view.masked_phone})")
    extra = "".join(f"; {card.names.en} {held}/{card.size}" for card, held in view.stamps)
    if view.points is not None and view.points.available != view.balance:
        extra += f"; {view.points.available} available now"
    if view.coupons:
        extra += f"; {len(view.coupons)} coupon{'s' if len(view.coupons) > 1 else ''}"
    return (f"{who} card {view.card_no}: "
            f"{view.balance} points, {p.tier.names.en}{nxt}; rewards: {offers}{extra}")


def sale_dict(r: SaleResult) -> dict[str, Any]:
    return {"order_ref": r.order_ref, "points": r.points, "balance": r.balance,
            "tier": r.tier.id, "duplicate": r.duplicate,
            "entries": [entry_dict(e) for e in r.entries]}


def sale_text(r: SaleResult) -> str:
    if r.duplicate:
        return (f"Order {r.order_ref} was already rung up ({r.points:+d} points); "
                f"nothing new recorded. Balance {r.balance}.")
    return f"Order {r.order_ref}: {r.points:+d} points at {r.tier.names.en}. Balance {r.balance}."


def _priced_dict(priced: Priced, program: Program) -> dict[str, Any]:
    def money(minor: int) -> str:
        return format_amount(minor, program.minor_units)

    return {"lines": [{"code": x.code, "quantity": x.quantity,
                       "unit_price": money(x.unit_price_minor), "category": x.category}
                      for x in priced.lines],
            "gross": money(priced.gross_minor),
            "discounts": [{"source": d.source, "amount": money(d.amount_minor)}
                          for d in priced.discounts],
            "points_used": priced.loyalty.points_used, "net": money(priced.net_minor)}


def checkout_dict(r: CheckoutResult, program: Program) -> dict[str, Any]:
    return {**sale_dict(r.sale), **_priced_dict(r.priced, program),
            "points_spent": 0 if r.redemption is None else -r.redemption.points,
            "coupon": None if r.coupon is None else r.coupon.id,
            "coupons_issued": [{"rule": c.rule,
                                "payload": coupon_payload(c.id_for(r.member_id))}
                               for c in r.sale.coupons],
            "authorised": r.authorised}


def checkout_text(r: CheckoutResult, program: Program) -> str:
    if r.sale.duplicate:
        return sale_text(r.sale)
    off = ", ".join(f"{d.source} -{format_amount(d.amount_minor, program.minor_units)}"
                    for d in r.priced.discounts) or "no discounts"
    return (f"Order {r.sale.order_ref}: {program.currency} "
            f"{format_amount(r.priced.gross_minor, program.minor_units)}, {off}; to pay "
            f"{program.currency} {format_amount(r.priced.net_minor, program.minor_units)}. "
            f"{r.sale.points:+d} points earned"
            + (f", {-r.redemption.points} spent" if r.redemption is not None else "")
            + f" ({r.authorised}). Balance {r.sale.balance}.")


def quote_dict(q: Quote, program: Program) -> dict[str, Any]:
    return {**_priced_dict(q.priced, program), "max_points": q.max_points,
            "points_cost": q.priced.points_cost}


def quote_text(q: Quote, program: Program) -> str:
    return (f"To pay {program.currency} "
            f"{format_amount(q.priced.net_minor, program.minor_units)} "
            f"(of {format_amount(q.priced.gross_minor, program.minor_units)}); "
            f"up to {q.max_points} points may pay.")


def redemption_dict(r: RedemptionResult) -> dict[str, Any]:
    return {"reward": r.reward.id, "points": r.entry.points, "balance": r.balance,
            "authorised": r.authorised, "entry": entry_dict(r.entry)}


def redemption_text(r: RedemptionResult) -> str:
    return (f"Redeemed {r.reward.names.en} for {-r.entry.points} points "
            f"({r.authorised}). Balance {r.balance}.")


def refund_dict(r: RefundResult, program: Program) -> dict[str, Any]:
    return {"order_ref": r.order_ref, "points": r.points, "balance": r.balance,
            "lines": [{"line": x.line + 1, "quantity": x.quantity} for x in r.lines],
            "money_back": format_amount(r.money_back_minor, program.minor_units),
            "currency": program.currency, "whole": r.whole, "coupons_back": r.coupons_back,
            "entries": [entry_dict(e) for e in r.entries]}


def refund_text(r: RefundResult, program: Program) -> str:
    what = "order" if r.whole else "part of order"
    money = (f" Give back {program.currency} "
             f"{format_amount(r.money_back_minor, program.minor_units)}."
             if r.money_back_minor else "")
    coupons = f" {r.coupons_back} coupon(s) usable again." if r.coupons_back else ""
    return (f"Refunded {what} {r.order_ref}: {r.points:+d} points. Balance {r.balance}."
            f"{money}{coupons}")


def enrolment_dict(r: EnrolmentResult) -> dict[str, Any]:
    return {"member_id": str(r.member.id), "name": r.member.name, "card_no": r.card.card_no,
            "card_payload": r.card.payload, "balance": r.balance,
            "entries": [entry_dict(e) for e in r.entries]}


def enrolment_text(r: EnrolmentResult) -> str:
    return (f"Enrolled {r.member.name}: member {r.member.id}, card {r.card.card_no}, "
            f"{r.balance} points. Card payload: {r.card.payload}")


def verify_dict(r: VerifyReport) -> dict[str, Any]:
    return {"ok": r.ok, "problems": list(r.problems), "pending_uploads": r.pending_uploads}


def verify_text(r: VerifyReport) -> str:
    if r.ok:
        return f"Store OK: balances match their entries; {r.pending_uploads} entries to upload."
    return "Store has problems:\n" + "\n".join(f"  - {p}" for p in r.problems)


def short_phone(masked: str) -> str:
    """A masked phone (``mask_phone``'s "•••••••678") as a screen shows it: "*** 678". A
    bullet per hidden digit reads as a long spaced row ("• • • • • • • 678": the CJK font's
    bullets are wide) and tells a bystander how long the number is; ASCII stars stay
    narrow in every font, and the last digits are what the member recognises."""
    shown = len(masked) - len(masked.rstrip("0123456789"))
    if shown == len(masked):
        return masked
    return f"*** {masked[-shown:]}" if shown else "***"

"""Use cases the counter runs: each takes the :class:`Kiosk` context and a command, does one
thing, and commits once. Expected refusals are :class:`Refusal` subclasses."""

from kiosk.services.context import Kiosk
from kiosk.services.enrolment import Enrolment, EnrolmentResult, enrol
from kiosk.services.errors import Refusal
from kiosk.services.redemption import RedemptionResult, redeem
from kiosk.services.refunds import (
    RecentOrder,
    RefundResult,
    find_order,
    order_to_refund,
    recent_orders,
    refund_codes,
    refund_lines,
    refund_order,
    scanned_order_ref,
)
from kiosk.services.sales import (
    Sale,
    SaleLine,
    SalePreview,
    SaleResult,
    new_order_ref,
    preview_sale,
    ring_up_sale,
)
from kiosk.services.verification import VerifyReport, verify_store
from kiosk.services.views import MemberView, identify, member_for_card, member_view

__all__ = [
    "Enrolment",
    "EnrolmentResult",
    "Kiosk",
    "MemberView",
    "RecentOrder",
    "RedemptionResult",
    "RefundResult",
    "Refusal",
    "Sale",
    "SaleLine",
    "SalePreview",
    "SaleResult",
    "VerifyReport",
    "enrol",
    "find_order",
    "identify",
    "member_for_card",
    "member_view",
    "new_order_ref",
    "order_to_refund",
    "preview_sale",
    "recent_orders",
    "redeem",
    "refund_codes",
    "refund_lines",
    "refund_order",
    "ring_up_sale",
    "scanned_order_ref",
    "verify_store",
]

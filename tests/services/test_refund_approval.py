"""A refund needs a manager's approval once the counter asks who is there (review 28b):
the approval lived only in the touchscreen's manager screen, so the text counter and any
other caller of the refund service refunded for whoever was at the keyboard."""

from __future__ import annotations

import pytest

from kiosk.engine.refunds import RefundLine
from kiosk.services import Sale, refund_lines, refund_order, ring_up_sale
from kiosk.services.refunds import RefundNeedsApproval
from kiosk.services.staff import NotAManager, UnknownStaff, add_staff, audit_trail
from kiosk.staff import AuditAction, Role


def _sold(kiosk, member) -> int:  # type: ignore[no-untyped-def]
    return ring_up_sale(kiosk, Sale(member.member.id, 5000, "S-1")).balance


@pytest.mark.parametrize("approver, refusal", [
    (None, RefundNeedsApproval), ("", RefundNeedsApproval), ("Mei", NotAManager),
    ("Nobody", UnknownStaff)])
def test_a_refund_at_a_kiosk_with_staff_needs_a_manager(kiosk, member, approver, refusal):
    add_staff(kiosk, "Grace", Role.MANAGER, "4321")
    add_staff(kiosk, "Mei", Role.CASHIER, "1111")
    balance = _sold(kiosk, member)
    with pytest.raises(refusal):
        refund_order(kiosk, "S-1", approved_by=approver)
    with pytest.raises(refusal):
        refund_lines(kiosk, "S-1", [RefundLine(0, 1)], approved_by=approver)
    with kiosk.store.read() as tx:  # nothing changed
        assert tx.entries.balance(member.member.id) == balance
    assert not [e for e in audit_trail(kiosk) if e.action is AuditAction.REFUND]


def test_the_approving_manager_is_named_as_the_staff_list_spells_them(kiosk, member):
    add_staff(kiosk, "Grace Ho", Role.MANAGER, "4321")
    add_staff(kiosk, "Mei", Role.CASHIER, "1111")
    _sold(kiosk, member)
    [back] = refund_order(kiosk, "S-1", approved_by="grace ho").entries
    assert back.note == "refund (approved by Grace Ho)"


def test_a_kiosk_with_only_its_manager_or_no_staff_refunds_as_before(kiosk, member):
    _sold(kiosk, member)
    assert refund_order(kiosk, "S-1", approved_by="Mei").entries  # no staff: a name as given
    ring_up_sale(kiosk, Sale(member.member.id, 5000, "S-2"))
    add_staff(kiosk, "Grace", Role.MANAGER, "4321")
    assert refund_order(kiosk, "S-2").entries

"""`kiosk run --text` refunds only with a manager's approval (review 28b): the touchscreen
asks a manager's name and PIN before a refund, but the text counter (what a store's
machine with no display runs) refunded any order for whoever typed ``refund ORDER``, with
nobody named on the reversal or the trail. It now asks the manager's name and PIN; a
wrong PIN, a cashier or nobody refunds nothing."""

from __future__ import annotations

import io

import pytest

from kiosk.app.text_counter import run_counter
from kiosk.services import Sale, ring_up_sale
from kiosk.services.staff import add_staff, audit_trail
from kiosk.staff import AuditAction, Role


def _refunds(kiosk):  # type: ignore[no-untyped-def]
    return [e for e in audit_trail(kiosk) if e.action is AuditAction.REFUND]


@pytest.mark.parametrize("typed", [
    "refund S-1\nquit\n",  # the old way: no manager at all
    "refund S-1\n\n",  # nobody named
    "refund S-1\nGrace\n0000\n",  # the manager's name, a wrong PIN
    "refund S-1\nMei\n1111\n",  # a cashier's own name and PIN
    "refund S-1\nNobody\n4321\n",
], ids=["no-manager", "nobody", "wrong-pin", "cashier", "unknown"])
def test_the_text_counter_refunds_nothing_without_a_managers_pin(kiosk, member, tmp_path,
                                                                  capsys, typed):
    add_staff(kiosk, "Grace", Role.MANAGER, "4321")
    add_staff(kiosk, "Mei", Role.CASHIER, "1111")  # the counter now asks who is there
    before = ring_up_sale(kiosk, Sale(member.member.id, 5000, "S-1")).balance
    run_counter(kiosk, tmp_path / "cards", stdin=io.StringIO(typed))
    assert "! " in capsys.readouterr().out  # refused, in words
    assert _refunds(kiosk) == []
    with kiosk.store.read() as tx:
        assert tx.entries.balance(member.member.id) == before


def test_the_text_counter_refunds_with_the_managers_name_and_pin(kiosk, member, tmp_path,
                                                                 capsys):
    add_staff(kiosk, "Grace", Role.MANAGER, "4321")
    add_staff(kiosk, "Mei", Role.CASHIER, "1111")
    ring_up_sale(kiosk, Sale(member.member.id, 5000, "S-1"))
    run_counter(kiosk, tmp_path / "cards", stdin=io.StringIO("refund S-1\ngrace\n4321\nquit\n"))
    shown = capsys.readouterr().out
    assert "Manager's name" in shown and "Grace's PIN" in shown
    [refund] = _refunds(kiosk)
    assert refund.approved_by == "Grace"


def test_a_kiosk_with_no_staff_refunds_at_the_text_counter_as_before(kiosk, member, tmp_path):
    ring_up_sale(kiosk, Sale(member.member.id, 5000, "S-1"))
    run_counter(kiosk, tmp_path / "cards", stdin=io.StringIO("refund S-1\nquit\n"))
    assert [e.approved_by for e in _refunds(kiosk)] == [None]

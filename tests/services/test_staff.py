"""Named staff with their own PINs: the person signed in is named on every entry; refunds,
adjustments and sales above the program's limit name the manager who approved them; wrong
PINs lock every pad whoever's name is tried; and the trail says all of it."""

from __future__ import annotations

import pytest

from kiosk.services import Sale, refund_order, ring_up_sale
from kiosk.services.manager import adjust_points, check_manager_pin, open_manager
from kiosk.services.sales import NeedsApproval
from kiosk.services.staff import (
    DuplicateStaff,
    NotAManager,
    PinLocked,
    UnknownStaff,
    WrongPin,
    add_staff,
    audit_trail,
    check_pin,
    list_staff,
    remove_staff,
    sign_in,
)
from kiosk.staff import AuditAction, Role


def test_the_cashier_signed_in_is_named_on_every_entry_they_make(kiosk, member):
    mei = add_staff(kiosk, "Mei Lin", Role.CASHIER, "1357")
    sign_in(kiosk, mei.id, "1357")
    sale = ring_up_sale(kiosk, Sale(member.member.id, 2000, "S-1"))
    assert {e.staff for e in sale.entries} == {"Mei Lin"}
    ken = add_staff(kiosk, "陳建國", Role.CASHIER, "2468")
    sign_in(kiosk, ken.id, "2468")  # the quick switch: the next sale is his
    [refund] = refund_order(kiosk, "S-1").entries
    assert refund.staff == "陳建國"
    with kiosk.store.read() as tx:  # and so it is stored, not only returned
        stored = {e.id: e.staff for e in tx.member_entries(member.member.id)}
    assert stored[sale.entries[0].id] == "Mei Lin" and stored[refund.id] == "陳建國"


def test_one_active_person_per_name_whatever_the_case(kiosk):
    add_staff(kiosk, "Mei", Role.CASHIER, "1357")
    with pytest.raises(DuplicateStaff):
        add_staff(kiosk, "  MEI ", Role.MANAGER, "2468")
    remove_staff(kiosk, "mei")
    assert [p.name for p in list_staff(kiosk)] == []
    add_staff(kiosk, "Mei", Role.MANAGER, "2468")  # the name is free again
    assert [(p.name, p.role) for p in list_staff(kiosk)] == [("Mei", Role.MANAGER)]


def test_someone_removed_can_no_longer_sign_in(kiosk):
    mei = add_staff(kiosk, "Mei", Role.CASHIER, "1357")
    remove_staff(kiosk, "Mei")
    with pytest.raises(UnknownStaff):
        sign_in(kiosk, mei.id, "1357")


def test_a_cashier_cannot_open_the_manager_screen_with_their_own_pin(kiosk):
    mei = add_staff(kiosk, "Mei", Role.CASHIER, "1357")
    with pytest.raises(NotAManager):
        open_manager(kiosk, mei.id, "1357")


def test_wrong_pins_count_across_names_so_trying_each_name_gains_nothing(kiosk, clock):
    people = [add_staff(kiosk, f"P{i}", Role.MANAGER, "1357") for i in range(5)]
    for person in people[:4]:
        with pytest.raises(WrongPin):
            check_pin(kiosk, person.id, "0000")
    with pytest.raises(PinLocked) as locked:
        check_pin(kiosk, people[4].id, "0000")
    assert locked.value.seconds == 30
    with pytest.raises(PinLocked):
        sign_in(kiosk, people[0].id, "1357")  # even the right PIN of another name waits
    clock.advance(seconds=31)
    sign_in(kiosk, people[0].id, "1357")
    actions = [e.action for e in audit_trail(kiosk)]
    assert actions.count(AuditAction.WRONG_PIN) == 5 and AuditAction.LOCKED in actions


def test_a_sale_above_the_limit_needs_a_manager_named_and_says_who(kiosk, member):
    limit = kiosk.program.approval_sale_minor
    assert limit is not None
    mei = add_staff(kiosk, "Mei", Role.CASHIER, "1357")
    sign_in(kiosk, mei.id, "1357")
    with pytest.raises(NeedsApproval) as refused:
        ring_up_sale(kiosk, Sale(member.member.id, limit + 1, "BIG-1"))
    assert refused.value.limit_minor == limit
    with kiosk.store.read() as tx:
        assert tx.balance(member.member.id) == member.balance  # nothing recorded
    ring_up_sale(kiosk, Sale(member.member.id, limit, "AT-LIMIT"))  # at the limit: fine
    ring_up_sale(kiosk, Sale(member.member.id, limit + 1, "BIG-1", approved_by="Grace"))
    [approved] = [e for e in audit_trail(kiosk) if e.action is AuditAction.SALE_APPROVED]
    assert (approved.staff, approved.approved_by) == ("Mei", "Grace")
    assert approved.detail.startswith("BIG-1 · TWD ")


def test_adjustments_and_refunds_name_the_approving_manager_on_the_trail(kiosk, member):
    grace = add_staff(kiosk, "Grace", Role.MANAGER, "2468")
    assert open_manager(kiosk, grace.id, "2468") == grace
    ring_up_sale(kiosk, Sale(member.member.id, 2000, "S-9"))
    adjust_points(kiosk, member.member.id, 25, "goodwill", approved_by=grace.name)
    refund_order(kiosk, "S-9", "returned", approved_by=grace.name)
    trail = audit_trail(kiosk)
    assert [e.action for e in trail[:3]] == [AuditAction.REFUND, AuditAction.ADJUSTMENT,
                                             AuditAction.MANAGER_OPENED]  # newest first
    assert all(e.approved_by == "Grace" for e in trail[:3])
    assert trail[1].detail == "+25 · goodwill"
    assert trail[0].detail.startswith("S-9 · -")


def test_the_first_manager_pin_is_a_manager_named_manager(kiosk):
    from kiosk.services.manager import set_manager_pin

    set_manager_pin(kiosk, "2468")
    assert check_manager_pin(kiosk, "2468").name == "Manager"
    set_manager_pin(kiosk, "1357")  # the same person, a new PIN
    assert [p.name for p in list_staff(kiosk)] == ["Manager"]
    with pytest.raises(WrongPin):
        check_manager_pin(kiosk, "2468")


def test_a_kiosk_upgraded_from_the_shared_pin_opens_with_it_as_manager(kiosk):
    """Migration 0006 keeps the one shared PIN as a manager named "Manager"."""
    from alembic import command
    from alembic.config import Config

    from kiosk.services.manager import set_manager_pin
    from kiosk.store.migrate import _SCRIPTS

    set_manager_pin(kiosk, "2468")
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    with kiosk.store.engine.begin() as conn:  # back to the shared PIN of 0005
        stored = conn.exec_driver_sql("SELECT pin_hash FROM staff").scalar()
        config.attributes["connection"] = conn
        command.downgrade(config, "0005")
        conn.exec_driver_sql("INSERT INTO settings VALUES ('manager_pin', ?)", (stored,))
        command.upgrade(config, "head")
    assert [(p.name, p.role) for p in list_staff(kiosk)] == [("Manager", Role.MANAGER)]
    assert check_manager_pin(kiosk, "2468").name == "Manager"
    with kiosk.store.read() as tx:
        assert tx.setting("manager_pin") is None

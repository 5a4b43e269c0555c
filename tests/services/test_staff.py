"""Named staff with their own PINs: the person signed in is named on every entry; refunds,
adjustments and sales above the program's limit name the manager who approved them; a
person's PIN locks after their own wrong tries, whatever else is typed between; and the
trail says all of it."""

from __future__ import annotations

import pytest

from kiosk.services import Sale, refund_order, ring_up_sale
from kiosk.services.errors import InvalidInput
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
    add_staff(kiosk, "Grace", Role.MANAGER, "9753")
    [refund] = refund_order(kiosk, "S-1", approved_by="Grace").entries
    assert refund.staff == "陳建國"
    with kiosk.store.read() as tx:  # and so it is stored, not only returned
        stored = {e.id: e.staff for e in tx.entries.of_member(member.member.id)}
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


def test_a_cashiers_own_right_pin_between_guesses_lifts_nothing_of_the_managers(kiosk,
                                                                             clock):
    """Mei guesses at Grace's PIN, signing in as herself between guesses: Grace's PIN still
    locks after five wrong ones, and the wait still doubles."""
    grace = add_staff(kiosk, "Grace", Role.MANAGER, "2468")
    mei = add_staff(kiosk, "Mei", Role.CASHIER, "1357")
    for guess in ("0000", "1111", "2222", "3333"):
        with pytest.raises(WrongPin):
            open_manager(kiosk, grace.id, guess)
        sign_in(kiosk, mei.id, "1357")
    with pytest.raises(PinLocked) as locked:
        open_manager(kiosk, grace.id, "4444")  # the fifth wrong one in a row for Grace
    assert locked.value.seconds == 30
    with pytest.raises(PinLocked):
        open_manager(kiosk, grace.id, "2468")  # even the right one waits
    sign_in(kiosk, mei.id, "1357")  # Mei's own PIN is not locked by guesses at Grace's
    clock.advance(seconds=31)
    with pytest.raises(PinLocked) as again:
        open_manager(kiosk, grace.id, "5555")
    assert again.value.seconds == 60
    clock.advance(seconds=61)
    open_manager(kiosk, grace.id, "2468")  # opens, and Grace's count starts again
    actions = [e.action for e in audit_trail(kiosk) if e.staff == "Grace"]
    assert actions.count(AuditAction.WRONG_PIN) == 6 and AuditAction.LOCKED in actions


def test_a_manager_pin_for_a_cashiers_name_is_refused(kiosk):
    from kiosk.services.manager import set_manager_pin

    add_staff(kiosk, "Mei", Role.CASHIER, "1357")
    with pytest.raises(NotAManager):
        set_manager_pin(kiosk, "2468", "mei")
    with pytest.raises(InvalidInput):
        set_manager_pin(kiosk, "2468", "x" * 41)  # a name no entry could carry


def test_a_retried_sale_that_was_approved_is_recognised_without_asking_again(kiosk, member):
    limit = kiosk.program.approval_sale_minor
    assert limit is not None
    first = ring_up_sale(kiosk, Sale(member.member.id, limit + 1, "BIG-2", approved_by="G"))
    again = ring_up_sale(kiosk, Sale(member.member.id, limit + 1, "BIG-2"))  # a double tap
    assert again.duplicate and again.points == first.points


def test_a_sale_above_the_limit_needs_a_manager_named_and_says_who(kiosk, member):
    limit = kiosk.program.approval_sale_minor
    assert limit is not None
    mei = add_staff(kiosk, "Mei", Role.CASHIER, "1357")
    sign_in(kiosk, mei.id, "1357")
    with pytest.raises(NeedsApproval) as refused:
        ring_up_sale(kiosk, Sale(member.member.id, limit + 1, "BIG-1"))
    assert refused.value.limit_minor == limit
    with kiosk.store.read() as tx:
        assert tx.entries.balance(member.member.id) == member.balance  # nothing recorded
    ring_up_sale(kiosk, Sale(member.member.id, limit, "AT-LIMIT"))  # at the limit: fine
    ring_up_sale(kiosk, Sale(member.member.id, limit + 1, "BIG-1", approved_by="Grace"))
    [approved] = [e for e in audit_trail(kiosk) if e.action is AuditAction.SALE_APPROVED]
    assert (approved.staff, approved.approved_by) == ("Mei", "Grace")
    assert approved.detail.startswith("BIG-1 · TWD ")


def test_a_walk_in_sale_above_the_limit_says_who_approved_it_too(kiosk):
    """A non-member's sale is an order like any other: the trail names the manager who let
    it above the limit (review of issue 14; before, it wrote nothing)."""
    limit = kiosk.program.approval_sale_minor
    assert limit is not None
    mei = add_staff(kiosk, "Mei", Role.CASHIER, "1357")
    sign_in(kiosk, mei.id, "1357")
    with pytest.raises(NeedsApproval):
        ring_up_sale(kiosk, Sale(None, limit + 1, "WALK-1"))
    ring_up_sale(kiosk, Sale(None, limit + 1, "WALK-1", approved_by="Grace"))
    [approved] = [e for e in audit_trail(kiosk) if e.action is AuditAction.SALE_APPROVED]
    assert (approved.staff, approved.approved_by) == ("Mei", "Grace")
    assert approved.detail.startswith("WALK-1 · TWD ")


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


@pytest.mark.sqlite_only  # a migration
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
        assert tx.settings.get("manager_pin") is None


def test_the_counter_asks_who_is_there_once_it_has_a_cashier_or_two_people(kiosk):
    """An upgraded kiosk has only "Manager" (the shared PIN): its cashiers are not made
    to type the manager's PIN to ring up a sale."""
    from kiosk.services.manager import set_manager_pin
    from kiosk.services.staff import needs_sign_in

    assert not needs_sign_in(list_staff(kiosk))
    set_manager_pin(kiosk, "2468")
    assert not needs_sign_in(list_staff(kiosk))
    add_staff(kiosk, "Mei", Role.CASHIER, "1357")
    assert needs_sign_in(list_staff(kiosk))


def test_with_nobody_signed_in_the_manager_is_named_on_what_they_approve(kiosk, member):
    grace = add_staff(kiosk, "Grace", Role.MANAGER, "2468")
    ring_up_sale(kiosk, Sale(member.member.id, 2000, "S-7"))
    adjust = adjust_points(kiosk, member.member.id, 5, "typo", approved_by=grace.name)
    [back] = refund_order(kiosk, "S-7", approved_by=grace.name).entries
    assert adjust.entry.staff == back.staff == "Grace"
    assert [e.staff for e in audit_trail(kiosk)[:2]] == ["Grace", "Grace"]

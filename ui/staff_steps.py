"""Who is at the counter, and the steps that ask for a name and PIN: taking over as
cashier (the top bar's button, and before the first sale, redemption or enrolment), and a
manager's approval of a sale above the program's limit.

Every entry names the person signed in (``Kiosk.on_duty``); a sale that needs approval
goes through with the manager's name once their PIN is right, and the basket waits on the
sale screen if nobody approves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.services import Sale, SaleResult, ring_up_sale
from kiosk.services.sales import NeedsApproval
from kiosk.services.staff import check_pin, sign_in, still_on_staff
from kiosk.staff import StaffMember
from ui.widgets import button

if TYPE_CHECKING:
    from ui.window import CounterWindow


class StaffSteps(QObject):
    def __init__(self, window: CounterWindow) -> None:
        super().__init__(window)
        self.window = window
        self.kiosk = window.counter.kiosk
        self.screen = window.staff_check
        self.button = button(role="staff", clicked=lambda: self.take_over())
        self._back = "idle"  # where a cancelled step returns to
        self._then: Callable[[], None] | None = None
        self.screen.cancelled.connect(self._cancelled)
        self.screen.passed.connect(self._passed)
        self.screen.not_needed.connect(self._nobody_to_ask)
        self.screen.failed.connect(window.show_error)
        window.sale.failed.connect(self._sale_refused)

    @property
    def on_duty(self) -> StaffMember | None:
        return self.kiosk.on_duty

    # -- taking over the counter ---------------------------------------------------------
    def take_over(self, then: Callable[[], None] | None = None) -> None:
        """Ask who is at the counter now; ``then`` goes on once they are signed in."""
        kiosk = self.kiosk
        if self.window.current != "staff":  # tapped again on this screen: same way back
            self._back = self.window.current
        self._then = then
        self.screen.start(lambda person, pin: sign_in(kiosk, person.id, pin),
                          managers_only=False, chosen=None,
                          title=lambda: self.tr("Who is at the counter?"),
                          prompt=lambda: self.tr("Tap your name, then type your PIN."),
                          submit=lambda: self.tr("Sign in"))
        self.window.show_screen("staff")

    def require(self, then: Callable[[], None]) -> None:
        """``then`` at once when someone is signed in; otherwise after they sign in."""
        if self.on_duty is not None:
            then()
        else:
            self.take_over(then)

    def recheck(self) -> None:
        """Between customers: someone removed from the staff (`kiosk staff remove`, from
        another terminal) since they signed in is signed out, so nothing more is made in
        their name."""
        person, kiosk = self.on_duty, self.kiosk
        if person is None:
            return

        def checked(still: bool) -> None:
            if not still and kiosk.on_duty is person:
                kiosk.on_duty = None
                self.retranslate()
        self.window.counter.tasks.run(lambda: still_on_staff(kiosk, person), checked,
                                      self.window.show_error)

    def _nobody_to_ask(self) -> None:
        """A kiosk with no staff, or only its one manager, works as before (the screen
        says so only when it asked for anyone, never for a manager's approval)."""
        self._go_on()

    # -- a manager's approval --------------------------------------------------------------
    def _sale_refused(self, exc: BaseException) -> None:
        if isinstance(exc, NeedsApproval):
            self.approve(self.window.sale.sale(), exc)
        else:
            self.window.show_error(exc)

    def approve(self, sale: Sale, needs: NeedsApproval) -> None:
        kiosk, money = self.kiosk, self.window.counter.money

        def approve_and_ring_up(person: StaffMember, pin: str) -> SaleResult:
            manager = check_pin(kiosk, person.id, pin, manager=True)
            return ring_up_sale(kiosk, dataclasses.replace(sale, approved_by=manager.name))

        self._back, self._then = "sale", None
        self.screen.start(
            approve_and_ring_up, managers_only=True,
            chosen=self.on_duty if self.on_duty and self.on_duty.is_manager else None,
            title=lambda: self.tr("A manager's approval"),
            prompt=lambda: self.tr("A sale of {amount} is above {limit}: a manager taps their "
                               "name and types their PIN to approve it.").format(
                amount=money(needs.amount_minor), limit=money(needs.limit_minor)),
            submit=lambda: self.tr("Approve the sale"))
        self.window.show_screen("staff")

    # -- after the step --------------------------------------------------------------------
    def _passed(self, result: object) -> None:
        if isinstance(result, SaleResult):
            self.window.sale.completed.emit(result)  # as if the sale screen had rung it up
            return
        self.retranslate()
        person = self.on_duty
        if person is not None:
            name = person.name
            self.window.say(lambda: self.tr("{name} is at the counter: what happens here now "
                                        "is in their name.").format(name=name))
        self._go_on()

    def _go_on(self) -> None:
        then, self._then = self._then, None
        self.window.show_screen(self._back)
        if then is not None:
            then()

    def _cancelled(self) -> None:
        self._then = None
        self.window.show_screen(self._back)

    def retranslate(self) -> None:
        person = self.on_duty
        self.button.setText(self.tr("Cashier: {name}").format(name=person.name) if person
                            else self.tr("Sign in"))

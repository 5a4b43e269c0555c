"""Who is at the counter, and the steps that ask for a name and PIN: taking over as
cashier (the bottom bar's button, and before the first sale, redemption or enrolment), and
a manager's approval of a sale above the program's limit.

Every entry names the person signed in (``Kiosk.on_duty``); a sale that needs approval
goes through with the manager's name once their PIN is right, and the basket waits on the
sale screen if nobody approves. No widgets here: the staff screen (``StaffCheckScreen``)
takes the name and PIN through the ``CounterView``, and its outcome comes back to
``passed``, ``cancelled`` and ``not_needed``. The words keep the translation context
"StaffSteps".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from kiosk.services.checkout import Checkout, CheckoutResult, check_out
from kiosk.services.sales import NeedsApproval
from kiosk.services.staff import check_pin, sign_in, still_on_staff
from kiosk.staff import StaffMember
from ui.context import ScreenContext
from ui.counter_view import CounterView


class StaffSteps:
    """``rung_up`` takes a sale a manager approved, as if the sale screen had rung it up."""

    def __init__(self, counter: ScreenContext, view: CounterView,
                 rung_up: Callable[[CheckoutResult], None]) -> None:
        self.counter, self.view, self.rung_up = counter, view, rung_up
        self.kiosk = counter.kiosk
        self._back = "idle"  # where a cancelled step returns to
        self._then: Callable[[], None] | None = None

    @property
    def on_duty(self) -> StaffMember | None:
        return self.kiosk.on_duty

    # -- taking over the counter ---------------------------------------------------------
    def take_over(self, then: Callable[[], None] | None = None) -> None:
        """Ask who is at the counter now; ``then`` goes on once they are signed in."""
        kiosk = self.kiosk
        if self.view.current != "staff":  # tapped again on this screen: same way back
            self._back = self.view.current
        self._then = then
        self.view.ask_staff(
            lambda person, pin: sign_in(kiosk, person.id, pin),
            managers_only=False, chosen=None,
            title=lambda: QCoreApplication.translate("StaffSteps", "Who is at the counter?"),
            prompt=lambda: QCoreApplication.translate(
                "StaffSteps", "Tap your name, then type your PIN."),
            submit=lambda: QCoreApplication.translate("StaffSteps", "Sign in"))
        self.view.show_screen("staff")

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
                self.view.show_cashier(self.cashier())
        self.counter.tasks.run(lambda: still_on_staff(kiosk, person), checked,
                               self.view.show_error)

    def not_needed(self) -> None:
        """A kiosk with no staff, or only its one manager, works as before (the screen
        says so only when it asked for anyone, never for a manager's approval)."""
        self._go_on()

    # -- a manager's approval --------------------------------------------------------------
    def sale_refused(self, exc: BaseException, checkout: Callable[[], Checkout]) -> None:
        """The sale screen's checkout was refused: a manager may approve it, else say why."""
        if isinstance(exc, NeedsApproval):
            self.approve(checkout(), exc)
        else:
            self.view.show_error(exc)

    def approve(self, checkout: Checkout, needs: NeedsApproval) -> None:
        kiosk, money = self.kiosk, self.counter.money

        def approve_and_ring_up(person: StaffMember, pin: str) -> CheckoutResult:
            manager = check_pin(kiosk, person.id, pin, manager=True)
            return check_out(kiosk, dataclasses.replace(checkout, approved_by=manager.name))

        self._back, self._then = "sale", None
        self.view.ask_staff(
            approve_and_ring_up, managers_only=True,
            chosen=self.on_duty if self.on_duty and self.on_duty.is_manager else None,
            title=lambda: QCoreApplication.translate("StaffSteps", "A manager's approval"),
            prompt=lambda: QCoreApplication.translate(
                "StaffSteps", "A sale of {amount} is above {limit}: a manager taps their "
                              "name and types their PIN to approve it.").format(
                amount=money(needs.amount_minor), limit=money(needs.limit_minor)),
            submit=lambda: QCoreApplication.translate("StaffSteps", "Approve the sale"))
        self.view.show_screen("staff")

    # -- after the step --------------------------------------------------------------------
    def passed(self, result: object) -> None:
        """The staff screen's check went through (``result`` is what it returned)."""
        if isinstance(result, CheckoutResult):
            self.rung_up(result)
            return
        self.view.show_cashier(self.cashier())
        person = self.on_duty
        if person is not None:
            name = person.name
            self.view.say(lambda: QCoreApplication.translate(
                "StaffSteps", "{name} is at the counter: what happens here now is in their "
                              "name.").format(name=name))
        self._go_on()

    def _go_on(self) -> None:
        then, self._then = self._then, None
        self.view.show_screen(self._back)
        if then is not None:
            then()

    def cancelled(self) -> None:
        self._then = None
        self.view.show_screen(self._back)

    def cashier(self) -> str:
        """The cashier button's words, in the counter's language now."""
        person = self.on_duty
        if person is not None:
            return QCoreApplication.translate("StaffSteps", "Cashier: {name}").format(
                name=person.name)
        return QCoreApplication.translate("StaffSteps", "Sign in")

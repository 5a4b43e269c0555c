"""A step where a person proves who they are before the counter goes on: a cashier taking
over the counter, or a manager approving a sale above the program's limit. ``StaffSteps``
(ui/staff_steps.py) says what for and what happens after; this screen lists the people,
takes the name and PIN and runs the check on a worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.services.staff import list_staff, needs_sign_in
from kiosk.staff import StaffMember
from ui.context import ScreenContext
from ui.messages import no_manager
from ui.screens.staff_pin import StaffPin
from ui.widgets import ServiceScreen, button, label

Check = Callable[[StaffMember, str], Any]  # runs on a worker: the person, their PIN


class StaffCheckScreen(ServiceScreen):
    passed = Signal(object)  # whatever the check returned
    cancelled = Signal()
    not_needed = Signal()  # nobody to ask (services/staff.py needs_sign_in)

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__(counter)
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.title = label("", "title")
        self.cancel = button(clicked=self.cancelled.emit)
        header.addWidget(self.title, 1)
        header.addWidget(self.cancel)
        layout.addLayout(header)
        self.staff_pin = StaffPin()
        self.staff_pin.submitted.connect(self._submitted)
        layout.addWidget(self.staff_pin, 1)
        self._check: Check | None = None
        self._words: tuple[Callable[[], str], Callable[[], str], Callable[[], str]] | None = None
        self.managers_only = False
        self._loaded = False
        self.retranslate()

    def start(self, check: Check, *, managers_only: bool, title: Callable[[], str],
              prompt: Callable[[], str], submit: Callable[[], str],
              chosen: StaffMember | None = None) -> None:
        """Ask for a name and PIN; ``check`` gets them. The words are callables so that
        they are said again in a new language."""
        self._check, self.managers_only = check, managers_only
        self._words = (title, prompt, submit)
        self._loaded = False
        self.staff_pin.set_people([])
        self.retranslate()
        kiosk = self.counter.kiosk
        self.counter.tasks.run(lambda: list_staff(kiosk),
                               lambda people: self._show(people, chosen), self.failed.emit)

    def _show(self, people: list[StaffMember], chosen: StaffMember | None) -> None:
        self._loaded = True
        if not self.managers_only and not needs_sign_in(people):
            self.not_needed.emit()
        if self.managers_only:
            people = [p for p in people if p.is_manager]
        self.staff_pin.set_people(people, chosen)
        self.retranslate()

    @property
    def people(self) -> list[StaffMember]:
        return self.staff_pin.people

    def _submitted(self, person: StaffMember, pin: str) -> None:
        check = self._check
        if check is not None:
            self.call(lambda: check(person, pin), self.passed.emit)

    def retranslate(self) -> None:
        self.cancel.setText(self.tr("Cancel"))
        if self._words is None:
            return
        title, prompt, submit = self._words
        self.title.setText(title())
        self.staff_pin.submit.setText(submit())
        if self.people or not self._loaded:
            self.staff_pin.prompt.setText(prompt())
        else:  # only a manager is ever asked for when nobody is on the staff
            self.staff_pin.prompt.setText(no_manager())

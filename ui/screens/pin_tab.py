"""The manager screen's "My PIN" tab: the manager who unlocked the screen types a new PIN
twice (no one sees it to catch a slip); the prompt sits beside the pad, as on the sign-in
screen, since an 800 px panel has room for both.

Its words keep the translation context of the manager screen they came from
("ManagerScreen"), so the translations in ``assets/i18n`` still find them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.services.errors import InvalidInput
from kiosk.services.manager import MAX_PIN, MIN_PIN
from kiosk.services.staff import set_staff_pin
from kiosk.staff import StaffMember
from ui.context import ScreenContext
from ui.screens.staff_pin import PinEntry
from ui.widgets import Call, ServiceScreen, button, label


class NewPinTab(ServiceScreen):
    """``manager``: who unlocked the screen (their PIN is the one changed)."""

    pin_changed = Signal()

    def __init__(self, counter: ScreenContext, manager: Callable[[], StaffMember | None],
                 call: Call) -> None:
        super().__init__(counter)
        self.manager, self._call = manager, call
        layout = QHBoxLayout(self)
        self.prompt = label("", wrap=True)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.pin = PinEntry()
        self.submit = button(role="primary", clicked=self._entered)
        self.pin.changed.connect(lambda pin: self.submit.setEnabled(len(pin) >= MIN_PIN))
        self._first: str | None = None
        self.pin.set_pin("")
        pad = QVBoxLayout()
        pad.addWidget(self.pin, 1)
        pad.addWidget(self.submit)
        layout.addWidget(self.prompt, 1)
        layout.addLayout(pad, 1)
        self.retranslate()

    def reset(self) -> None:
        """From the first of the two PINs, for the manager who unlocked the screen now."""
        self._first = None
        self.pin.set_pin("")
        self.retranslate()

    def _entered(self) -> None:
        pin, first = self.pin.pin, self._first
        self.pin.set_pin("")
        self._first = pin if first is None else None  # the second time starts over
        self.retranslate()  # the prompt for the next step
        if first is None:
            return
        if pin != first:
            self.failed.emit(InvalidInput(QCoreApplication.translate(
                "ManagerScreen", "the two PINs were not the same; the manager PIN is "
                                 "unchanged")))
            return
        kiosk, manager = self.counter.kiosk, self.manager()
        if manager is not None:
            self._call(lambda: set_staff_pin(kiosk, manager.id, pin),
                       lambda _: self.pin_changed.emit())

    def retranslate(self) -> None:
        manager = self.manager()
        again = self._first is not None
        self.prompt.setText(
            QCoreApplication.translate("ManagerScreen", "Type the new PIN again") if again
            else QCoreApplication.translate(
                "ManagerScreen", "{name}, type your new PIN ({low} to {high} digits)").format(
                name=manager.name if manager is not None else "", low=MIN_PIN, high=MAX_PIN))
        self.submit.setText(
            QCoreApplication.translate("ManagerScreen", "Save the new PIN") if again
            else QCoreApplication.translate("ManagerScreen", "Next"))

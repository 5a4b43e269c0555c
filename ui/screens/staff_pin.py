"""Tap your name, type your PIN: how a person proves who they are at the counter, for
taking over as cashier, opening the manager screen and approving a large sale alike."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.staff import MAX_PIN, MIN_PIN
from kiosk.staff import StaffMember
from ui.widgets import Keypad, button, label

NAME_COLUMNS = 3  # equal columns: one name is a name-sized button, not a bar


class PinEntry(QWidget):
    """A PIN typed on a digit keypad and shown only as dots (a customer stands opposite)."""

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pin = ""
        self.dots = label(" ", "huge")
        # a long PIN's dots never widen the layout, so the keypad never moves under a finger
        self.dots.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.pad = Keypad(double_zero=False)
        self.pad.typed.connect(lambda key: self.set_pin((self.pin + key)[:MAX_PIN]))
        self.pad.erased.connect(lambda: self.set_pin(self.pin[:-1]))
        self.pad.cleared.connect(lambda: self.set_pin(""))
        layout.addWidget(self.dots)
        layout.addWidget(self.pad, 1)

    def set_pin(self, pin: str) -> None:
        self.pin = pin
        self.dots.setText("●" * len(pin) or " ")
        self.changed.emit(pin)


class StaffPin(QWidget):
    """The names as buttons (one chosen), the PIN pad beside them and the button that
    submits both. ``submitted`` carries the person and the PIN; the PIN is then cleared,
    so nothing typed stays on the pad for the next person."""

    submitted = Signal(object, str)  # StaffMember, PIN

    def __init__(self) -> None:
        super().__init__()
        self.people: list[StaffMember] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        self.prompt = label("", wrap=True)
        self.names = QGridLayout()
        for column in range(NAME_COLUMNS):
            self.names.setColumnStretch(column, 1)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        left.addWidget(self.prompt)
        left.addLayout(self.names)
        left.addStretch(1)
        layout.addLayout(left, 1)
        right = QVBoxLayout()
        self.entry = PinEntry()
        self.pad = self.entry.pad
        self.submit = button(role="primary", clicked=self._submit)
        self.entry.changed.connect(lambda _: self._enable())
        right.addWidget(self.entry, 1)
        right.addWidget(self.submit)
        layout.addLayout(right, 1)
        self.group.buttonToggled.connect(lambda *_: self._enable())
        self._enable()

    def set_people(self, people: list[StaffMember], chosen: StaffMember | None = None
                   ) -> None:
        """``chosen`` (or the first, when there is only one) starts selected."""
        for b in self.group.buttons():
            self.group.removeButton(b)
            b.deleteLater()
        self.people = people
        for i, person in enumerate(people):
            b = button(person.name, role="staff")
            b.setCheckable(True)
            self.group.addButton(b, i)
            self.names.addWidget(b, i // NAME_COLUMNS, i % NAME_COLUMNS)
        if chosen is None and len(people) == 1:
            chosen = people[0]
        for i, person in enumerate(people):
            if chosen is not None and person.id == chosen.id:
                self.group.button(i).setChecked(True)
        self.entry.set_pin("")

    @property
    def chosen(self) -> StaffMember | None:
        i = self.group.checkedId()
        return self.people[i] if 0 <= i < len(self.people) else None

    def choose(self, name: str) -> None:
        for i, person in enumerate(self.people):
            if person.name == name:
                self.group.button(i).setChecked(True)

    def _enable(self) -> None:
        self.submit.setEnabled(self.chosen is not None and len(self.entry.pin) >= MIN_PIN)

    def _submit(self) -> None:
        person, pin = self.chosen, self.entry.pin
        self.entry.set_pin("")
        if person is not None:
            self.submitted.emit(person, pin)

"""Picking how many of each line come back, by touch: a row per line with large minus and plus
buttons around the count, from 0 to what is left of it (the + stops there, so more than
is left can't be asked for). A long order scrolls within the picker, so the screen around
it keeps its size. Texts come from the screen that owns the picker (its translations)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QWidget,
)

from ui.theme import PRIMARY_PX
from ui.widgets import button, label


class Stepper(QWidget):
    """A count from 0 to ``most`` changed by a tap on minus or plus."""

    changed = Signal(int)

    def __init__(self, most: int) -> None:
        super().__init__()
        self.most = most
        self.value = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.minus = button("−", clicked=lambda: self.set_value(self.value - 1))  # noqa: RUF001
        self.plus = button("+", clicked=lambda: self.set_value(self.value + 1))
        self.count = label()
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count.setMinimumWidth(56)
        self.count.setStyleSheet("font-size: 26px; font-weight: bold;")
        for b in (self.minus, self.plus):
            b.setFixedSize(PRIMARY_PX, PRIMARY_PX)
            b.setStyleSheet("font-size: 30px; font-weight: bold; padding: 0;")
        row.addWidget(self.minus)
        row.addWidget(self.count)
        row.addWidget(self.plus)
        self.set_value(0)

    def set_value(self, value: int) -> None:
        value = max(0, min(value, self.most))
        changed = value != self.value
        self.value = value
        self.count.setText(str(value))
        self.minus.setEnabled(value > 0)
        self.plus.setEnabled(value < self.most)
        if changed:
            self.changed.emit(value)


class LinePicker(QScrollArea):
    """One row per key (an order line's index): its name, a line of detail and a
    :class:`Stepper` up to the most the key allows."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.steppers: dict[int, Stepper] = {}
        self.names: dict[int, QLabel] = {}
        self.details: dict[int, QLabel] = {}
        self._content = QWidget()
        self.setWidget(self._content)
        self._grid = QGridLayout(self._content)

    def show_lines(self, most: dict[int, int]) -> None:
        """Rows afresh for these keys, every count at 0."""
        content = QWidget()
        content.setObjectName("linePicker")
        content.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        content.setStyleSheet("#linePicker { background: white; }"
                              " #linePickerRule { background: #e0ddd6; }")
        grid = QGridLayout(content)
        grid.setColumnStretch(0, 1)
        grid.setVerticalSpacing(4)
        self.steppers, self.names, self.details = {}, {}, {}
        for row, (key, n) in enumerate(most.items()):
            name, detail = label("", wrap=True), label("", "subtle", wrap=True)
            name.setStyleSheet("font-weight: bold;")
            stepper = Stepper(n)
            stepper.changed.connect(lambda _n: self.changed.emit())
            if row:  # a rule between rows, as in the orders list
                rule = QFrame()
                rule.setObjectName("linePickerRule")
                rule.setFixedHeight(1)
                grid.addWidget(rule, 3 * row - 1, 0, 1, 2)
            grid.addWidget(name, 3 * row, 0)
            grid.addWidget(detail, 3 * row + 1, 0)
            grid.addWidget(stepper, 3 * row, 1, 2, 1, Qt.AlignmentFlag.AlignVCenter)
            self.steppers[key], self.names[key], self.details[key] = stepper, name, detail
        grid.setRowStretch(3 * len(most), 1)
        self._content, self._grid = content, grid
        self.setWidget(content)  # the old rows go with the old widget
        self.changed.emit()

    def set_texts(self, key: int, name: str, detail: str) -> None:
        self.names[key].setText(name)
        self.details[key].setText(detail)

    def picked(self) -> dict[int, int]:
        return {key: s.value for key, s in self.steppers.items() if s.value}

    def pick(self, quantities: dict[int, int]) -> None:
        for key, stepper in self.steppers.items():
            stepper.set_value(quantities.get(key, 0))

    def buttons(self, key: int) -> tuple[QPushButton, QPushButton]:
        """The row's minus and plus (for the tests and the scanner)."""
        return self.steppers[key].minus, self.steppers[key].plus

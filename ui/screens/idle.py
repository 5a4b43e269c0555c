"""The attract screen: what a member sees between customers."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout

from ui.context import ScreenContext
from ui.widgets import Screen, button, label


class IdleScreen(Screen):
    enrol_requested = Signal()

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__()
        self.counter = counter
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.store = label(counter.kiosk.device.store_name, "title")
        self.program = label("", "subtle")
        self.prompt = label("", "huge", wrap=True)
        for w in (self.store, self.program, self.prompt):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(w)
        layout.addStretch(1)
        self.enrol = button(role="primary", clicked=self.enrol_requested.emit)
        layout.addWidget(self.enrol, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.program.setText(self.counter.name(self.counter.kiosk.program.name))
        self.prompt.setText(self.tr("Please scan your membership card"))
        self.enrol.setText(self.tr("New member? Join here"))

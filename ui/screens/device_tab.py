"""The manager screen's device and sync tab: which device this is, the sync state in full,
a round of sync on request, and the ledger's new address when it moves (a paired kiosk
only; checked against the ledger before it is saved).

Its words keep the translation context of the manager screen they came from
("ManagerScreen"), so the translations in ``assets/i18n`` still find them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from sync.status import SyncStatus
from ui.context import ScreenContext
from ui.sync_badge import describe_sync
from ui.widgets import Call, OnScreenKeyboard, Screen, button, label


class DeviceTab(Screen):
    sync_requested = Signal()
    ledger_moved = Signal(str)  # the new address, saved

    def __init__(self, counter: ScreenContext, call: Call) -> None:
        super().__init__()
        self.counter, self._call = counter, call
        self.status: SyncStatus | None = None
        layout = QVBoxLayout(self)
        self.device_info = label("", wrap=True)
        self.sync_info = label("", wrap=True)
        self.sync_now = button(clicked=self.sync_requested.emit)
        layout.addWidget(self.device_info)
        layout.addWidget(self.sync_info)
        layout.addWidget(self.sync_now)
        self.ledger_address = QLineEdit(counter.ledger_url or "")
        self.ledger_label = label()
        self.move_ledger_button = button(clicked=self._move_ledger)
        ledger_row = QHBoxLayout()
        ledger_row.addWidget(self.ledger_label)
        ledger_row.addWidget(self.ledger_address, 1)
        ledger_row.addWidget(self.move_ledger_button)
        self.address_keyboard = OnScreenKeyboard(rows=OnScreenKeyboard.ADDRESS_ROWS,
                                                 names=False)
        layout.addLayout(ledger_row)
        layout.addWidget(self.address_keyboard, 1)
        if counter.move_ledger is None:
            hidden: tuple[QWidget, ...] = (self.ledger_label, self.ledger_address,
                                           self.address_keyboard, self.move_ledger_button)
            for widget in hidden:
                widget.hide()
        layout.addStretch(1)
        self.retranslate()

    def show_sync(self, status: SyncStatus | None) -> None:
        self.status = status
        self.retranslate()

    def _move_ledger(self) -> None:
        move, address = self.counter.move_ledger, self.ledger_address.text()
        if move is not None:  # checked against the ledger there before it is saved
            self._call(lambda: move(address), self._ledger_moved)

    def _ledger_moved(self, address: str) -> None:
        self.ledger_address.setText(address)
        self.ledger_moved.emit(address)

    def retranslate(self) -> None:
        self.sync_now.setText(QCoreApplication.translate("ManagerScreen", "Sync now"))
        self.ledger_label.setText(QCoreApplication.translate("ManagerScreen", "Ledger address"))
        self.move_ledger_button.setText(QCoreApplication.translate(
            "ManagerScreen", "Check and save the ledger address"))
        device = self.counter.kiosk.device
        self.device_info.setText(QCoreApplication.translate(
            "ManagerScreen", "Device {device} at {store}").format(
                device=device.device_id, store=device.store_name))
        self.sync_info.setText(describe_sync(self.status, detail=True,
                                             zone=self.counter.kiosk.program.zone))

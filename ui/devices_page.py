"""The manager's hardware settings: which scanners listen, on which port, and how they
are doing right now. Saved to devices.json and applied at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from devices.settings import DeviceSettings, SerialScannerSettings, WedgeSettings
from ui.widgets import button, label


class DevicesPage(QWidget):
    def __init__(self, settings: DeviceSettings,
                 apply: Callable[[DeviceSettings], None]) -> None:
        super().__init__()
        self.apply = apply
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.state = label("", "subtle", wrap=True)
        layout.addWidget(self.state)
        form = QFormLayout()
        self.wedge = QCheckBox()
        self.serial = QCheckBox()
        self.port = QLineEdit()
        self.baud = QComboBox()
        self.baud.addItems(["9600", "19200", "38400", "57600", "115200"])
        self.suffix = QComboBox()
        self.suffix.addItems(["CR", "LF", "CRLF"])
        for w in (self.wedge, self.serial, self.baud, self.suffix):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            w.setMinimumHeight(48)
        self.port_label, self.baud_label, self.suffix_label = label(), label(), label()
        form.addRow(self.wedge)
        form.addRow(self.serial)
        form.addRow(self.port_label, self.port)
        form.addRow(self.baud_label, self.baud)
        form.addRow(self.suffix_label, self.suffix)
        layout.addLayout(form)
        self.save = button(role="primary", clicked=self._save)
        layout.addWidget(self.save)
        self.states: dict[str, str] = {}
        self.show_settings(settings)
        self.retranslate()

    def show_settings(self, settings: DeviceSettings) -> None:
        self.settings = settings
        self.wedge.setChecked(settings.wedge.enabled)
        self.serial.setChecked(settings.serial_scanner.enabled)
        self.port.setText(settings.serial_scanner.port)
        self.baud.setCurrentText(str(settings.serial_scanner.baudrate))
        self.suffix.setCurrentText(settings.serial_scanner.suffix)

    def show_state(self, device: str, state: str) -> None:
        self.states[device] = state
        self.retranslate()

    @Slot(str)
    def show_serial_state(self, state: str) -> None:
        """Connected to the scanner's thread: a slot, so Qt queues it to the UI thread."""
        self.show_state("serial", state)

    def _save(self) -> None:
        settings = DeviceSettings(
            serial_scanner=SerialScannerSettings(
                enabled=self.serial.isChecked(), port=self.port.text().strip() or "auto",
                baudrate=int(self.baud.currentText()),
                suffix=self.suffix.currentText()),
            wedge=WedgeSettings(enabled=self.wedge.isChecked(),
                                max_gap_ms=self.settings.wedge.max_gap_ms,
                                min_length=self.settings.wedge.min_length))
        self.settings = settings
        self.apply(settings)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.wedge.setText(self.tr("Keyboard-wedge scanner"))
        self.serial.setText(self.tr("Serial scanner"))
        self.port_label.setText(self.tr("Port (or auto)"))
        self.baud_label.setText(self.tr("Baud rate"))
        self.suffix_label.setText(self.tr("Line end"))
        self.save.setText(self.tr("Save and apply"))
        lines = [self.tr("Camera scanner: not available in this version"),
                 self.tr("Receipt printer: not set up")]
        lines += [f"{name}: {state}" for name, state in self.states.items()]
        self.state.setText("\n".join(lines))

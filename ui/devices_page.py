"""The manager's hardware settings: which scanners listen, where receipts print, and how
each device is doing right now. Saved to devices.json and applied at once; a setting that
can't work (a file printer without a path) is refused with the field named, and nothing
is saved."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError
from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from devices.settings import DeviceSettings
from ui.widgets import button, label

BAUD_RATES = ["9600", "19200", "38400", "57600", "115200"]
PRINTER_KINDS = ["none", "file", "serial", "usb", "network"]


def _combo(items: list[str]) -> QComboBox:
    """The stored values as item data; ``retranslate`` sets the words shown."""
    box = QComboBox()
    for item in items:
        box.addItem(item, item)
    box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    box.setMinimumHeight(48)
    return box


def _choose(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


def _check() -> QCheckBox:
    box = QCheckBox()
    box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    box.setMinimumHeight(48)
    return box


class DevicesPage(QWidget):
    def __init__(self, settings: DeviceSettings,
                 apply: Callable[[DeviceSettings], None],
                 test_print: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.apply, self.test_print = apply, test_print
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.state = label("", "subtle", wrap=True)
        layout.addWidget(self.state)
        # Scanners on the left, the printer on the right, scrolling (by finger too) where
        # the screen is short: the page must fit the manager's tab at 1024x768.
        form = QWidget()
        columns = QHBoxLayout(form)
        scanners, printer = QFormLayout(), QFormLayout()
        columns.addLayout(scanners, 1)
        columns.addLayout(printer, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form)
        QScroller.grabGesture(scroll.viewport(),
                              QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        layout.addWidget(scroll, 1)

        self.wedge, self.serial, self.camera = _check(), _check(), _check()
        self.port, self.camera_device = QLineEdit(), QLineEdit()
        self.baud, self.suffix = _combo(BAUD_RATES), _combo(["CR", "LF", "CRLF"])
        self.port_label, self.baud_label, self.suffix_label = label(), label(), label()
        self.camera_label = label()
        scanners.addRow(self.wedge)
        scanners.addRow(self.serial)
        scanners.addRow(self.port_label, self.port)
        scanners.addRow(self.baud_label, self.baud)
        scanners.addRow(self.suffix_label, self.suffix)
        scanners.addRow(self.camera)
        scanners.addRow(self.camera_label, self.camera_device)

        self.printer_kind = _combo(PRINTER_KINDS)
        self.printer_target = QLineEdit()
        self.printer_baud = _combo(BAUD_RATES)
        self.paper = _combo(["80", "58"])
        self.cjk = _combo(["raster", "gb18030", "big5"])
        self.printer_labels = [label() for _ in range(5)]
        for caption, field in zip(self.printer_labels, (
                self.printer_kind, self.printer_target, self.printer_baud, self.paper,
                self.cjk), strict=True):
            printer.addRow(caption, field)

        actions = QHBoxLayout()
        self.save = button(role="primary", clicked=self._save)
        self.test = button(clicked=self._test_print)
        actions.addWidget(self.save)
        actions.addWidget(self.test)
        layout.addLayout(actions)
        self.states: dict[str, str] = {}
        self.error = ""
        self.show_settings(settings)
        self.retranslate()

    def show_settings(self, settings: DeviceSettings) -> None:
        self.settings = settings
        scanner, p = settings.serial_scanner, settings.printer
        self.wedge.setChecked(settings.wedge.enabled)
        self.serial.setChecked(scanner.enabled)
        self.port.setText(scanner.port)
        _choose(self.baud, str(scanner.baudrate))
        _choose(self.suffix, scanner.suffix)
        self.camera.setChecked(settings.camera.enabled)
        self.camera_device.setText(settings.camera.device)
        _choose(self.printer_kind, p.kind)
        self.printer_target.setText(p.target)
        _choose(self.printer_baud, str(p.baudrate))
        _choose(self.paper, str(p.paper_mm))
        _choose(self.cjk, p.cjk)

    def show_state(self, device: str, state: str) -> None:
        self.states[device] = state
        self.retranslate()

    @Slot(str)
    def show_serial_state(self, state: str) -> None:
        """Connected to the scanner's thread: a slot, so Qt queues it to the UI thread."""
        self.show_state("serial", state)

    @Slot(str)
    def show_camera_state(self, state: str) -> None:
        self.show_state("camera", state)

    def edited(self) -> DeviceSettings:
        """The settings as the form shows them; ValidationError names a field that can't
        work (``printer.target``)."""
        old = self.settings
        return DeviceSettings.model_validate({
            "serial_scanner": {
                "enabled": self.serial.isChecked(), "port": self.port.text().strip() or "auto",
                "baudrate": int(self.baud.currentData()), "suffix": self.suffix.currentData()},
            "wedge": {**old.wedge.model_dump(), "enabled": self.wedge.isChecked()},
            "camera": {"enabled": self.camera.isChecked(),
                       "device": self.camera_device.text().strip() or "default"},
            "printer": {
                **old.printer.model_dump(), "kind": self.printer_kind.currentData(),
                "target": self.printer_target.text(),
                "baudrate": int(self.printer_baud.currentData()),
                "paper_mm": int(self.paper.currentData()), "cjk": self.cjk.currentData()},
        })

    def _save(self) -> None:
        try:
            settings = self.edited()
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            self.error = f"{field}: {first['msg'].removeprefix('Value error, ')}"
            self.retranslate()
            return
        self.error = ""
        self.settings = settings
        self.apply(settings)

    def _test_print(self) -> None:
        if self.test_print is not None:
            self.test_print()

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
        self.camera.setText(self.tr("Camera scanner"))
        self.camera_label.setText(self.tr("Camera"))
        for caption, text in zip(self.printer_labels, (
                self.tr("Receipt printer"), self.tr("Where"), self.tr("Baud rate"),
                self.tr("Paper (mm)"), self.tr("Chinese as")), strict=True):
            caption.setText(text)
        self.printer_target.setPlaceholderText(
            self.tr("/dev/usb/lp0, COM3, 04b8:0e28 or 10.0.0.9"))
        self._words()
        self.save.setText(self.tr("Save and apply"))
        self.test.setText(self.tr("Print a test page"))
        names = {"printer": self.tr("Printer"), "wedge": self.tr("Keyboard wedge"),
                 "serial": self.tr("Serial scanner"), "camera": self.tr("Camera")}
        lines = [self.tr("{device}: {state}").format(device=names.get(name, name),
                                                     state=self._state(state))
                 for name, state in self.states.items()]
        if self.error:
            lines.append(self.tr("Not saved: {problem}").format(problem=self.error))
        self.state.setText("   ·   ".join(lines))

    def _words(self) -> None:
        """The dropdowns' words in the counter's language (their data stays the value)."""
        words = {"none": self.tr("None"), "file": self.tr("File"),
                 "serial": self.tr("Serial port"), "usb": self.tr("USB"),
                 "network": self.tr("Network"), "raster": self.tr("Image (any printer)"),
                 "gb18030": self.tr("GB18030 text"), "big5": self.tr("Big5 text")}
        for box in (self.printer_kind, self.cjk):  # line ends (CR, LF) read alike in all
            for i in range(box.count()):
                box.setItemText(i, words.get(box.itemData(i), box.itemData(i)))

    def _state(self, state: str) -> str:
        """A device's state as its thread reports it ("on", "connected /dev/ttyACM0",
        "disconnected: why", "file out.txt"), in the counter's language; the details that
        follow (a port, an OS error) are shown as they come."""
        fixed = {"on": self.tr("on"), "off": self.tr("off"), "starting": self.tr("starting"),
                 "no scanner found": self.tr("no scanner found"),
                 "no camera is connected": self.tr("no camera is connected"),
                 "none": self.tr("none")}
        if state in fixed:
            return fixed[state]
        prefixes = {"connected ": self.tr("connected {detail}"),
                    "disconnected: ": self.tr("disconnected: {detail}"),
                    "unavailable: ": self.tr("unavailable: {detail}"),
                    "error: ": self.tr("error: {detail}"), "on ": self.tr("on {detail}"),
                    **{f"{kind} ": self.tr("{kind} {detail}") for kind in PRINTER_KINDS}}
        for prefix, words in prefixes.items():
            if state.startswith(prefix):
                kind = self.printer_kind.itemText(self.printer_kind.findData(prefix.strip()))
                return words.format(detail=state.removeprefix(prefix), kind=kind)
        return state

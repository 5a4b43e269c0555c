"""The manager screen's adjustment tab: points added to or taken from the member at the
counter, with a reason, approved in the name of the manager who unlocked the screen.

Its words keep the translation context of the manager screen they came from
("ManagerScreen"), so the translations in ``assets/i18n`` still find them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout

from kiosk.services import MemberView
from kiosk.services.errors import InvalidInput
from kiosk.services.manager import AdjustmentResult, adjust_points
from ui.context import ScreenContext
from ui.widgets import Call, OnScreenKeyboard, ServiceScreen, button, label


class AdjustTab(ServiceScreen):
    """``approver`` names the manager who unlocked the screen, for the ledger's note."""

    adjusted = Signal(object)  # AdjustmentResult

    def __init__(self, counter: ScreenContext, approver: Callable[[], str], call: Call) -> None:
        super().__init__(counter)
        self.approver, self._call = approver, call
        self.member: MemberView | None = None
        layout = QVBoxLayout(self)
        self.member_line = label("", wrap=True)
        self.points = QLineEdit()
        self.points.setPlaceholderText("+50 / -20")
        self.reason = QLineEdit()
        form = QFormLayout()
        self.points_label, self.reason_label = label(), label()
        form.addRow(self.points_label, self.points)
        form.addRow(self.reason_label, self.reason)
        layout.addWidget(self.member_line)
        layout.addLayout(form)
        layout.addWidget(OnScreenKeyboard(), 1)
        self.record = button(role="primary", clicked=self._adjust)
        layout.addWidget(self.record)
        self.retranslate()

    def show_member(self, member: MemberView | None) -> None:
        """The member at the counter, as stored now (or nobody)."""
        self.member = member
        self.retranslate()

    def _adjust(self) -> None:
        if self.member is None:
            self.failed.emit(InvalidInput(QCoreApplication.translate(
                "ManagerScreen", "scan the member's card first")))
            return
        try:
            points = int(self.points.text().replace(" ", ""))
        except ValueError:
            self.failed.emit(InvalidInput(QCoreApplication.translate(
                "ManagerScreen", "points are a whole number, e.g. +50 or -20")))
            return
        kiosk, member_id = self.counter.kiosk, self.member.member.id
        reason, approver = self.reason.text(), self.approver()
        self._call(lambda: adjust_points(kiosk, member_id, points, reason, approver),
                   self._adjusted)

    def _adjusted(self, result: AdjustmentResult) -> None:
        self.points.clear()
        self.reason.clear()
        self.adjusted.emit(result)

    def retranslate(self) -> None:
        self.reason_label.setText(QCoreApplication.translate("ManagerScreen", "Reason"))
        self.points_label.setText(QCoreApplication.translate("ManagerScreen", "Points (+/-)"))
        self.record.setText(QCoreApplication.translate("ManagerScreen", "Record adjustment"))
        self.member_line.setText(
            QCoreApplication.translate("ManagerScreen", "Member: {name}, {points} points").format(
                name=self.member.member.name, points=self.member.balance)
            if self.member else QCoreApplication.translate(
                "ManagerScreen", "Scan a member's card before adjusting points."))

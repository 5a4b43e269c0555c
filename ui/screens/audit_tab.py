"""The manager screen's trail: who did what at this counter, newest first, in the store's
time zone and the counter's language ("14:05 Mei: refund S-1a2b (approved by Grace)")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QVBoxLayout

from kiosk.services.staff import audit_trail
from kiosk.staff import AuditAction, AuditEvent
from ui.context import ScreenContext
from ui.widgets import ServiceScreen, button, label

SHOWN = 100


class AuditTab(ServiceScreen):
    def __init__(self, counter: ScreenContext) -> None:
        super().__init__(counter)
        layout = QVBoxLayout(self)
        self.heading = label("", wrap=True)
        self.events = QListWidget()
        self.events.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.events.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.refresh = button(clicked=self.load)
        layout.addWidget(self.heading)
        layout.addWidget(self.events, 1)
        layout.addWidget(self.refresh)
        self.trail: list[AuditEvent] = []
        self.retranslate()

    def load(self) -> None:
        kiosk = self.counter.kiosk
        self.counter.tasks.run(lambda: audit_trail(kiosk, SHOWN), self.show_trail,
                               self.failed.emit)

    def show_trail(self, trail: list[AuditEvent]) -> None:
        self.trail = trail
        self.retranslate()

    def action(self, action: AuditAction) -> str:
        return {
            AuditAction.STAFF_ADDED: self.tr("cashier added"),
            AuditAction.MANAGER_ADDED: self.tr("manager added"),
            AuditAction.STAFF_REMOVED: self.tr("staff removed"),
            AuditAction.PIN_CHANGED: self.tr("PIN changed"),
            AuditAction.SIGNED_IN: self.tr("signed in at the counter"),
            AuditAction.MANAGER_OPENED: self.tr("opened the manager screen"),
            AuditAction.WRONG_PIN: self.tr("wrong PIN"),
            AuditAction.LOCKED: self.tr("PIN pads locked after wrong PINs"),
            AuditAction.SALE_APPROVED: self.tr("sale above the limit"),
            AuditAction.REFUND: self.tr("refund"),
            AuditAction.CARD_REISSUED: self.tr("lost card replaced"),
            AuditAction.ADJUSTMENT: self.tr("points adjusted"),
        }[action]

    def line(self, e: AuditEvent) -> str:
        when = e.at.astimezone(self.counter.kiosk.program.zone).strftime("%m-%d %H:%M")
        text = self.tr("{when}  {who}: {what}").format(
            when=when, who=e.staff or self.tr("(set-up)"), what=self.action(e.action))
        if e.detail:
            text += f" · {e.detail}"
        if e.approved_by and e.action not in (AuditAction.MANAGER_OPENED,):
            text += " " + self.tr("(approved by {name})").format(name=e.approved_by)
        return text

    def retranslate(self) -> None:
        self.heading.setText(self.tr("What staff did at this kiosk, newest first"))
        self.refresh.setText(self.tr("Refresh"))
        self.events.clear()
        for e in self.trail:
            self.events.addItem(self.line(e))

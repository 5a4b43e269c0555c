"""The manager's corner, behind a manager's own name and PIN: refunds and audited manual
adjustments (approved in that manager's name), today's figures, the device and sync, the
manager's own PIN, the staff trail, and the device settings. Each tab is its own widget
(ui/screens/*_tab.py); this screen unlocks them and says which member is at the counter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from kiosk.services import MemberView, RefundResult, member_view
from kiosk.services.manager import AdjustmentResult, managers, open_manager
from kiosk.staff import StaffMember
from sync.status import SyncStatus
from ui.context import ScreenContext
from ui.messages import no_manager
from ui.screens.adjust_tab import AdjustTab
from ui.screens.audit_tab import AuditTab
from ui.screens.device_tab import DeviceTab
from ui.screens.lost_card_tab import LostCardTab
from ui.screens.pin_tab import NewPinTab
from ui.screens.refund_tab import RefundTab
from ui.screens.staff_pin import StaffPin
from ui.screens.today_tab import TodayTab
from ui.widgets import ServiceScreen, button, label


class ManagerScreen(ServiceScreen):
    refunded = Signal(object)  # RefundResult
    adjusted = Signal(object)  # AdjustmentResult
    closed = Signal()
    opened = Signal()  # the right PIN: the step that may have failed before is done
    sync_requested = Signal()
    ledger_moved = Signal(str)  # the new address, saved
    pin_changed = Signal()
    reissued = Signal(object)  # ReissueResult: a lost card replaced

    def __init__(self, counter: ScreenContext, settings_page: QWidget | None = None) -> None:
        super().__init__(counter)
        self.member: MemberView | None = None
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.title = label("", "title")
        self.close_button = button(clicked=self.close_manager)
        header.addWidget(self.title)
        header.addStretch()
        header.addWidget(self.close_button)
        layout.addLayout(header)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)

        # the PIN page: a manager taps their name and types their own PIN
        self.staff_pin = StaffPin()
        self.staff_pin.submitted.connect(self._unlock)
        self.pin_prompt, self.pin_entry = self.staff_pin.prompt, self.staff_pin.entry
        self.pin_pad, self.unlock = self.staff_pin.pad, self.staff_pin.submit
        self.pages.addWidget(self.staff_pin)
        self.approver: StaffMember | None = None  # who opened it: they approve what is done
        self.on_duty: Callable[[], StaffMember | None] = lambda: None
        self._managers: list[StaffMember] | None = None

        # the unlocked tabs
        self.tabs = QTabWidget()
        # eight tabs in a row at 1024 px in every language (140 px each cut "Hardware")
        self.tabs.setStyleSheet("QTabBar::tab { min-height: 48px; min-width: 80px; "
                                "padding: 0 8px; font-size: 17px; }")
        self.pages.addWidget(self.tabs)
        self.refund_tab = RefundTab(counter, lambda: self.approver_name)
        tab = self.refund_tab  # its fields under the names the tests and the scanner use
        self.order_ref, self.refund_reason = tab.order_ref, tab.refund_reason
        self.refund_button = tab.refund_button
        self.refund_tab.refunded.connect(self._refunded)
        self.opened.connect(lambda: self.refund_tab.load(self.member))  # fresh on each opening
        self.adjust_tab = AdjustTab(counter, lambda: self.approver_name, self.call)
        self.adjust_tab.adjusted.connect(self._adjusted)
        self.today_tab = TodayTab(counter)
        self.device_tab = DeviceTab(counter, self.call)
        self.device_tab.sync_requested.connect(self.sync_requested.emit)
        self.device_tab.ledger_moved.connect(self.ledger_moved.emit)
        self.new_pin_tab = NewPinTab(counter, lambda: self.approver, self.call)
        self.new_pin_tab.pin_changed.connect(self.pin_changed.emit)
        self.audit_tab = AuditTab(counter)
        self.lost_card_tab = LostCardTab(counter, lambda: self.approver_name, self.call)
        self.lost_card_tab.reissued.connect(self.reissued.emit)
        self.hardware_tab = settings_page
        for page in (self.refund_tab, self.adjust_tab, self.today_tab, self.device_tab,
                     self.new_pin_tab, self.audit_tab, settings_page, self.lost_card_tab):
            if page is not None:
                self.tabs.addTab(page, "")
        for service in (self.refund_tab, self.adjust_tab, self.lost_card_tab, self.today_tab,
                        self.new_pin_tab, self.audit_tab):
            service.failed.connect(self.failed.emit)
        self.retranslate()

    # -- PIN ---------------------------------------------------------------------------
    def start(self, member: MemberView | None) -> None:
        self.member = member
        self.adjust_tab.show_member(member)
        self.approver = None
        self.audit_tab.show_trail([])  # the last manager's view goes with the lock
        self.staff_pin.set_people([])
        self.new_pin_tab.reset()
        self.pages.setCurrentIndex(0)
        self.retranslate()
        kiosk, on_duty = self.counter.kiosk, self.on_duty()
        chosen = on_duty if on_duty is not None and on_duty.is_manager else None
        self._managers = None  # loading
        self.counter.tasks.run(lambda: managers(kiosk),
                               lambda people: self._managers_loaded(people, chosen),
                               self.failed.emit)

    def _managers_loaded(self, people: list[StaffMember], chosen: StaffMember | None) -> None:
        self._managers = people
        self.staff_pin.set_people(people, chosen)
        self.retranslate()

    @property
    def approver_name(self) -> str:
        return self.approver.name if self.approver is not None else ""

    @property
    def unlocked(self) -> bool:
        return self.pages.currentIndex() == 1

    def _unlock(self, person: StaffMember, pin: str) -> None:
        kiosk = self.counter.kiosk
        self.call(lambda: open_manager(kiosk, person.id, pin), self._unlocked)

    def _unlocked(self, manager: StaffMember) -> None:
        self.approver = manager
        self.opened.emit()
        self.audit_tab.load()
        self.pages.setCurrentIndex(1)
        self.tabs.setCurrentIndex(0)
        self.today_tab.load()
        self._reload_member()
        self.new_pin_tab.retranslate()  # the prompt names the manager
        self.retranslate()

    def _reload_member(self) -> None:
        """The member's figures as stored now: the view the counter had may be older than
        a sync, a refund or an adjustment made here (the adjust tab showed 104 points for
        a member who had 83)."""
        if self.member is None:
            return
        kiosk, member_id = self.counter.kiosk, self.member.member.id
        self.counter.tasks.run(lambda: member_view(kiosk, member_id), self._member_loaded,
                               self.failed.emit)

    def _member_loaded(self, view: MemberView) -> None:
        if self.member is not None and self.member.member.id == view.member.id:
            self.member = view
            self.adjust_tab.show_member(view)

    def close_manager(self) -> None:
        self.pages.setCurrentIndex(0)
        self.closed.emit()

    # -- after a tab's step ----------------------------------------------------------------
    def _refunded(self, result: RefundResult) -> None:
        self.today_tab.load()
        self._reload_member()
        self.refunded.emit(result)

    def _adjusted(self, result: AdjustmentResult) -> None:
        self.today_tab.load()
        self._reload_member()
        self.adjusted.emit(result)

    def load_figures(self) -> None:
        self.today_tab.load()

    def show_sync(self, status: SyncStatus | None) -> None:
        self.device_tab.show_sync(status)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Manager"))
        self.pin_prompt.setText(self.tr("Managers: tap your name, then type your PIN")
                                if self._managers != [] else no_manager())
        self.unlock.setText(self.tr("Unlock"))
        self.tabs.setTabText(0, self.tr("Refund"))
        self.tabs.setTabText(1, self.tr("Adjust points"))
        self.tabs.setTabText(2, self.tr("Today"))
        self.tabs.setTabText(3, self.tr("Device and sync"))
        self.tabs.setTabText(4, self.tr("My PIN"))
        self.tabs.setTabText(5, self.tr("Staff trail"))
        if self.hardware_tab is not None:
            self.tabs.setTabText(6, self.tr("Hardware"))
        self.tabs.setTabText(self.tabs.indexOf(self.lost_card_tab), self.tr("Lost card"))
        self.lost_card_tab.retranslate()
        self.close_button.setText(self.tr("Close"))

"""The manager's corner, behind a manager's own name and PIN: refunds and audited manual
adjustments (approved in that manager's name), today's figures, the staff trail, and the
device and sync settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.services import MemberView, RefundResult, member_view
from kiosk.services.errors import InvalidInput
from kiosk.services.manager import (
    MAX_PIN,
    MIN_PIN,
    AdjustmentResult,
    DayFigures,
    adjust_points,
    managers,
    open_manager,
    todays_figures,
)
from kiosk.services.staff import set_staff_pin
from kiosk.staff import StaffMember
from sync.agent import SyncStatus
from ui.context import ScreenContext
from ui.messages import no_manager
from ui.screens.audit_tab import AuditTab
from ui.screens.refund_tab import RefundTab
from ui.screens.staff_pin import PinEntry, StaffPin
from ui.sync_badge import describe_sync
from ui.widgets import OnScreenKeyboard, ServiceScreen, button, label


class ManagerScreen(ServiceScreen):
    refunded = Signal(object)  # RefundResult
    adjusted = Signal(object)  # AdjustmentResult
    closed = Signal()
    opened = Signal()  # the right PIN: the step that may have failed before is done
    sync_requested = Signal()
    ledger_moved = Signal(str)  # the new address, saved
    pin_changed = Signal()

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
        # seven tabs in a row at 1024 px in every language (140 px each cut "Hardware")
        self.tabs.setStyleSheet("QTabBar::tab { min-height: 48px; min-width: 96px; "
                                "padding: 0 12px; }")
        self.pages.addWidget(self.tabs)
        self.refund_tab = RefundTab(counter, lambda: self.approver_name)
        tab = self.refund_tab  # its fields under the names the tests and the scanner use
        self.order_ref, self.refund_reason = tab.order_ref, tab.refund_reason
        self.refund_button = tab.refund_button
        self.refund_tab.refunded.connect(self._refunded)
        self.refund_tab.failed.connect(self.failed.emit)
        self.opened.connect(lambda: self.refund_tab.load(self.member))  # fresh on each opening
        self.tabs.addTab(self.refund_tab, "")

        self.adjust_tab = QWidget()
        a = QVBoxLayout(self.adjust_tab)
        self.adjust_member = label("", wrap=True)
        self.adjust_points = QLineEdit()
        self.adjust_points.setPlaceholderText("+50 / -20")
        self.adjust_reason = QLineEdit()
        adjust_form = QFormLayout()
        self.points_label, self.adjust_reason_label = label(), label()
        adjust_form.addRow(self.points_label, self.adjust_points)
        adjust_form.addRow(self.adjust_reason_label, self.adjust_reason)
        a.addWidget(self.adjust_member)
        a.addLayout(adjust_form)
        a.addWidget(OnScreenKeyboard(), 1)
        self.adjust_button = button(role="primary", clicked=self._adjust)
        a.addWidget(self.adjust_button)
        self.tabs.addTab(self.adjust_tab, "")

        self.today_tab = QWidget()
        t = QVBoxLayout(self.today_tab)
        self.figures = label("", wrap=True)
        self.figures.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.refresh_figures = button(clicked=self.load_figures)
        t.addWidget(self.figures, 1)
        t.addWidget(self.refresh_figures)
        self.tabs.addTab(self.today_tab, "")

        self.device_tab = QWidget()
        d = QVBoxLayout(self.device_tab)
        self.device_info = label("", wrap=True)
        self.sync_info = label("", wrap=True)
        self.sync_now = button(clicked=self.sync_requested.emit)
        d.addWidget(self.device_info)
        d.addWidget(self.sync_info)
        d.addWidget(self.sync_now)
        # the ledger's address, for when it moves (a paired kiosk only)
        self.ledger_address = QLineEdit(counter.ledger_url or "")
        self.ledger_label = label()
        self.move_ledger_button = button(clicked=self._move_ledger)
        ledger_row = QHBoxLayout()
        ledger_row.addWidget(self.ledger_label)
        ledger_row.addWidget(self.ledger_address, 1)
        ledger_row.addWidget(self.move_ledger_button)
        self.address_keyboard = OnScreenKeyboard(rows=OnScreenKeyboard.ADDRESS_ROWS,
                                                 names=False)
        d.addLayout(ledger_row)
        d.addWidget(self.address_keyboard, 1)
        if counter.move_ledger is None:
            hidden: tuple[QWidget, ...] = (self.ledger_label, self.ledger_address,
                                           self.address_keyboard, self.move_ledger_button)
            for widget in hidden:
                widget.hide()
        d.addStretch(1)
        self.tabs.addTab(self.device_tab, "")

        # the manager's new PIN, typed twice (no one sees it to catch a slip); the prompt
        # beside the pad, as on the sign-in screen: a 800 px panel has room for both
        self.new_pin_tab = QWidget()
        n = QHBoxLayout(self.new_pin_tab)
        self.new_pin_prompt = label("", wrap=True)
        self.new_pin_prompt.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.new_pin = PinEntry()
        self.new_pin_button = button(role="primary", clicked=self._new_pin_entered)
        self.new_pin.changed.connect(
            lambda pin: self.new_pin_button.setEnabled(len(pin) >= MIN_PIN))
        self._first_pin: str | None = None
        self.new_pin.set_pin("")
        pad = QVBoxLayout()
        pad.addWidget(self.new_pin, 1)
        pad.addWidget(self.new_pin_button)
        n.addWidget(self.new_pin_prompt, 1)
        n.addLayout(pad, 1)
        self.tabs.addTab(self.new_pin_tab, "")
        self.audit_tab = AuditTab(counter)
        self.audit_tab.failed.connect(self.failed.emit)
        self.tabs.addTab(self.audit_tab, "")
        self.hardware_tab = settings_page
        if settings_page is not None:
            self.tabs.addTab(settings_page, "")

        self._figures: DayFigures | None = None
        self._status: SyncStatus | None = None
        self.retranslate()

    # -- PIN ---------------------------------------------------------------------------
    def start(self, member: MemberView | None) -> None:
        self.member = member
        self.approver = None
        self.audit_tab.show_trail([])  # the last manager's view goes with the lock
        self.staff_pin.set_people([])
        self._first_pin = None
        self.new_pin.set_pin("")
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
        self.load_figures()
        self._reload_member()
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
            self.retranslate()

    def close_manager(self) -> None:
        self.pages.setCurrentIndex(0)
        self.closed.emit()

    # -- actions -------------------------------------------------------------------------
    def _refunded(self, result: RefundResult) -> None:
        self.load_figures()
        self._reload_member()
        self.refunded.emit(result)

    def _adjust(self) -> None:
        if self.member is None:
            self.failed.emit(InvalidInput(self.tr("scan the member's card first")))
            return
        try:
            points = int(self.adjust_points.text().replace(" ", ""))
        except ValueError:
            self.failed.emit(InvalidInput(self.tr("points are a whole number, e.g. +50 or -20")))
            return
        kiosk, member_id = self.counter.kiosk, self.member.member.id
        reason = self.adjust_reason.text()
        approver = self.approver_name
        self.call(lambda: adjust_points(kiosk, member_id, points, reason, approver),
                  self._adjusted)

    def _adjusted(self, result: AdjustmentResult) -> None:
        self.adjust_points.clear()
        self.adjust_reason.clear()
        self.load_figures()
        self._reload_member()
        self.adjusted.emit(result)

    def _move_ledger(self) -> None:
        move, address = self.counter.move_ledger, self.ledger_address.text()
        if move is not None:  # checked against the ledger there before it is saved
            self.call(lambda: move(address), self._ledger_moved)

    def _ledger_moved(self, address: str) -> None:
        self.ledger_address.setText(address)
        self.ledger_moved.emit(address)

    def _new_pin_entered(self) -> None:
        pin, first = self.new_pin.pin, self._first_pin
        self.new_pin.set_pin("")
        self._first_pin = pin if first is None else None  # the second time starts over
        self.retranslate()  # the prompt for the next step
        if first is None:
            return
        if pin != first:
            self.failed.emit(InvalidInput(self.tr(
                "the two PINs were not the same; the manager PIN is unchanged")))
            return
        kiosk, manager = self.counter.kiosk, self.approver
        if manager is not None:
            self.call(lambda: set_staff_pin(kiosk, manager.id, pin),
                      lambda _: self.pin_changed.emit())

    def load_figures(self) -> None:
        kiosk = self.counter.kiosk  # a read in the background: the screen stays usable
        self.counter.tasks.run(lambda: todays_figures(kiosk), self._show_figures,
                               self.failed.emit)

    def _show_figures(self, figures: DayFigures) -> None:
        self._figures = figures
        self.retranslate()

    def show_sync(self, status: SyncStatus | None) -> None:
        self._status = status
        self.retranslate()

    def retranslate(self) -> None:
        c = self.counter
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
        again = self._first_pin is not None
        self.new_pin_prompt.setText(
            self.tr("Type the new PIN again") if again
            else self.tr("{name}, type your new PIN ({low} to {high} digits)").format(
                name=self.approver_name, low=MIN_PIN, high=MAX_PIN))
        self.new_pin_button.setText(self.tr("Save the new PIN") if again else self.tr("Next"))
        self.adjust_reason_label.setText(self.tr("Reason"))
        self.points_label.setText(self.tr("Points (+/-)"))
        self.adjust_button.setText(self.tr("Record adjustment"))
        self.refresh_figures.setText(self.tr("Refresh"))
        self.sync_now.setText(self.tr("Sync now"))
        self.ledger_label.setText(self.tr("Ledger address"))
        self.move_ledger_button.setText(self.tr("Check and save the ledger address"))
        self.close_button.setText(self.tr("Close"))
        self.adjust_member.setText(
            self.tr("Member: {name}, {points} points").format(
                name=self.member.member.name, points=self.member.balance)
            if self.member else self.tr("Scan a member's card before adjusting points."))
        f = self._figures
        if f is not None:
            self.figures.setText("\n".join([
                self.tr("Today at this kiosk (other kiosks and the shop count on their "
                        "own)"),
                self.tr("New members: {n}").format(n=f"{f.enrolments:,}"),
                self.tr("Sales: {n} rung up, {refunds} refunded; net {amount}").format(
                    n=f"{f.sales:,}", refunds=f"{f.refunds:,}",
                    amount=c.money(f.sales_minor)),
                self.tr("Points issued: {n}").format(n=f"{f.points_issued:,}"),
                self.tr("Points redeemed: {n} (redemptions: {count})").format(
                    n=f"{f.points_redeemed:,}", count=f"{f.redemptions:,}")]))
        device = c.kiosk.device
        self.device_info.setText(self.tr("Device {device} at {store}").format(
            device=device.device_id, store=device.store_name))
        self.sync_info.setText(describe_sync(self._status, detail=True,
                                             zone=self.counter.kiosk.program.zone))

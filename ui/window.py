"""The counter's one window: a top bar (store, languages, sync state, manager), the current
screen, and a banner for news. It lays the screens out and shows what the session
(``CounterSession``, ui/session.py) decides: scans, the screens' buttons and their results
go to the session, which calls back through the ``CounterView`` methods here."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from devices.receipt import Receipt
from devices.scan import ScanEvent
from kiosk.members import Member
from kiosk.services import EnrolmentResult, MemberView
from kiosk.staff import StaffMember
from sync.status import SyncStatus
from ui import news
from ui.context import Product, ScreenContext
from ui.counter_view import Check, Words
from ui.i18n import LANGUAGES
from ui.messages import describe
from ui.screens.donate import DonateScreen
from ui.screens.enrol import CardScreen, EnrolScreen
from ui.screens.idle import IdleScreen
from ui.screens.manager import ManagerScreen
from ui.screens.member import MemberScreen
from ui.screens.redeem import RedeemScreen
from ui.screens.sale import SaleScreen
from ui.screens.staff_check import StaffCheckScreen
from ui.screens.transfer import TransferScreen
from ui.session import CounterSession
from ui.sync_badge import SyncBadge, describe_sync
from ui.widgets import Banner, ElidedLabel, Scrolling, button

DEFAULT_IDLE_MS = 90_000
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin}


def _demo_title(title: str) -> str:
    """A demo scan's title (from ``demo_scans``, in English) in the counter's language: a
    member's name as it is, a product's in the words around it."""
    product = title.removeprefix("Product: ")
    if product != title:
        return QCoreApplication.translate("DemoScans", "Product: {name}").format(name=product)
    return QCoreApplication.translate("DemoScans", title)


class CounterWindow(QMainWindow):
    """``screen_changed`` and ``message_shown`` let tests (and logs) follow the flow."""

    screen_changed = Signal(str)
    message_shown = Signal(str, str)  # text, kind
    member_shown = Signal(object)  # MemberView

    def __init__(self, counter: ScreenContext, *, idle_ms: int = DEFAULT_IDLE_MS,
                 simulated_scans: Sequence[tuple[str, str]] = (),
                 settings_page: QWidget | None = None,
                 sync_soon: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.counter = counter
        self.sync_status: SyncStatus | None = None
        self.setWindowTitle("Counterpoint")
        self.setMinimumSize(800, 480)  # a small counter panel: a taller screen scrolls
        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 8)
        root.setSpacing(0)  # the screens have margins: the banner's room comes from here
        self.setCentralWidget(central)

        bar = QWidget()
        bar.setObjectName("topbar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        top = QHBoxLayout(bar)
        self.store_label = ElidedLabel(counter.kiosk.device.store_name)
        top.addWidget(self.store_label, 1)
        self.language_buttons: dict[str, QPushButton] = {}
        for code, name in LANGUAGES.items():
            b = button(name, role="lang", clicked=partial(self.set_language, code))
            b.setCheckable(True)
            self.language_buttons[code] = b
            top.addWidget(b)
        self.sync_badge = SyncBadge()
        self.sync_badge.detail_requested.connect(self.open_sync_detail)
        top.addWidget(self.sync_badge)
        self.manager_button = button(clicked=self.open_manager)
        top.addWidget(self.manager_button)
        self.simulate_actions: list[QAction] = []
        self.simulate_button: QPushButton | None = None
        if simulated_scans:  # demo mode: a menu that plays the scanner
            menu = QMenu(self)
            for title, text in simulated_scans:
                action = menu.addAction(title)
                action.setData(title)  # the English title, said again on each switch
                action.triggered.connect(partial(self.handle_scan, text, "simulated"))
                self.simulate_actions.append(action)
            self.simulate_button = button()
            self.simulate_button.setMenu(menu)
            top.insertWidget(1, self.simulate_button)
        root.addWidget(bar)

        self.stack = QStackedWidget()
        self.scroll_area = Scrolling(self.stack)
        root.addWidget(self.scroll_area, 1)
        self.idle = IdleScreen(counter)
        self.member_screen = MemberScreen(counter)
        self.sale = SaleScreen(counter)
        self.redeem = RedeemScreen(counter)
        self.donate = DonateScreen(counter)
        self.transfer = TransferScreen(counter)
        self.enrol = EnrolScreen(counter)
        self.card = CardScreen(counter)
        self.manager = ManagerScreen(counter, settings_page)
        self.staff_check = StaffCheckScreen(counter)
        self.screens: dict[str, QWidget] = {
            "idle": self.idle, "member": self.member_screen, "sale": self.sale,
            "redeem": self.redeem, "donate": self.donate, "transfer": self.transfer,
            "enrol": self.enrol, "card": self.card, "manager": self.manager,
            "staff": self.staff_check}
        for screen in self.screens.values():
            self.stack.addWidget(screen)

        bottom = QHBoxLayout()
        bottom.setContentsMargins(12, 0, 12, 0)
        bottom.setSpacing(12)  # the banner clear of the cashier and receipt buttons
        self.banner = Banner()
        self.receipt_button = button()
        self.receipt_button.hide()
        bottom.addWidget(self.banner.slot, 1)  # the banner lies over its slot
        bottom.addWidget(self.receipt_button)
        root.addLayout(bottom)

        self.staff_button = button(role="staff")
        bottom.insertWidget(0, self.staff_button)  # the top bar has no room at 800 px

        self.session = CounterSession(counter, self, sync_soon)
        """The flow: what scans mean, the member on screen, what comes after each step."""
        self._wire()
        self.staff_button.clicked.connect(lambda *_: self.session.staff.take_over())
        self.receipt_button.clicked.connect(lambda *_: self.session.print_receipt())
        self.manager.on_duty = lambda: self.counter.kiosk.on_duty
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_ms)
        self.idle_timer.timeout.connect(lambda: self.session.left_alone())
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        self.show_screen("idle")
        self.retranslate()

    # -- wiring ----------------------------------------------------------------------------
    def _wire(self) -> None:
        """The screens' events go to the session, which decides what comes next."""
        s = self.session
        self.idle.enrol_requested.connect(s.start_enrolment)
        self.member_screen.sale_requested.connect(s.start_sale)
        self.member_screen.redeem_requested.connect(s.start_redemption)
        self.member_screen.donate_requested.connect(s.start_donation)
        self.member_screen.transfer_requested.connect(s.start_transfer)
        self.member_screen.done.connect(s.go_idle)
        self.sale.completed.connect(s.sale_done)
        self.sale.failed.connect(lambda exc: s.sale_refused(exc, self.sale.checkout))
        self.redeem.completed.connect(s.redeemed)
        self.donate.completed.connect(s.donated)
        self.transfer.completed.connect(s.transferred)
        self.enrol.completed.connect(s.enrolled)
        self.card.finished.connect(s.card_done)
        self.card.print_requested.connect(s.print_card)
        self.manager.refunded.connect(s.refunded)
        self.manager.adjusted.connect(s.adjusted)
        self.manager.reissued.connect(s.card_reissued)
        self.manager.closed.connect(s.manager_closed)
        self.manager.opened.connect(self._clear_error)
        self.manager.sync_requested.connect(lambda: s.after_change(None))
        self.manager.ledger_moved.connect(s.ledger_moved)
        self.manager.pin_changed.connect(s.pin_changed)
        for failing in (self.redeem, self.donate, self.transfer, self.enrol, self.manager,
                        self.staff_check):
            failing.failed.connect(self.show_error)
        for screen in (self.sale, self.redeem, self.donate, self.transfer):
            screen.cancelled.connect(partial(self.show_screen, "member"))
        self.enrol.cancelled.connect(s.go_idle)
        self.staff_check.passed.connect(s.staff.passed)
        self.staff_check.cancelled.connect(s.staff.cancelled)
        self.staff_check.not_needed.connect(s.staff.not_needed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.touch()
        return False

    def touch(self) -> None:
        """Someone is at the counter: push the idle reset back."""
        if self.current != "idle":
            self.idle_timer.start()

    # -- navigation ------------------------------------------------------------------------
    @property
    def current(self) -> str:
        widget = self.stack.currentWidget()
        return next(name for name, screen in self.screens.items() if screen is widget)

    def show_screen(self, name: str) -> None:
        for screen_name, screen in self.screens.items():  # only the shown page takes room
            policy = (QSizePolicy.Policy.Preferred if screen_name == name
                      else QSizePolicy.Policy.Ignored)
            screen.setSizePolicy(policy, policy)
        if self.stack.currentWidget() is not self.screens[name]:
            self._clear_error()  # an error belongs to the step that raised it
            for bar in (self.scroll_area.verticalScrollBar(),
                        self.scroll_area.horizontalScrollBar()):
                bar.setValue(0)  # a new screen starts at its top, on a small panel too
        self.stack.setCurrentWidget(self.screens[name])
        if name == "idle":
            self.idle_timer.stop()
        else:
            self.idle_timer.start()
        self.screen_changed.emit(name)

    def _clear_error(self) -> None:
        """A problem shown for a step goes with that step (news of what was done stays
        its few seconds): "Wrong PIN." after the right one, or "No printer is
        set up" on the next three screens, told the cashier something no longer true."""
        if self.banner.kind == "error":
            self.banner.clear_message()

    def open_manager(self) -> None:
        self.manager.start(self.session.member)
        self.manager.show_sync(self.sync_status)
        self.show_screen("manager")

    def refund_scanned(self, text: str) -> None:
        """A receipt's order code on the manager screen: the Refund tab picks its order
        (the manager is signed in: the screen is not on show otherwise)."""
        if not self.manager.unlocked:
            self.say(news.refund_at_the_manager_screen, "error")
            return
        self.manager.tabs.setCurrentWidget(self.manager.refund_tab)
        self.manager.refund_tab.scanned(text)

    def open_sync_detail(self) -> None:
        """Anyone may see the sync state in full; nothing here needs the manager."""
        status, zone = self.sync_status, self.counter.kiosk.program.zone
        self.say(lambda: describe_sync(status, detail=True, zone=zone))

    def set_language(self, code: str) -> None:
        self.counter.languages.switch(code)
        # apply the posted LanguageChange events now, so no frame shows two languages
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.retranslate()

    # -- the session's, under the names the app and the tests use --------------------------
    @property
    def member(self) -> MemberView | None:
        return self.session.member

    @property
    def card_payload(self) -> str | None:
        return self.session.card_payload

    def go_idle(self) -> None:
        self.session.go_idle()

    def offer_receipt(self, receipt: Callable[[], Receipt]) -> None:
        self.session.offer_receipt(receipt)

    def print_page(self, receipt: Receipt, done: Callable[[], str] | None = None) -> None:
        self.session.print_page(receipt, done)

    # -- scans -----------------------------------------------------------------------------
    @Slot(object)
    def on_scan(self, event: ScanEvent) -> None:
        """Every scanner's events arrive here, on the UI thread (queued from theirs)."""
        self.handle_scan(event.text, event.source)

    def handle_scan(self, text: str, source: str = "scanner") -> None:
        """Someone is at the counter; the session says what the scan means here."""
        self.touch()
        self.session.scan(text, source)

    # -- CounterView: what the session shows -----------------------------------------------
    def show_member(self, view: MemberView) -> None:
        self.member_screen.show_member(view)
        self.member_shown.emit(view)

    def clear_message(self) -> None:
        self.banner.clear_message()

    def show_receipt_button(self, shown: bool) -> None:
        self.receipt_button.setVisible(shown)

    def prepare_sale(self, member: MemberView) -> None:
        self.sale.start(member)

    def prepare_redemption(self, member: MemberView) -> None:
        self.redeem.start(member)

    def prepare_donation(self, member: MemberView) -> None:
        self.donate.start(member)

    def prepare_transfer(self, member: MemberView) -> None:
        self.transfer.start(member)

    def set_receiver(self, member: Member, masked_phone: str) -> None:
        self.transfer.set_receiver(member, masked_phone)

    def prepare_enrolment(self) -> None:
        self.enrol.start()

    def apply_coupon(self, coupon_id: uuid.UUID) -> None:
        self.sale.apply_coupon(coupon_id)

    def add_product(self, product: Product) -> None:
        self.sale.add_product(product)

    def basket(self) -> tuple[list[tuple[str, str]], int]:
        return self.sale.receipt_lines(), self.sale.total_minor()

    def set_referrer(self, member_id: uuid.UUID, name: str) -> None:
        self.enrol.set_referrer(member_id, name)

    def show_card(self, result: EnrolmentResult, png: bytes) -> None:
        self.card.show_card(result, png)

    def ask_staff(self, check: Check, *, managers_only: bool, chosen: StaffMember | None,
                  title: Words, prompt: Words, submit: Words) -> None:
        self.staff_check.start(check, managers_only=managers_only, chosen=chosen,
                               title=title, prompt=prompt, submit=submit)

    def show_cashier(self, text: str) -> None:
        self.staff_button.setText(text)

    # -- news ------------------------------------------------------------------------------
    def say(self, words: Callable[[], str], kind: str = "info") -> None:
        """A message made by ``words`` in the counter's language, made again in the new
        language when the cashier switches (issue 12, point 5)."""
        if kind == "error":
            self.show_error_text(words(), again=words)
        else:
            self.show_info(words(), again=words)

    def show_info(self, text: str, again: Callable[[], str] | None = None) -> None:
        self.banner.show_message(text, "info", again)
        self.message_shown.emit(text, "info")

    def show_error_text(self, text: str, again: Callable[[], str] | None = None) -> None:
        self.banner.show_message(text, "error", again)
        self.message_shown.emit(text, "error")

    def show_error(self, exc: BaseException) -> None:
        self.show_error_text(describe(exc), again=lambda: describe(exc, quiet=True))

    def show_sync_status(self, status: SyncStatus) -> None:
        self.sync_status = status
        self.sync_badge.show_status(status)
        if self.current == "manager":
            self.manager.show_sync(status)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for code, b in self.language_buttons.items():
            b.setChecked(code == self.counter.languages.current)
        self.manager_button.setText(self.tr("Manager"))
        self.show_cashier(self.session.staff.cashier())
        self.receipt_button.setText(self.tr("Print receipt"))
        self.banner.retranslate()
        if self.simulate_button is not None:
            self.simulate_button.setText(self.tr("Simulate a scan"))
        for action in self.simulate_actions:
            action.setText(_demo_title(str(action.data())))

    def closeEvent(self, event: Any) -> None:
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        super().closeEvent(event)

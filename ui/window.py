"""The counter's one window: a top bar (store, languages, sync state, manager), the current
screen, and a banner for news. It routes scans and moves between screens; the screens do
the work through services on worker threads."""

from __future__ import annotations

import logging
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

from devices.errors import PrinterUnavailable
from devices.receipt import Receipt
from devices.scan import ScanEvent
from kiosk.cards import PAYLOAD_PREFIX
from kiosk.services import (
    EnrolmentResult,
    MemberView,
    RedemptionResult,
    RefundResult,
    SaleResult,
    identify,
    member_view,
)
from kiosk.services.manager import AdjustmentResult
from sync.agent import SyncStatus
from ui.context import ScreenContext
from ui.i18n import LANGUAGES
from ui.messages import describe
from ui.receipts import card_slip, redemption_receipt, sale_receipt
from ui.screens.enrol import CardScreen, EnrolScreen
from ui.screens.idle import IdleScreen
from ui.screens.manager import ManagerScreen
from ui.screens.member import MemberScreen
from ui.screens.redeem import RedeemScreen
from ui.screens.sale import SaleScreen
from ui.screens.staff_check import StaffCheckScreen
from ui.sync_badge import SyncBadge, describe_sync
from ui.widgets import Banner, ElidedLabel, Scrolling, button

log = logging.getLogger(__name__)

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
        self.sync_soon = sync_soon
        """Asks the sync thread for a round now (None: not paired with a ledger)."""
        self.member: MemberView | None = None
        self.receipt: Callable[[], Receipt] | None = None
        """Makes the last flow's receipt, offered until the member changes."""
        self.card_payload: str | None = None
        """The card that opened the member on screen: its QR goes on their receipts."""
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
        self.enrol = EnrolScreen(counter)
        self.card = CardScreen(counter)
        self.manager = ManagerScreen(counter, settings_page)
        self.staff_check = StaffCheckScreen(counter)
        self.screens: dict[str, QWidget] = {
            "idle": self.idle, "member": self.member_screen, "sale": self.sale,
            "redeem": self.redeem, "enrol": self.enrol, "card": self.card,
            "manager": self.manager, "staff": self.staff_check}
        for screen in self.screens.values():
            self.stack.addWidget(screen)

        bottom = QHBoxLayout()
        bottom.setContentsMargins(12, 0, 12, 0)
        bottom.setSpacing(12)  # the banner clear of the cashier and receipt buttons
        self.banner = Banner()
        self.receipt_button = button(clicked=self.print_receipt)
        self.receipt_button.hide()
        bottom.addWidget(self.banner.slot, 1)  # the banner lies over its slot
        bottom.addWidget(self.receipt_button)
        root.addLayout(bottom)

        self._wire()
        from ui.staff_steps import StaffSteps  # imports this module's type for its hints

        self.staff = StaffSteps(self)
        bottom.insertWidget(0, self.staff.button)  # the top bar has no room at 800 px
        self.manager.on_duty = lambda: self.counter.kiosk.on_duty
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_ms)
        self.idle_timer.timeout.connect(self._left_alone)
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        self.show_screen("idle")
        self.retranslate()

    # -- wiring ----------------------------------------------------------------------------
    def _wire(self) -> None:
        self.idle.enrol_requested.connect(self.start_enrolment)
        self.member_screen.sale_requested.connect(self.start_sale)
        self.member_screen.redeem_requested.connect(self.start_redemption)
        self.member_screen.done.connect(self.go_idle)
        self.sale.completed.connect(self._sale_done)
        self.redeem.completed.connect(self._redeemed)
        self.enrol.completed.connect(self._enrolled)
        self.card.finished.connect(self._card_done)
        self.card.print_requested.connect(self.print_card)
        self.manager.refunded.connect(self._refunded)
        self.manager.adjusted.connect(self._adjusted)
        self.manager.closed.connect(self._manager_closed)
        self.manager.opened.connect(self._clear_error)
        self.manager.sync_requested.connect(lambda: self._after_change(None))
        self.manager.ledger_moved.connect(self._ledger_moved)
        self.manager.pin_changed.connect(
            lambda: self.say(lambda: self.tr("PIN changed. Use the new PIN from now on.")))
        for failing in (self.redeem, self.enrol, self.manager):  # the sale's: StaffSteps
            failing.failed.connect(self.show_error)
        for screen in (self.sale, self.redeem):
            screen.cancelled.connect(partial(self.show_screen, "member"))
        self.enrol.cancelled.connect(self.go_idle)

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

    def _left_alone(self) -> None:
        """Nobody at the counter: the attract screen, in the store's language again (a
        customer may have switched it for their own visit)."""
        self.go_idle()
        if self.counter.languages.current != self.counter.home_language:
            self.set_language(self.counter.home_language)

    def _clear_error(self) -> None:
        """A problem shown for a step goes with that step (news of what was done stays
        its few seconds): "Wrong PIN." after the right one, or "No printer is
        set up" on the next three screens, told the cashier something no longer true."""
        if self.banner.kind == "error":
            self.banner.clear_message()

    def go_idle(self) -> None:
        """Between customers: forget the member, lock the manager screen, clear news."""
        self.member = None
        self.card_payload = None
        self.receipt = None
        self.receipt_button.hide()
        self.banner.clear_message()
        self.show_screen("idle")
        self.staff.recheck()

    def show_member(self, view: MemberView) -> None:
        self.member = view
        self.member_screen.show_member(view)
        self.show_screen("member")
        self.member_shown.emit(view)

    def start_sale(self) -> None:
        """Each step that makes entries first asks who is at the counter, once."""
        self.staff.require(self._start_sale)

    def _start_sale(self) -> None:
        if self.member is not None:
            self.sale.start(self.member)
            self.show_screen("sale")

    def start_redemption(self) -> None:
        self.staff.require(self._start_redemption)

    def _start_redemption(self) -> None:
        if self.member is not None:
            self.redeem.start(self.member)
            self.show_screen("redeem")

    def start_enrolment(self) -> None:
        self.staff.require(self._start_enrolment)

    def _start_enrolment(self) -> None:
        self.member = None
        self.enrol.start()
        self.show_screen("enrol")

    def open_manager(self) -> None:
        self.manager.start(self.member)
        self.manager.show_sync(self.sync_status)
        self.show_screen("manager")

    def open_sync_detail(self) -> None:
        """Anyone may see the sync state in full; nothing here needs the manager."""
        status, zone = self.sync_status, self.counter.kiosk.program.zone
        self.say(lambda: describe_sync(status, detail=True, zone=zone))

    def _manager_closed(self) -> None:
        """Back to the member at once, their figures refreshed in place: a refresh that
        arrived later took the screen back from a manager who had opened it again."""
        if self.member is not None:
            self.show_screen("member")
            self.refresh_member(self.member.member.id, navigate=False)
        else:
            self.go_idle()

    def set_language(self, code: str) -> None:
        self.counter.languages.switch(code)
        # apply the posted LanguageChange events now, so no frame shows two languages
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.retranslate()

    # -- scans -----------------------------------------------------------------------------
    @Slot(object)
    def on_scan(self, event: ScanEvent) -> None:
        """Every scanner's events arrive here, on the UI thread (queued from theirs)."""
        self.handle_scan(event.text, event.source)

    def handle_scan(self, text: str, source: str = "scanner") -> None:
        """Any scanner's text. On the sale screen a product code goes into the basket; on
        the enrolment form a member card names the referrer; anywhere else a card opens its
        member. Nothing here parses the card: the service does, off the UI thread."""
        self.touch()
        text = text.strip()
        log.info("scan from %s (%d characters)", source, len(text))
        if not text:
            return
        if self.current == "sale":
            if product := self.counter.find_product(text):
                self.sale.add_product(product)
                return
            if not text.startswith(PAYLOAD_PREFIX):
                shown = "".join(ch for ch in text[:32] if ch.isprintable())
                self.say(lambda: self.tr("No product has the code {code}.").format(
                    code=shown), "error")
                return
        kiosk = self.counter.kiosk
        if self.current == "enrol":
            self.counter.tasks.run(lambda: identify(kiosk, text),
                                   lambda v: self.enrol.set_referrer(v.member.id,
                                                                     v.member.name),
                                   self.show_error)
            return
        if self.current == "staff" or (self.current in ("sale", "redeem", "card", "manager")
                                       and self.member):
            self.say(lambda: self.tr("Finish or cancel this step before scanning another "
                                     "card."), "error")
            return
        self.counter.tasks.run(lambda: identify(kiosk, text),
                               lambda view: self._identified(view, text), self.show_error)

    def _identified(self, view: MemberView, payload: str) -> None:
        self.banner.clear_message()
        self.receipt = None
        self.receipt_button.hide()
        self.card_payload = payload
        self.show_member(view)

    def refresh_member(self, member_id: Any, *, navigate: bool = True) -> None:
        kiosk = self.counter.kiosk
        self.counter.tasks.run(lambda: member_view(kiosk, member_id),
                               self.show_member if navigate else self._refreshed,
                               self.show_error)

    def _refreshed(self, view: MemberView) -> None:
        if self.member is not None and self.member.member.id == view.member.id:
            self.member = view
            self.member_screen.show_member(view)
            self.member_shown.emit(view)

    # -- results ---------------------------------------------------------------------------
    def _sale_done(self, result: SaleResult) -> None:
        if result.duplicate:
            self.say(lambda: self.tr("This sale was already recorded; nothing was added. "
                                     "Balance: {balance}").format(balance=result.balance))
        else:
            self.say(lambda: self.tr("+{points} points for order {order}. New balance: "
                                     "{balance}").format(points=result.points,
                                                         order=result.order_ref,
                                                         balance=result.balance))
        lines, total, payload = self.sale.receipt_lines(), self.sale.total_minor(), \
            self.card_payload
        self.offer_receipt(lambda: sale_receipt(self.counter, result, lines, total, payload))
        self._after_change(result.entries[0].member_id if result.entries else None)

    def _redeemed(self, result: RedemptionResult) -> None:
        def redeemed() -> str:
            how = (self.tr("authorised online") if result.authorised == "online"
                   else self.tr("taken offline under the store's limits"))
            return self.tr("{reward} redeemed ({how}). New balance: {balance}").format(
                reward=self.counter.name(result.reward.names), how=how,
                balance=result.balance)
        self.say(redeemed)
        tier = self.counter.name(self.member.progress.tier.names) if self.member else None
        payload = self.card_payload
        self.offer_receipt(lambda: redemption_receipt(self.counter, result, tier, payload))
        self._after_change(result.entry.member_id)

    def _enrolled(self, result: EnrolmentResult) -> None:
        self._after_change(None)
        # A 300 dpi card takes a while to draw: on a worker, like everything slow.
        from devices.card_image import card_png  # qrcode and Pillow: not at start-up

        card = result.card
        brand = self.counter.kiosk.device.store_name
        self.counter.tasks.run(lambda: card_png(card.payload, card.card_no, result.member.name,
                                                brand),
                               lambda png: self._show_card(result, png), self.show_error)

    def _show_card(self, result: EnrolmentResult, png: bytes) -> None:
        self.card.show_card(result, png)
        self.member = None
        self.show_screen("card")

    def _card_done(self) -> None:
        if self.card.result is not None:
            self.card_payload = self.card.result.card.payload
            self.refresh_member(self.card.result.member.id)

    def _refunded(self, result: RefundResult) -> None:
        self.say(lambda: self.tr("Order {order} refunded: {points} points. Balance: "
                                 "{balance}").format(order=result.order_ref,
                                                     points=result.points,
                                                     balance=result.balance))
        self._after_change(None)

    def _adjusted(self, result: AdjustmentResult) -> None:
        self.say(lambda: self.tr("Adjustment recorded: {points:+d} points. Balance: "
                                 "{balance}").format(points=result.entry.points,
                                                     balance=result.balance))
        self._after_change(None)

    def _ledger_moved(self, address: str) -> None:
        self.say(lambda: self.tr("Ledger address saved: {address}").format(address=address))
        self._after_change(None)

    def _after_change(self, member_id: Any) -> None:
        """A change is committed: let sync send it now, and show the member's new state."""
        if self.sync_soon is not None:
            self.sync_soon()
        if member_id is not None:
            self.refresh_member(member_id)

    # -- receipts and cards ----------------------------------------------------------------
    def offer_receipt(self, receipt: Callable[[], Receipt]) -> None:
        if self.counter.print_receipt is None:
            return
        self.receipt = receipt
        self.receipt_button.show()

    def print_receipt(self) -> None:
        printer, make = self.counter.print_receipt, self.receipt
        if printer is None or make is None:
            return
        self.print_page(make())  # in the language on screen now

    def print_page(self, receipt: Receipt, done: Callable[[], str] | None = None) -> None:
        """Print on a worker; say so (``done``, in the language on screen then) when it is
        done, or say what is wrong."""
        printer = self.counter.print_receipt
        if printer is None:
            self.show_error(PrinterUnavailable("No receipt printer is set up.",
                                               reason="not_set_up"))
            return
        said = done or (lambda: self.tr("Receipt printed."))
        self.counter.tasks.run(lambda: printer(receipt), lambda _: self.say(said),
                               self.show_error)

    def print_card(self) -> None:
        result, folder = self.card.result, self.counter.cards_dir
        if result is None:
            return
        if self.counter.print_receipt is None and folder is not None:
            # No printer: the card is saved as the PNG on screen, for printing elsewhere.
            from devices.card_image import save_card_png  # Pillow: not at start-up

            path = folder / f"{result.card.card_no}.png"
            png = self.card.png
            self.counter.tasks.run(
                lambda: save_card_png(path, png),
                lambda _: self.say(lambda: self.tr("No printer is set up: the card was "
                                                   "saved as {path}.").format(path=path)),
                self.show_error)
            return
        self.print_page(card_slip(self.counter, result), lambda: self.tr("Card printed."))

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
        self.staff.retranslate()
        self.receipt_button.setText(self.tr("Print receipt"))
        self.banner.retranslate()
        if self.simulate_button is not None:
            self.simulate_button.setText(self.tr("Simulate a scan"))
        for action in self.simulate_actions:
            action.setText(_demo_title(str(action.data())))

    def closeEvent(self, event: Any) -> None:
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        super().closeEvent(event)

"""The manager's refund tab: pick the order from this kiosk's recent sales (or type the
number off a receipt), pick how many of each of its lines come back, then confirm on the
tab itself before anything goes back: the page says the lines, the money to hand back and
the points, and "Yes, refund" does exactly that (issue 15, point 3).

Three pages, each in its own module: the order list (``refund_order_list``), the lines
(``refund_line_page``) and the question (``refund_question``). This holds the way through
them: which order is chosen, what is asked, and the services called on the way."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout

from kiosk.services import (
    MemberView,
    RecentOrder,
    RefundResult,
    find_order,
    order_to_refund,
    recent_orders,
    refund_lines,
    refund_order,
    scanned_order_ref,
)
from kiosk.services.errors import AlreadyRefunded, Refusal
from kiosk.services.refund_preview import (
    RefundPreview,
    everything_left,
    needs_picking,
    preview_refund,
)
from kiosk.services.refunds import OrderToRefund
from ui.context import ScreenContext
from ui.screens.refund_line_page import RefundLinePage
from ui.screens.refund_order_list import RefundOrderList
from ui.screens.refund_question import RefundQuestion
from ui.widgets import ServiceScreen

CHOOSE, PICK, CONFIRM = range(3)


class RefundTab(ServiceScreen):
    """``approver`` names the manager who unlocked the screen, for the ledger's note."""

    refunded = Signal(object)  # RefundResult

    def __init__(self, counter: ScreenContext, approver: Callable[[], str]) -> None:
        super().__init__(counter)
        self.approver = approver
        # the order on the lines and confirmation pages: (ref, as listed, its lines)
        self.chosen: tuple[str, RecentOrder | None, OrderToRefund | None] | None = None
        self.preview: RefundPreview | None = None  # None on the question: the whole order
        self.confirming = False
        self._loads = 0  # a list that arrives after a newer request is dropped
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self.choose = RefundOrderList(counter)
        self.choose.picked.connect(self._picked)
        self.choose.scanned.connect(self.scanned)
        self.choose.asked.connect(self._ask)
        self.lines_page = RefundLinePage(counter)
        self.lines_page.went_back.connect(self.back)
        self.lines_page.asked.connect(lambda: self._preview())
        self.question_page = RefundQuestion(counter, self.lines_page.item_name)
        self.question_page.confirmed.connect(self._refund)
        self.question_page.went_back.connect(self._unask)
        for page in (self.choose, self.lines_page, self.question_page):
            self.pages.addWidget(page)  # CHOOSE, PICK, CONFIRM
        # the pages' fields under the names the manager screen, the scanner and tests use
        o, k, q = self.choose, self.lines_page, self.question_page
        self.order_ref, self.refund_reason = o.order_ref, o.refund_reason
        self.refund_button, self.orders_list = o.refund_button, o.orders_list
        self.list_title, self.no_orders = o.list_title, o.no_orders
        self.picker, self.money = k.picker, k.money
        self.all_button, self.lines_button = k.all_button, k.lines_button
        self.question, self.details = q.question, q.details
        self.confirm_button, self.back_button = q.confirm_button, q.back_button
        self.failed.connect(lambda _: self.back())  # the error is told beside the list
        self.retranslate()

    # -- the list ------------------------------------------------------------------------
    def load(self, member: MemberView | None) -> None:
        """A fresh tab each time the manager screen opens: the member's orders when one is
        at the counter, else the kiosk's."""
        self.choose.member = member
        self.order_ref.clear()
        self.refund_reason.clear()
        self.back()
        self._reload()

    def _reload(self) -> None:
        self._loads += 1
        ticket, kiosk, member = self._loads, self.counter.kiosk, self.choose.member
        member_id = None if member is None else member.member.id
        self.counter.tasks.run(lambda: recent_orders(kiosk, member_id),
                               lambda orders: self._loaded(ticket, orders), self.failed.emit)

    def _loaded(self, ticket: int, orders: tuple[RecentOrder, ...]) -> None:
        if ticket == self._loads:
            self.choose.orders = orders
            self.retranslate()

    def _picked(self, ref: str) -> None:
        """A tap filled the number; a look at the order's lines says on its row whether
        some of it was refunded already."""
        kiosk = self.counter.kiosk
        self.counter.tasks.run(lambda: order_to_refund(kiosk, ref), self.choose.learned,
                               self.failed.emit)

    def scanned(self, text: str) -> None:
        """A receipt's order QR (``CPO1.…``), from a scanner or typed into the field by a
        keyboard-wedge one: its order number goes in the field, as a tap on the list
        would put it; another kiosk's receipt, or a damaged code, is said and changes
        nothing."""
        try:
            ref = scanned_order_ref(self.counter.kiosk, text.strip())
        except Refusal as exc:
            self.order_ref.clear()
            self.failed.emit(exc)
            return
        if self.pages.currentIndex() != CHOOSE:  # mid-way through another order: the
            self.chosen, self.preview = None, None  # scanned one replaces it, from the start
            self.lines_page.order = None
            self.back()
        self.order_ref.setText(ref)

    # -- picking, asking, then acting ------------------------------------------------------
    def _ask(self) -> None:
        ref = self.order_ref.text().strip()
        order = self.choose.listed(ref)
        if order is not None and order.refunded:
            self.failed.emit(AlreadyRefunded(f"order {ref!r} has already been refunded"))
            return
        kiosk = self.counter.kiosk  # a number typed off a receipt is looked up too
        self.call(lambda: (order or find_order(kiosk, ref), order_to_refund(kiosk, ref)),
                  lambda found: self._opened(ref, *found))

    def _opened(self, ref: str, order: RecentOrder | None, lines: OrderToRefund | None) -> None:
        """An old order without lines comes back whole (straight to the question); one
        with a choice to make shows its lines; one item left is the rest of it."""
        self.chosen, self.preview = (ref, order, lines), None
        if lines is None:
            self._confirm(None)
        elif not everything_left(lines):
            self.failed.emit(AlreadyRefunded(f"order {ref!r} has already been refunded"))
        elif needs_picking(lines):
            self.lines_page.show_order(lines)
            self.retranslate()
            self.pages.setCurrentIndex(PICK)
        else:
            self._preview(everything_left(lines))

    def _preview(self, picked: dict[int, int] | None = None) -> None:
        if self.chosen is None or self.chosen[2] is None:
            return
        kiosk, order = self.counter.kiosk, self.chosen[2]
        quantities = self.picker.picked() if picked is None else picked
        self.call(lambda: preview_refund(kiosk, order, quantities), self._confirm)

    def _confirm(self, preview: RefundPreview | None) -> None:
        self.preview, self.confirming = preview, True
        self.retranslate()
        self.pages.setCurrentIndex(CONFIRM)

    def _unask(self) -> None:
        """Back from the question: to the lines when they were picked, else to the list."""
        picked = self.chosen is not None and self.chosen[2] is not None \
            and needs_picking(self.chosen[2])
        self.confirming = False
        self.pages.setCurrentIndex(PICK if picked else CHOOSE)

    def back(self) -> None:
        self.confirming = False
        self.pages.setCurrentIndex(CHOOSE)

    def _refund(self) -> None:
        if not self.confirming or self.chosen is None:
            return
        ref, reason = self.chosen[0], self.refund_reason.text().strip() or None
        kiosk, approver, preview = self.counter.kiosk, self.approver(), self.preview
        if preview is None or preview.whole:
            self.call(lambda: refund_order(kiosk, ref, reason, approver), self._refunded)
        else:
            self.call(lambda: refund_lines(kiosk, ref, preview.lines, reason, approver),
                      self._refunded)

    def _refunded(self, result: RefundResult) -> None:
        self.choose.mark_refunded(result.order_ref, result.whole)
        self.order_ref.clear()
        self.refund_reason.clear()
        self.back()
        self.retranslate()
        self._reload()
        self.refunded.emit(result)

    # -- words -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        for page in (self.choose, self.lines_page, self.question_page):
            page.retranslate()
        if self.chosen is not None and self.chosen[2] is not None:
            self.lines_page.say(self.chosen[0], self.chosen[2])
        if self.confirming and self.chosen is not None:
            self.question_page.say(*self.chosen[:2], self.preview,
                                   self.refund_reason.text().strip())

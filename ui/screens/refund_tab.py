"""The manager's refund tab: pick the order from this kiosk's recent sales (or type the
number off a receipt), pick how many of each of its lines come back, then confirm on the
tab itself before anything goes back: the page says the lines, the money to hand back and
the points, and "Yes, refund" does exactly that (issue 15, point 3).

A touchscreen has no undo: the red button only asks, and a second, separate "Yes, refund"
acts. The confirmation's buttons sit where a double tap on Refund would land on Back.
What the page says is computed in ``kiosk.services.refund_preview``; this only wires it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine.order_codes import ORDER_PREFIX
from kiosk.engine.orders import KEYED_AMOUNT
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
    money_back,
    needs_picking,
    only_keyed_amount,
    preview_refund,
)
from kiosk.services.refunds import OrderToRefund
from ui.context import ScreenContext
from ui.line_picker import LinePicker
from ui.widgets import OnScreenKeyboard, ServiceScreen, button, label

REF_ROLE = Qt.ItemDataRole.UserRole
CHOOSE, PICK, CONFIRM = range(3)


class RefundTab(ServiceScreen):
    """``approver`` names the manager who unlocked the screen, for the ledger's note."""

    refunded = Signal(object)  # RefundResult

    def __init__(self, counter: ScreenContext, approver: Callable[[], str]) -> None:
        super().__init__(counter)
        self.approver = approver
        self.member: MemberView | None = None
        self.orders: tuple[RecentOrder, ...] = ()
        self.partly: set[str] = set()  # listed orders seen with some lines refunded
        # the order on the lines and confirmation pages: (ref, as listed, its lines)
        self.chosen: tuple[str, RecentOrder | None, OrderToRefund | None] | None = None
        self.preview: RefundPreview | None = None  # None on the question: the whole order
        self.confirming = False
        self._loads = 0  # a list that arrives after a newer request is dropped
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)

        # choosing: the list on the left, the typed number, reason and button on the right
        choose = QWidget()
        row = QHBoxLayout(choose)
        left, right = QVBoxLayout(), QVBoxLayout()
        self.list_title = label("", wrap=True)
        self.orders_list = QListWidget()
        self.orders_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a tap leaves the field's focus
        self.orders_list.setWordWrap(True)
        self.orders_list.setStyleSheet(
            "QListWidget::item { padding: 6px 4px; border-bottom: 1px solid #e0ddd6; }"
            "QListWidget::item:selected { background: #e2f3ec; color: #0b4d38; "
            "border-left: 6px solid #0b6e4f; }")
        self.orders_list.itemClicked.connect(self._picked)
        self.no_orders = label("", "subtle", wrap=True)
        left.addWidget(self.list_title)
        left.addWidget(self.orders_list, 1)
        left.addWidget(self.no_orders)
        self.order_ref = QLineEdit()
        self.order_ref.textChanged.connect(self._typed)
        self.order_ref.returnPressed.connect(self._entered)
        self.refund_reason = QLineEdit()
        form = QFormLayout()
        self.order_label, self.reason_label = label(), label()
        form.addRow(self.order_label, self.order_ref)
        form.addRow(self.reason_label, self.refund_reason)
        self.refund_button = button(role="danger", clicked=self._ask)
        self.refund_button.setEnabled(False)
        right.addLayout(form)
        right.addWidget(OnScreenKeyboard(), 1)
        right.addWidget(self.refund_button)
        row.addLayout(left, 4)
        row.addLayout(right, 5)
        self.pages.addWidget(choose)

        # picking the lines: a row per line, the money back, then on to the question
        pick = QWidget()
        k = QVBoxLayout(pick)
        self.pick_title = label("", wrap=True)
        self.pick_title.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.picker = LinePicker()
        self.picker.changed.connect(self._say_money)
        self.money = label("", wrap=True)
        self.money.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.lines_back = button(clicked=self.back)
        self.all_button = button(clicked=self._all_of_it)
        self.lines_button = button(role="danger", clicked=self._preview)
        steps = QHBoxLayout()
        for b in (self.lines_back, self.all_button, self.lines_button):
            b.setMinimumHeight(72)
            steps.addWidget(b, 1)  # Refund… where the question's Back will be
        k.addWidget(self.pick_title)
        k.addWidget(self.picker, 1)
        k.addWidget(self.money)
        k.addLayout(steps)
        self.pages.addWidget(pick)

        # confirming
        confirm = QWidget()
        c = QVBoxLayout(confirm)
        panel = QFrame()
        panel.setObjectName("refundQuestion")
        panel.setStyleSheet("#refundQuestion { background: white; border: 2px solid #b3261e;"
                            " border-radius: 10px; }")
        p = QVBoxLayout(panel)
        p.setContentsMargins(24, 20, 24, 20)
        self.question = label("", None, wrap=True)
        self.question.setStyleSheet("font-size: 28px; font-weight: bold;")
        self.details = label("", wrap=True)
        self.details.setStyleSheet("font-size: 24px; background: white;")
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        said = QScrollArea()  # a long order's lines scroll; the page keeps its size
        said.setFrameShape(QFrame.Shape.NoFrame)
        said.setWidgetResizable(True)
        said.setWidget(self.details)
        p.addWidget(self.question)
        p.addWidget(said, 1)
        self.confirm_button = button(role="danger", clicked=self._refund)
        self.back_button = button(clicked=self._unask)
        for b in (self.confirm_button, self.back_button):
            b.setMinimumHeight(72)
        answers = QHBoxLayout()
        answers.addWidget(self.confirm_button, 1)
        answers.addStretch(1)
        answers.addWidget(self.back_button, 1)  # where the Refund button was
        c.addWidget(panel, 1)  # all of the page: a scroll area's own size hint cut it short
        c.addSpacing(24)
        c.addLayout(answers)
        self.pages.addWidget(confirm)
        self.failed.connect(lambda _: self.back())  # the error is told beside the list
        self.retranslate()

    # -- the list ------------------------------------------------------------------------
    def load(self, member: MemberView | None) -> None:
        """A fresh tab each time the manager screen opens: the member's orders when one is
        at the counter, else the kiosk's."""
        self.member = member
        self.order_ref.clear()
        self.refund_reason.clear()
        self.back()
        self._reload()

    def _reload(self) -> None:
        self._loads += 1
        ticket, kiosk = self._loads, self.counter.kiosk
        member_id = None if self.member is None else self.member.member.id
        self.counter.tasks.run(lambda: recent_orders(kiosk, member_id),
                               lambda orders: self._loaded(ticket, orders), self.failed.emit)

    def _loaded(self, ticket: int, orders: tuple[RecentOrder, ...]) -> None:
        if ticket == self._loads:
            self.orders = orders
            self.retranslate()

    def _picked(self, item: QListWidgetItem) -> None:
        """A tap fills the number, and a look at the order's lines says on its row
        whether some of it was refunded already."""
        if item.flags() & Qt.ItemFlag.ItemIsSelectable:
            ref = str(item.data(REF_ROLE))
            self.order_ref.setText(ref)
            kiosk = self.counter.kiosk
            self.counter.tasks.run(lambda: order_to_refund(kiosk, ref), self._learned,
                                   self.failed.emit)

    def _learned(self, order: OrderToRefund | None) -> None:
        if order is not None and any(line.refunded for line in order.lines):
            self.partly.add(order.order_ref)
            for i in range(self.orders_list.count()):
                item, listed = self.orders_list.item(i), self.listed(order.order_ref)
                if item.data(REF_ROLE) == order.order_ref and listed is not None:
                    item.setText(self.describe(listed))

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
            self.back()
        self.order_ref.setText(ref)

    def _entered(self) -> None:
        if self.order_ref.text().strip().startswith(ORDER_PREFIX):
            self.scanned(self.order_ref.text())

    def _typed(self, text: str) -> None:
        """The field says which order: a tap on the list fills it, and typing another
        number lets go of the list's choice."""
        ref = text.strip()
        if ref.startswith(ORDER_PREFIX):
            # A wedge scanner typing a receipt's code, a key at a time: its Enter (or
            # the Refund button) puts the order's number in its place (_entered).
            ref = ""
        for i in range(self.orders_list.count()):
            item = self.orders_list.item(i)
            item.setSelected(item.data(REF_ROLE) == ref
                             and bool(item.flags() & Qt.ItemFlag.ItemIsSelectable))
        self.refund_button.setEnabled(bool(ref))

    def listed(self, ref: str) -> RecentOrder | None:
        return next((o for o in self.orders if o.order_ref == ref), None)

    # -- picking, asking, then acting ------------------------------------------------------
    def _ask(self) -> None:
        ref = self.order_ref.text().strip()
        order = self.listed(ref)
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
            self.picker.show_lines({line.index: line.left for line in lines.lines})
            self.retranslate()
            self.pages.setCurrentIndex(PICK)
        else:
            self._preview(everything_left(lines))

    def _all_of_it(self) -> None:
        if self.chosen is not None and self.chosen[2] is not None:
            self.picker.pick(everything_left(self.chosen[2]))

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
        if result.whole:
            self.orders = tuple(replace(o, refunded=True) if o.order_ref == result.order_ref
                                else o for o in self.orders)  # at once; the reload confirms it
        else:
            self.partly.add(result.order_ref)
        self.order_ref.clear()
        self.refund_reason.clear()
        self.back()
        self.retranslate()
        self._reload()
        self.refunded.emit(result)

    # -- words -----------------------------------------------------------------------------
    def describe(self, order: RecentOrder) -> str:
        c = self.counter
        when = order.when.astimezone(c.kiosk.program.zone).strftime("%m-%d %H:%M")
        first = "   ".join((when, c.money(order.amount_minor),
                            self.tr("{points} points").format(points=f"{order.points:+,}")))
        second = [order.order_ref]
        if order.member_name and self.member is None:
            second.append(order.member_name)
        if order.refunded:
            second.append(self.tr("Refunded"))
        elif order.order_ref in self.partly:
            second.append(self.tr("Partly refunded"))
        return f"{first}\n{'  ·  '.join(second)}"

    def item_name(self, code: str) -> str:
        if code == KEYED_AMOUNT:
            return self.tr("Amount keyed in")
        product = self.counter.find_product(code)
        return code if product is None else self.counter.name(product.names)

    def retranslate(self) -> None:
        self.list_title.setText(
            self.tr("Recent orders of {name} at this kiosk: tap one").format(
                name=self.member.member.name) if self.member is not None
            else self.tr("Recent orders at this kiosk: tap one"))
        self.no_orders.setText(self.tr("No sales to refund here. A receipt's order number "
                                       "can be typed instead."))
        self.no_orders.setVisible(not self.orders)
        self.order_label.setText(self.tr("Order number"))
        self.reason_label.setText(self.tr("Reason"))
        self.refund_button.setText(self.tr("Refund…"))
        self.lines_back.setText(self.tr("Back"))
        self.all_button.setText(self.tr("All of it"))
        self.lines_button.setText(self.tr("Refund…"))
        self.confirm_button.setText(self.tr("Yes, refund"))
        self.back_button.setText(self.tr("Back"))
        self._fill_list()
        if self.chosen is not None and self.chosen[2] is not None:
            self._say_lines(self.chosen[0], self.chosen[2])
        if self.confirming and self.chosen is not None:
            self._say_question(*self.chosen[:2])

    def _fill_list(self) -> None:
        chosen = self.order_ref.text().strip()
        self.orders_list.clear()
        for order in self.orders:
            item = QListWidgetItem(self.describe(order))
            item.setData(REF_ROLE, order.order_ref)
            if order.refunded:  # shown, so nobody looks for it, but never chosen
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setForeground(QColor("#8a877f"))
            self.orders_list.addItem(item)
            item.setSelected(order.order_ref == chosen and not order.refunded)

    def _say_lines(self, ref: str, order: OrderToRefund) -> None:
        self.pick_title.setText(self.tr("Order {order}: how many of each come back?").format(
            order=ref))
        for line in order.lines:
            if line.index not in self.picker.names:
                continue
            price = self.counter.money(line.unit_price_minor)
            self.picker.set_texts(line.index, self.item_name(line.code), (
                self.tr("{left} of {quantity} left · {price} each").format(
                    left=line.left, quantity=line.quantity, price=price) if line.left
                else self.tr("All {quantity} refunded").format(quantity=line.quantity)))
        self._say_money()

    def _say_money(self) -> None:
        order = None if self.chosen is None else self.chosen[2]
        picked = self.picker.picked()
        self.lines_button.setEnabled(bool(picked))
        self.money.setText(self.tr("Money to give back: {amount}").format(
            amount=self.counter.money(0 if order is None else money_back(order, picked))))

    def _say_question(self, ref: str, order: RecentOrder | None) -> None:
        c, preview = self.counter, self.preview
        name = "" if order is None else order.member_name
        lines = []
        if preview is not None and preview.whole and not preview.untouched:
            question = (self.tr("Refund the rest of order {order} for {name}?") if name
                        else self.tr("Refund the rest of order {order}?"))
        elif preview is not None and not preview.whole:
            question = (self.tr("Refund part of order {order} for {name}?") if name
                        else self.tr("Refund part of order {order}?"))
        elif order is None:  # typed, and no sale of this kiosk has that number
            question = self.tr("Refund order {order}?")
        else:
            question = (self.tr("Refund order {order} of {amount} for {name}?") if name
                        else self.tr("Refund order {order} of {amount}?"))
        amount = "" if order is None else c.money(order.amount_minor)
        self.question.setText(question.format(order=ref, amount=amount, name=name))
        if preview is not None:
            if not only_keyed_amount(preview.order):
                codes = {line.index: line.code for line in preview.order.lines}
                lines += [f"{r.quantity} × {self.item_name(codes[r.line])}"  # noqa: RUF001
                          for r in preview.lines]
            lines.append(self.tr("Money to give back: {amount}").format(
                amount=c.money(preview.money_back_minor)))
        points = (-preview.points if preview is not None  # what comes back off the member
                  else None if order is None else order.points)
        lines.append(
            self.tr("Every point the order moved goes back.") if points is None
            else self.tr("The member's points don't change") if points == 0
            else self.tr("Takes {points} points back from the member").format(
                points=f"{points:,}") if points > 0
            else self.tr("Gives {points} points back to the member").format(
                points=f"{-points:,}"))
        when = order.when if order is not None else preview.order.when if preview else None
        if when is not None:
            lines.append(self.tr("Rung up {when}").format(
                when=when.astimezone(c.kiosk.program.zone).strftime("%Y-%m-%d %H:%M")))
        if reason := self.refund_reason.text().strip():
            lines.append(self.tr("Reason: {reason}").format(reason=reason))
        self.details.setText("\n".join(lines))

"""The refund tab's first page: this kiosk's recent sales to pick the order from (the
member's when one is at the counter), or its number typed or scanned off a receipt, the
reason, and the red button that only asks. A refunded order stays listed, greyed out so
nobody looks for it, but can't be chosen; one seen with some of its lines back says so.
The tab does the asking (``ui.screens.refund_tab``); this holds the list and the field."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine.order_codes import ORDER_PREFIX
from kiosk.services import MemberView, RecentOrder
from kiosk.services.refunds import OrderToRefund
from ui.context import ScreenContext
from ui.widgets import OnScreenKeyboard, button, label

REF_ROLE = Qt.ItemDataRole.UserRole


class RefundOrderList(QWidget):
    """The list on the left; the typed number, reason, keyboard and button on the right."""

    picked = Signal(str)  # a row tapped: its order number is in the field now
    scanned = Signal(str)  # Enter after a wedge scanner typed a receipt's code in the field
    asked = Signal()  # the red "Refund…"

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__()
        self.counter = counter
        self.member: MemberView | None = None  # whose orders, when one is at the counter
        self.orders: tuple[RecentOrder, ...] = ()
        self.partly: set[str] = set()  # listed orders seen with some lines refunded
        row = QHBoxLayout(self)
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
        self.refund_button = button(role="danger", clicked=self.asked.emit)
        self.refund_button.setEnabled(False)
        right.addLayout(form)
        right.addWidget(OnScreenKeyboard(), 1)
        right.addWidget(self.refund_button)
        row.addLayout(left, 4)
        row.addLayout(right, 5)

    def listed(self, ref: str) -> RecentOrder | None:
        return next((o for o in self.orders if o.order_ref == ref), None)

    def learned(self, order: OrderToRefund | None) -> None:
        """A look at a tapped order's lines: its row says whether some of it was refunded
        already."""
        if order is not None and any(line.refunded for line in order.lines):
            self.partly.add(order.order_ref)
            for i in range(self.orders_list.count()):
                item, listed = self.orders_list.item(i), self.listed(order.order_ref)
                if item.data(REF_ROLE) == order.order_ref and listed is not None:
                    item.setText(self.describe(listed))

    def mark_refunded(self, ref: str, whole: bool) -> None:
        """Said at once after a refund; the reload that follows confirms it."""
        if whole:
            self.orders = tuple(replace(o, refunded=True) if o.order_ref == ref else o
                                for o in self.orders)
        else:
            self.partly.add(ref)

    def _picked(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsSelectable:
            ref = str(item.data(REF_ROLE))
            self.order_ref.setText(ref)
            self.picked.emit(ref)

    def _entered(self) -> None:
        if self.order_ref.text().strip().startswith(ORDER_PREFIX):
            self.scanned.emit(self.order_ref.text())

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
        self._fill_list()

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

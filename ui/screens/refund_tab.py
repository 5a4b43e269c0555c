"""The manager's refund tab: pick the order from this kiosk's recent sales (or type the
number off a receipt), then confirm on the tab itself before the points go back.

A touchscreen has no undo: the red button only asks, and a second, separate "Yes, refund"
acts. The confirmation's buttons sit where a double tap on Refund would land on Back."""

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
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.services import (
    MemberView,
    RecentOrder,
    RefundResult,
    find_order,
    recent_orders,
    refund_order,
)
from kiosk.services.errors import AlreadyRefunded
from ui.context import ScreenContext
from ui.widgets import OnScreenKeyboard, ServiceScreen, button, label

REF_ROLE = Qt.ItemDataRole.UserRole


class RefundTab(ServiceScreen):
    """``approver`` names the manager who unlocked the screen, for the ledger's note."""

    refunded = Signal(object)  # RefundResult

    def __init__(self, counter: ScreenContext, approver: Callable[[], str]) -> None:
        super().__init__(counter)
        self.approver = approver
        self.member: MemberView | None = None
        self.orders: tuple[RecentOrder, ...] = ()
        self.confirming: tuple[str, RecentOrder | None] | None = None  # (order ref, as listed)
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
        self.details.setStyleSheet("font-size: 24px;")
        p.addWidget(self.question)
        p.addWidget(self.details)
        self.confirm_button = button(role="danger", clicked=self._refund)
        self.back_button = button(clicked=self.back)
        for b in (self.confirm_button, self.back_button):
            b.setMinimumHeight(72)
        answers = QHBoxLayout()
        answers.addWidget(self.confirm_button, 1)
        answers.addStretch(1)
        answers.addWidget(self.back_button, 1)  # where the Refund button was
        c.addStretch(1)
        c.addWidget(panel)
        c.addStretch(2)
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
        if item.flags() & Qt.ItemFlag.ItemIsSelectable:
            self.order_ref.setText(str(item.data(REF_ROLE)))

    def _typed(self, text: str) -> None:
        """The field says which order: a tap on the list fills it, and typing another
        number lets go of the list's choice."""
        ref = text.strip()
        for i in range(self.orders_list.count()):
            item = self.orders_list.item(i)
            item.setSelected(item.data(REF_ROLE) == ref
                             and bool(item.flags() & Qt.ItemFlag.ItemIsSelectable))
        self.refund_button.setEnabled(bool(ref))

    def listed(self, ref: str) -> RecentOrder | None:
        return next((o for o in self.orders if o.order_ref == ref), None)

    # -- asking, then acting ---------------------------------------------------------------
    def _ask(self) -> None:
        ref = self.order_ref.text().strip()
        order = self.listed(ref)
        if order is not None:
            self._confirm(ref, order)
            return
        kiosk = self.counter.kiosk  # a number typed off a receipt: look it up first
        self.call(lambda: find_order(kiosk, ref), lambda found: self._confirm(ref, found))

    def _confirm(self, ref: str, order: RecentOrder | None) -> None:
        if order is not None and order.refunded:
            self.failed.emit(AlreadyRefunded(f"order {ref!r} has already been refunded"))
            return
        self.confirming = (ref, order)
        self.retranslate()
        self.pages.setCurrentIndex(1)

    def back(self) -> None:
        self.confirming = None
        self.pages.setCurrentIndex(0)

    def _refund(self) -> None:
        if self.confirming is None:
            return
        ref, reason = self.confirming[0], self.refund_reason.text().strip()
        kiosk, approver = self.counter.kiosk, self.approver()
        self.call(lambda: refund_order(kiosk, ref, reason or None, approver), self._refunded)

    def _refunded(self, result: RefundResult) -> None:
        self.orders = tuple(replace(o, refunded=True) if o.order_ref == result.order_ref
                            else o for o in self.orders)  # at once; the reload confirms it
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
        self.confirm_button.setText(self.tr("Yes, refund"))
        self.back_button.setText(self.tr("Back"))
        self._fill_list()
        if self.confirming is not None:
            self._say_question(*self.confirming)

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

    def _say_question(self, ref: str, order: RecentOrder | None) -> None:
        c = self.counter
        lines = []
        if order is None:  # typed, and no sale of this kiosk has that number
            self.question.setText(self.tr("Refund order {order}?").format(order=ref))
            lines.append(self.tr("Every point the order moved goes back."))
        else:
            self.question.setText(
                (self.tr("Refund order {order} of {amount} for {name}?") if order.member_name
                 else self.tr("Refund order {order} of {amount}?")).format(
                    order=ref, amount=c.money(order.amount_minor), name=order.member_name))
            points = f"{abs(order.points):,}"
            lines.append(self.tr("Takes {points} points back from the member").format(
                points=points) if order.points >= 0
                else self.tr("Gives {points} points back to the member").format(points=points))
            when = order.when.astimezone(c.kiosk.program.zone).strftime("%Y-%m-%d %H:%M")
            lines.append(self.tr("Rung up {when}").format(when=when))
        if reason := self.refund_reason.text().strip():
            lines.append(self.tr("Reason: {reason}").format(reason=reason))
        self.details.setText("\n".join(lines))

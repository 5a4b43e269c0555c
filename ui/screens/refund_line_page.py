"""The refund tab's lines page: a row per line of the chosen order with what is left of it,
large minus and plus to pick how many come back (``ui.line_picker``), the money that
hands back, then on to the question. Its "Refund…" sits where the question's Back will
be, so a double tap can't answer the question it opens."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.engine.orders import KEYED_AMOUNT
from kiosk.services.refund_preview import everything_left, money_back
from kiosk.services.refunds import OrderToRefund
from ui.context import ScreenContext
from ui.line_picker import LinePicker
from ui.widgets import button, label


class RefundLinePage(QWidget):
    asked = Signal()  # "Refund…": the lines picked, on to the question
    went_back = Signal()

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__()
        self.counter = counter
        self.order: OrderToRefund | None = None
        k = QVBoxLayout(self)
        self.pick_title = label("", wrap=True)
        self.pick_title.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.picker = LinePicker()
        self.picker.changed.connect(self.say_money)
        self.money = label("", wrap=True)
        self.money.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.lines_back = button(clicked=self.went_back.emit)
        self.all_button = button(clicked=self._all_of_it)
        self.lines_button = button(role="danger", clicked=self.asked.emit)
        steps = QHBoxLayout()
        for b in (self.lines_back, self.all_button, self.lines_button):
            b.setMinimumHeight(72)
            steps.addWidget(b, 1)  # Refund… where the question's Back will be
        k.addWidget(self.pick_title)
        k.addWidget(self.picker, 1)
        k.addWidget(self.money)
        k.addLayout(steps)

    def show_order(self, order: OrderToRefund) -> None:
        """A row for each line, every count at 0."""
        self.order = order
        self.picker.show_lines({line.index: line.left for line in order.lines})

    def _all_of_it(self) -> None:
        if self.order is not None:
            self.picker.pick(everything_left(self.order))

    # -- words -----------------------------------------------------------------------------
    def item_name(self, code: str) -> str:
        """A line's product as the catalogue names it in the counter's language (the
        question says the lines with it too)."""
        if code == KEYED_AMOUNT:
            return self.tr("Amount keyed in")
        product = self.counter.find_product(code)
        return code if product is None else self.counter.name(product.names)

    def retranslate(self) -> None:
        self.lines_back.setText(self.tr("Back"))
        self.all_button.setText(self.tr("All of it"))
        self.lines_button.setText(self.tr("Refund…"))

    def say(self, ref: str, order: OrderToRefund) -> None:
        self.order = order
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
        self.say_money()

    def say_money(self) -> None:
        picked = self.picker.picked()
        self.lines_button.setEnabled(bool(picked))
        self.money.setText(self.tr("Money to give back: {amount}").format(
            amount=self.counter.money(0 if self.order is None
                                      else money_back(self.order, picked))))

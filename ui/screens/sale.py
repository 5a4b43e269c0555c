"""Ringing up a sale: an amount on the keypad and/or scanned products in a basket, a live
points preview, and a confirmation shown only once the entry is durably committed."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QVBoxLayout

from devices.receipt import CAPTIONS
from kiosk.engine.orders import KEYED_AMOUNT
from kiosk.money import to_minor
from kiosk.services import MemberView, Sale, SaleLine, SalePreview, preview_sale, ring_up_sale
from ui.context import Product, ScreenContext
from ui.widgets import Keypad, ServiceScreen, button, label

MAX_DIGITS = 9


@dataclass
class _Line:
    product: Product
    quantity: int


class SaleScreen(ServiceScreen):
    completed = Signal(object)  # SaleResult
    cancelled = Signal()

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__(counter)
        self.member: MemberView | None = None
        self.digits = ""
        self.basket: list[_Line] = []
        self.order_ref = ""
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.title = label("", "title")
        self.amount_label = label("")
        self.amount = label("", "huge")
        self.clear_amount = button(clicked=self._clear)
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount, 1)
        amount_row.addWidget(self.clear_amount)
        self.basket_title = label("")
        self.basket_list = QListWidget()
        self.basket_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.basket_list.currentRowChanged.connect(lambda _: self._enable())
        self.remove_item = button(clicked=self._remove)
        self.total = label("", "title")
        self.preview = label("", "subtle", wrap=True)  # promotions and bonuses named
        self.cards_preview = label("", "subtle", wrap=True)  # stamps and coupons it gives
        left.addWidget(self.title)
        left.addWidget(self.amount_label)
        left.addLayout(amount_row)
        left.addWidget(self.basket_title)
        left.addWidget(self.basket_list, 1)
        left.addWidget(self.remove_item)
        left.addWidget(self.total)
        left.addWidget(self.preview)
        left.addWidget(self.cards_preview)
        right = QVBoxLayout()
        self.keypad = Keypad()
        self.keypad.typed.connect(self._typed)
        self.keypad.erased.connect(self._erase)
        right.addWidget(self.keypad, 1)
        self.confirm = button(role="primary", clicked=self._confirm)
        self.cancel = button(clicked=self.cancelled.emit)
        right.addWidget(self.confirm)
        right.addWidget(self.cancel)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.retranslate()

    def start(self, member: MemberView) -> None:
        """A new sale for ``member``; its order number is made now, once, so a retry after
        an error can never ring the same sale up twice."""
        self.member = member
        self.digits, self.basket = "", []
        self.order_ref = f"S-{self.counter.kiosk.new_id().hex[:16]}"
        self.retranslate()

    def add_product(self, product: Product) -> None:
        for line in self.basket:
            if line.product.code == product.code:
                line.quantity += 1
                break
        else:
            self.basket.append(_Line(product, 1))
        self._refresh()

    # -- amounts -------------------------------------------------------------------------
    def _typed(self, key: str) -> None:
        if len(self.digits + key) <= MAX_DIGITS and (self.digits or key.strip("0")):
            self.digits += key
            self._refresh()

    def _erase(self) -> None:
        self.digits = self.digits[:-1]
        self._refresh()

    def _clear(self) -> None:
        self.digits = ""
        self._refresh()

    def _remove(self) -> None:
        """One of the picked line's items out of the basket (a mis-scan, a change of
        mind); the line goes when its last item does."""
        row = self.basket_list.currentRow()
        if not 0 <= row < len(self.basket):
            return
        line = self.basket[row]
        line.quantity -= 1
        if line.quantity == 0:
            del self.basket[row]
        self._refresh()
        if self.basket:
            self.basket_list.setCurrentRow(min(row, len(self.basket) - 1))

    def keyed_minor(self) -> int:
        """The keypad's amount: digits are whole currency units, as on a till."""
        return to_minor(self.digits or "0", self.counter.kiosk.program.minor_units)

    def total_minor(self) -> int:
        return self.keyed_minor() + sum(line.product.price_minor * line.quantity
                                        for line in self.basket)

    def sale_preview(self) -> SalePreview:
        """What confirming would earn now, promotions included (the engine's own answer)."""
        if self.member is None:
            return SalePreview(0, ())
        return preview_sale(self.counter.kiosk, self.sale())

    def preview_points(self) -> int:
        return self.sale_preview().points

    def preview_text(self, preview: SalePreview | None = None) -> str:
        preview = preview or self.sale_preview()
        text = self.tr("Earns {n} points").format(n=preview.points)
        words = CAPTIONS[self.counter.languages.current]
        names = [self.counter.name(p.names) for p in preview.promotions]
        names += [words.get(bonus, bonus) for bonus in preview.bonuses]
        return " · ".join([text, *names])

    def cards_text(self, preview: SalePreview) -> str:
        """The punch cards' stamps and the coupons the sale would give, on a line of their
        own (with the points' line they wrapped past the screen's foot)."""
        program = self.counter.kiosk.program
        cards = {c.id: c for c in program.punch_cards}
        names = [self.tr("{card} +{n}").format(card=self.counter.name(cards[card].names), n=n)
                 for card, n in preview.stamps if card in cards]
        rules = {r.id: r for r in program.coupons}
        names += [self.tr("Coupon: {coupon}").format(coupon=self.counter.name(rules[rule].names))
                  for rule in preview.coupons if rule in rules]
        return " · ".join(names)

    def basket_lines(self) -> list[tuple[str, str]]:
        """The products in the basket as (label, amount text)."""
        c = self.counter
        return [(f"{line.quantity} × {c.name(line.product.names)}",  # noqa: RUF001
                 c.money(line.product.price_minor * line.quantity)) for line in self.basket]

    def receipt_lines(self) -> list[tuple[str, str]]:
        """What the receipt lists: the basket, then an amount keyed in on the keypad."""
        lines = self.basket_lines()
        if self.keyed_minor():
            language = self.counter.languages.current
            lines.append((CAPTIONS[language]["amount"], self.counter.money(self.keyed_minor())))
        return lines

    def _refresh(self) -> None:
        c = self.counter
        self.amount.setText(c.money(self.keyed_minor()))
        self.basket_list.clear()
        for text, amount in self.basket_lines():
            self.basket_list.addItem(f"{text}   {amount}")
        self.total.setText(self.tr("Total {amount}").format(amount=c.money(self.total_minor())))
        preview = self.sale_preview()  # one look at the store for both lines
        self.preview.setText(self.preview_text(preview))
        cards = self.cards_text(preview)
        self.cards_preview.setText(cards)
        self.cards_preview.setVisible(bool(cards))
        # A wrapped label in nested layouts isn't given its second line by itself: ask
        # for the height its text needs at its width (the basket list gives way).
        self.preview.setMinimumHeight(self.preview.heightForWidth(max(self.preview.width(),
                                                                      200)))
        self._enable()

    def _enable(self) -> None:
        self.confirm.setEnabled(self.total_minor() > 0)
        self.clear_amount.setEnabled(bool(self.digits))
        self.remove_item.setEnabled(0 <= self.basket_list.currentRow() < len(self.basket))

    # -- confirm -------------------------------------------------------------------------
    def sale(self) -> Sale:
        assert self.member is not None
        lines = [SaleLine(line.product.code, line.quantity, line.product.price_minor,
                          line.product.category) for line in self.basket]
        if self.keyed_minor():
            lines.append(SaleLine(KEYED_AMOUNT, 1, self.keyed_minor()))
        return Sale.of_basket(self.member.member.id, tuple(lines), self.order_ref)

    def _confirm(self) -> None:
        sale, kiosk = self.sale(), self.counter.kiosk
        self.call(lambda: ring_up_sale(kiosk, sale), self.completed.emit)

    def retranslate(self) -> None:
        member = self.member.member if self.member is not None else None
        self.title.setText(self.tr("New sale for {name}").format(name=member.name)
                           if member is not None and not member.profile_pending
                           else self.tr("New sale"))
        self.amount_label.setText(self.tr("Amount keyed in (added to the scanned items)"))
        self.clear_amount.setText(self.tr("Clear amount"))
        self.basket_title.setText(self.tr("Scanned items (tap one to remove it)"))
        self.remove_item.setText(self.tr("Remove one of this item"))
        self.confirm.setText(self.tr("Confirm sale"))
        self.cancel.setText(self.tr("Cancel"))
        self._refresh()

"""The member's checkout: an amount on the keypad and/or scanned products in a basket, what
loyalty pays for it (a reward, a coupon, points as money: ``LoyaltyPanel``), the amount to
pay and a live points preview, and a confirmation shown only once the order is durably
committed (``kiosk.services.checkout``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QVBoxLayout

from devices.receipt import CAPTIONS
from kiosk.engine.checkout import REWARD_LINE, Priced
from kiosk.engine.orders import KEYED_AMOUNT
from kiosk.money import to_minor
from kiosk.services import (
    MemberView,
    Refusal,
    Sale,
    SaleLine,
    SalePreview,
    new_order_ref,
    preview_sale,
)
from kiosk.services.checkout import (
    Checkout,
    FoundCoupon,
    check_out,
    find_coupon,
    quote_checkout,
)
from ui.context import Product, ScreenContext
from ui.messages import describe
from ui.screens.loyalty_panel import LoyaltyPanel
from ui.widgets import Keypad, ServiceScreen, button, label

MAX_DIGITS = 9


@dataclass
class _Line:
    product: Product
    quantity: int


class SaleScreen(ServiceScreen):
    completed = Signal(object)  # CheckoutResult
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
        self.loyalty = LoyaltyPanel(counter)
        self.loyalty.changed.connect(self._refresh)
        self.problem = label("", "error", wrap=True)  # a coupon or points it can't take
        self.priced: Priced | None = None
        self.found: dict[uuid.UUID, FoundCoupon] = {}  # coupons looked up for this sale
        self.refused: dict[uuid.UUID, BaseException] = {}
        self.looking: set[uuid.UUID] = set()
        self.preview = label("", "subtle", wrap=True)  # promotions and bonuses named
        self.cards_preview = label("", "subtle", wrap=True)  # stamps and coupons it gives
        left.addWidget(self.title)
        left.addWidget(self.amount_label)
        left.addLayout(amount_row)
        left.addWidget(self.basket_title)
        left.addWidget(self.basket_list, 1)
        left.addWidget(self.remove_item)
        left.addWidget(self.total)
        left.addWidget(self.loyalty)
        left.addWidget(self.problem)
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
        self.order_ref = new_order_ref(self.counter.kiosk)
        self.found, self.refused, self.looking = {}, {}, set()
        self.loyalty.start(member)
        self.retranslate()

    def apply_coupon(self, coupon_id: uuid.UUID) -> None:
        """A coupon's QR scanned at the sale screen: it pays for this sale if it can."""
        self.loyalty.add_coupon(coupon_id)

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
        """What confirming would earn now, on the amount left to pay, promotions included
        (the engine's own answer)."""
        if self.member is None or not self.total_minor():
            return SalePreview(0, ())
        sale = self.sale()
        if self.priced is not None:
            sale = replace(sale, lines=self.priced.lines, loyalty=self.priced.loyalty)
        return preview_sale(self.counter.kiosk, sale)

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

    def _price(self) -> None:
        """What loyalty takes off the basket now, and the most points that may pay (the
        program's share of what is left, the member's points less the reward's cost);
        a choice it can't take is said, and Confirm waits until it is changed."""
        self.priced, problem = None, ""
        coupon_id = self.loyalty.coupon_id()
        if coupon_id is not None and coupon_id not in self.found:
            problem = self._look_up(coupon_id)  # once, off the UI thread: it may be online
        if self.member is None or not self.total_minor():
            self.loyalty.set_limit(0)
        elif not problem:
            kiosk, checkout = self.counter.kiosk, self.checkout()
            found = None if coupon_id is None else self.found[coupon_id]
            try:
                base = quote_checkout(kiosk, replace(checkout, points=0), found)
                cost = base.priced.points_cost
                self.loyalty.set_limit(min(base.max_points,
                                           self.loyalty.spendable() - cost))
                self.priced = (quote_checkout(kiosk, self.checkout(), found).priced
                               if self.loyalty.points else base.priced)
            except Refusal as exc:
                problem = describe(exc, quiet=True)
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        priced, c = self.priced, self.counter
        total = c.money(self.total_minor())
        if priced is not None and priced.discounts:
            self.total.setText(self.tr("To pay {amount} (of {total})").format(
                amount=c.money(priced.net_minor), total=total))
        else:
            self.total.setText(self.tr("Total {amount}").format(amount=total))
        self.problem.setMinimumHeight(  # its second line, asked for
            max(0, self.problem.heightForWidth(max(self.problem.width(), 200))))

    def _look_up(self, coupon_id: uuid.UUID) -> str:
        """Start looking the chosen coupon up (this kiosk's store, else the ledger), if not
        under way or refused already; what the screen says meanwhile."""
        refused = self.refused.get(coupon_id)
        if refused is not None:
            return describe(refused, quiet=True)
        member = self.member
        if member is not None and coupon_id in {c.id_for(member.member.id)
                                                for c in member.coupons}:
            try:  # one the member screen listed: this kiosk's own, a read of its store
                self.found[coupon_id] = find_coupon(self.counter.kiosk, member.member.id,
                                                    coupon_id)
            except Refusal as exc:
                self.refused[coupon_id] = exc
                return describe(exc, quiet=True)
            return ""
        if coupon_id not in self.looking and self.member is not None:
            self.looking.add(coupon_id)
            kiosk, member_id = self.counter.kiosk, self.member.member.id

            def found(result: FoundCoupon) -> None:
                self.looking.discard(coupon_id)
                self.found[coupon_id] = result
                self._refresh()

            def failed(exc: BaseException) -> None:
                self.looking.discard(coupon_id)
                self.refused[coupon_id] = exc
                self._refresh()
            self.counter.tasks.run(lambda: find_coupon(kiosk, member_id, coupon_id), found,
                                   failed)
        return self.tr("Checking the coupon…")

    def loyalty_lines(self) -> list[tuple[str, str]]:
        """What loyalty puts on the bill, below the basket: a free item at zero and each
        discount, as (label, amount text)."""
        priced, c = self.priced, self.counter
        if priced is None:
            return []
        free = [(self._discount_name(f"reward:{line.code.removeprefix(REWARD_LINE)}"),
                 c.money(0)) for line in priced.lines if line.code.startswith(REWARD_LINE)]
        return free + [(self._discount_name(d.source),
                        "−" + c.money(d.amount_minor))  # noqa: RUF001
                       for d in priced.discounts]

    def _discount_name(self, source: str) -> str:
        kind, _, name = source.partition(":")
        program, c = self.counter.kiosk.program, self.counter
        if kind == "reward" and (reward := program.reward(name)) is not None:
            return c.name(reward.names)
        rule = next((r for r in program.coupons if r.id == name), None)
        if kind == "coupon" and rule is not None:
            return c.name(rule.names)
        return self.tr("{n} points").format(n=f"{self.loyalty.points:,}")

    def _refresh(self) -> None:
        c = self.counter
        self.amount.setText(c.money(self.keyed_minor()))
        self._price()
        self.basket_list.clear()
        for text, amount in self.basket_lines() + self.loyalty_lines():
            self.basket_list.addItem(f"{text}   {amount}")
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
        self.confirm.setEnabled(self.total_minor() > 0 and not self.problem.text())
        self.clear_amount.setEnabled(bool(self.digits))
        self.remove_item.setEnabled(0 <= self.basket_list.currentRow() < len(self.basket))
        self.remove_item.setVisible(bool(self.basket))

    # -- confirm -------------------------------------------------------------------------
    def sale(self) -> Sale:
        assert self.member is not None
        lines = [SaleLine(line.product.code, line.quantity, line.product.price_minor,
                          line.product.category) for line in self.basket]
        if self.keyed_minor():
            lines.append(SaleLine(KEYED_AMOUNT, 1, self.keyed_minor()))
        return Sale.of_basket(self.member.member.id, tuple(lines), self.order_ref)

    def checkout(self) -> Checkout:
        """The visit as the cashier has it on screen: the basket and what loyalty pays."""
        sale = self.sale()
        assert sale.member_id is not None
        return Checkout(sale.member_id, sale.lines, self.loyalty.reward_id(),
                        self.loyalty.coupon_id(), self.loyalty.points, self.order_ref)

    def _confirm(self) -> None:
        checkout, kiosk = self.checkout(), self.counter.kiosk  # looked up again: it may have
        # been used elsewhere since
        self.call(lambda: check_out(kiosk, checkout), self.completed.emit)

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
        self.loyalty.retranslate()
        self._refresh()

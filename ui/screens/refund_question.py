"""The refund tab's question, asked on the tab itself before anything goes back: the
order, the lines, the money to hand back and the points, and "Yes, refund" does exactly
that (issue 15, point 3). A touchscreen has no undo: the red button before it only asks,
and this second, separate one acts. Its Back sits where the Refund button was, so a
double tap on Refund lands on Back. What it says is computed in
``kiosk.services.refund_preview``; this only words it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.services import RecentOrder
from kiosk.services.refund_preview import RefundPreview, only_keyed_amount
from ui.context import ScreenContext
from ui.widgets import button, label


class RefundQuestion(QWidget):
    """``item_name`` names a line's product as the lines page does."""

    confirmed = Signal()  # "Yes, refund"
    went_back = Signal()

    def __init__(self, counter: ScreenContext, item_name: Callable[[str], str]) -> None:
        super().__init__()
        self.counter = counter
        self.item_name = item_name
        c = QVBoxLayout(self)
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
        self.confirm_button = button(role="danger", clicked=self.confirmed.emit)
        self.back_button = button(clicked=self.went_back.emit)
        for b in (self.confirm_button, self.back_button):
            b.setMinimumHeight(72)
        answers = QHBoxLayout()
        answers.addWidget(self.confirm_button, 1)
        answers.addStretch(1)
        answers.addWidget(self.back_button, 1)  # where the Refund button was
        c.addWidget(panel, 1)  # all of the page: a scroll area's own size hint cut it short
        c.addSpacing(24)
        c.addLayout(answers)

    def retranslate(self) -> None:
        self.confirm_button.setText(self.tr("Yes, refund"))
        self.back_button.setText(self.tr("Back"))

    def say(self, ref: str, order: RecentOrder | None, preview: RefundPreview | None,
            reason: str) -> None:
        """The question about order ``ref``: as listed (None: typed, and no sale of this
        kiosk has that number), with the lines picked (None: the whole order)."""
        c = self.counter
        name = "" if order is None else order.member_name
        lines = []
        if preview is not None and preview.whole and not preview.untouched:
            question = (self.tr("Refund the rest of order {order} for {name}?") if name
                        else self.tr("Refund the rest of order {order}?"))
        elif preview is not None and not preview.whole:
            question = (self.tr("Refund part of order {order} for {name}?") if name
                        else self.tr("Refund part of order {order}?"))
        elif order is None:
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
        if reason:
            lines.append(self.tr("Reason: {reason}").format(reason=reason))
        self.details.setText("\n".join(lines))

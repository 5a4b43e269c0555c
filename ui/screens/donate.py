"""Giving points to a cause (issue 15): the program's causes as large buttons, the points
picked with large minus and plus (from the cause's minimum to what the member can spend
now, kiosk.services.donation_choice), and a button that says exactly what it will do.
``donate`` runs on a worker: online the ledger holds the points first, which takes a
moment."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.engine.donations import Cause
from kiosk.services import MemberView, member_view
from kiosk.services.donation_choice import DonationRange, available_points, donation_range
from kiosk.services.donations import DonationResult, donate
from kiosk.services.errors import Refusal
from ui.context import ScreenContext
from ui.widgets import ServiceScreen, Stepper, button, label, reveal

CAUSE_PX = 96  # a cause's button: two lines of large type


class DonateScreen(ServiceScreen):
    completed = Signal(object)  # DonationResult
    cancelled = Signal()

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__(counter)
        self._fresh: MemberView | None = None  # the member read again after a refusal
        self.failed.connect(self._caught_up)  # first: the window says it after this
        self.member: MemberView | None = None
        self.chosen: Cause | None = None
        self.range: DonationRange | None = None
        self.points = 0
        self.cause_buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        self.title = label("", "title")
        self.available = label("", "subtle")
        layout.addWidget(self.title)
        layout.addWidget(self.available)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 8, 0, 8)
        for column in (0, 1):  # one cause takes half the width, not a wall of green
            self.grid.setColumnStretch(column, 1)
        layout.addWidget(self.grid_host)
        layout.addStretch(1)
        amount = Stepper(self._step, 220)
        self.minus, self.amount, self.plus = amount.minus, amount.amount, amount.plus
        layout.addLayout(amount)
        self.question = label("", wrap=True)
        layout.addWidget(self.question)
        actions = QHBoxLayout()
        self.confirm = button(role="primary", clicked=self._confirm)
        self.cancel = button(clicked=self._cancel)
        actions.addWidget(self.confirm, 1)
        actions.addWidget(self.cancel)
        layout.addLayout(actions)
        self.retranslate()

    def start(self, member: MemberView) -> None:
        self.member, self.chosen, self.range, self._fresh = member, None, None, None
        self._build()
        self.retranslate()

    def _build(self) -> None:
        for b in self.cause_buttons.values():
            b.deleteLater()
        self.cause_buttons = {}
        for i, cause in enumerate(self.counter.kiosk.program.causes):
            b = button(clicked=partial(self.choose, cause))
            self.cause_buttons[cause.id] = b
            self.grid.addWidget(b, i // 2, i % 2)

    def _available(self) -> int:
        return 0 if self.member is None else available_points(self.member)

    def choose(self, cause: Cause) -> None:
        self.chosen = cause
        self.range = donation_range(cause, self._available())
        self.points = self.range.low
        self.retranslate()
        reveal(self.confirm)

    def _step(self, direction: int) -> None:
        if self.range is not None:
            self.points = self.range.moved(self.points, direction)
            self.retranslate()

    def _confirm(self) -> None:
        assert self.member is not None and self.chosen is not None
        kiosk, member_id = self.counter.kiosk, self.member.member.id
        cause_id, points = self.chosen.id, self.points

        def give() -> DonationResult:
            try:
                return donate(kiosk, member_id, cause_id, points)
            except Refusal:
                # Points spent elsewhere meanwhile (another store's, pulled by a sync):
                # read the member again, so the screen stops offering what they lack.
                self._fresh = member_view(kiosk, member_id)
                raise
        self.call(give, self._given)

    def _caught_up(self, _refusal: object) -> None:
        """After a refusal, the member as the store has them now: the range and the
        amount on offer follow (the refusal itself is said by the window)."""
        fresh, self._fresh = self._fresh, None
        if fresh is None:
            return
        self.member = fresh
        if self.chosen is not None:
            self.range = donation_range(self.chosen, self._available())
            self.points = self.range.clamp(self.points)
        self.retranslate()

    def _given(self, result: object) -> None:
        self.chosen, self.range = None, None  # given once: a second tap gives nothing more
        self.retranslate()
        self.completed.emit(result)

    def _cancel(self) -> None:
        if self.chosen is not None:
            self.chosen, self.range = None, None
            self.retranslate()
        else:
            self.cancelled.emit()

    def retranslate(self) -> None:
        c = self.counter
        self.title.setText(self.tr("Give points to a cause"))
        self.cancel.setText(self.tr("Back"))
        available = self._available()
        self.available.setText(self.tr("Available: {n} points").format(n=available))
        for cause in c.kiosk.program.causes:
            b = self.cause_buttons.get(cause.id)
            if b is None:
                continue
            b.setText(self.tr("{cause}\nfrom {n} points").format(cause=c.name(cause.names),
                                                               n=cause.min_points))
            b.setEnabled(donation_range(cause, available).possible)
            b.setProperty("role", "primary" if self.chosen is cause else None)
            b.style().unpolish(b)
            b.style().polish(b)
            b.setMinimumHeight(CAUSE_PX)  # after the polish: the style's min-height is less
        r, chosen = self.range, self.chosen
        ready = chosen is not None and r is not None and r.possible
        self.amount.setText(self.tr("{n} points").format(n=self.points) if ready else "")
        self.minus.setEnabled(r is not None and ready and self.points > r.low)
        self.plus.setEnabled(r is not None and ready and self.points < r.high)
        if chosen is None or r is None:
            self.question.setText(self.tr("Choose a cause, then how many points to give."))
            self.confirm.setText(self.tr("Give points"))
        else:
            self.question.setText(self.tr("From {low} to {high} points: tap − or + to "  # noqa: RUF001
                                          "change how many.").format(low=r.low, high=r.high))
            self.confirm.setText(self.tr("Give {n} points to {cause}").format(
                n=self.points, cause=c.name(chosen.names)))
        self.confirm.setEnabled(ready)

"""Giving points to another member (issue 15, a family pool): the member at the counter
gives, the cashier names who receives (their card scanned, or their phone number typed on
the keypad and found), the points are picked with large minus and plus (from the
program's transfer minimum to its maximum or what the giver has,
kiosk.services.transfer_choice), and a button that says exactly what it will do runs
``transfer`` on a worker. Online only: the ledger holds the giver's points and writes both
sides, so an unreachable ledger is said as such and nothing changes; when the ledger was
asked and no answer came, the points may have moved: the offer stays on screen and
tapping it again finishes that transfer once (its id is kept, kiosk.services.transfers)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout

from kiosk.members import Member
from kiosk.presenters import short_phone
from kiosk.services import MemberView, member_view
from kiosk.services.errors import Refusal, Unreachable
from kiosk.services.lost_cards import MemberMatch, find_members
from kiosk.services.transfer_choice import PointsRange, available_points, transfer_range
from kiosk.services.transfers import (
    TransferResult,
    TransfersOffline,
    TransferUnsure,
    transfer,
    unanswered,
)
from ui.context import ScreenContext
from ui.widgets import Keypad, ServiceScreen, Stepper, button, label, reveal

MAX_MATCHES = 3  # members sharing one phone number, shown as buttons to pick from


class TransferScreen(ServiceScreen):
    completed = Signal(object, str)  # TransferResult, the receiver's name as shown
    cancelled = Signal()

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__(counter)
        self._fresh: MemberView | None = None  # the member read again after a refusal
        self._unsure = False  # a transfer went unanswered: the giver's points not known
        self.failed.connect(self._caught_up)  # first: the window says it after this
        self.member: MemberView | None = None  # the giver
        self.receiver: tuple[Member, str] | None = None  # and their masked phone
        self.matches: list[MemberMatch] = []
        self.problem: str | None = None  # "self" or "none_found", said until the next step
        self.range: PointsRange | None = None
        self.points = 0
        layout = QVBoxLayout(self)
        self.title = label("", "title")
        layout.addWidget(self.title)
        columns = QHBoxLayout()
        find = QVBoxLayout()  # left: who receives, by phone
        self.prompt = label("", wrap=True)
        self.phone = QLineEdit()
        self.phone.returnPressed.connect(self._find)
        self.keypad = Keypad(double_zero=False)
        self.keypad.typed.connect(self.phone.insert)
        self.keypad.erased.connect(self.phone.backspace)
        self.keypad.cleared.connect(self.phone.clear)
        self.search = button(clicked=self._find)
        find.addWidget(self.prompt)
        typed = QHBoxLayout()
        typed.addWidget(self.phone, 1)
        typed.addWidget(self.search)
        find.addLayout(typed)
        find.addWidget(self.keypad, 1)
        columns.addLayout(find, 2)
        right = QVBoxLayout()  # right: who was found, and how many points
        self.available = label("", "subtle")
        right.addWidget(self.available)
        self.receiver_name = label("", "title", wrap=True)
        self.receiver_phone = label("", "subtle")
        right.addWidget(self.receiver_name)
        right.addWidget(self.receiver_phone)
        self.match_buttons: list[QPushButton] = []
        for i in range(MAX_MATCHES):
            b = button(clicked=partial(self._pick, i))
            b.hide()
            self.match_buttons.append(b)
            right.addWidget(b)
        right.addStretch(1)
        amount = Stepper(self._step, 180)
        self.minus, self.amount, self.plus = amount.minus, amount.amount, amount.plus
        right.addLayout(amount)
        self.question = label("", wrap=True)
        self.question.setMinimumHeight(3 * self.question.fontMetrics().height())  # holds still
        right.addWidget(self.question)
        columns.addLayout(right, 3)
        layout.addLayout(columns, 1)
        actions = QHBoxLayout()
        self.confirm = button(role="primary", clicked=self._confirm)
        self.cancel = button(clicked=self.cancelled.emit)
        actions.addWidget(self.confirm, 1)
        actions.addWidget(self.cancel)
        layout.addLayout(actions)
        self.retranslate()

    def start(self, member: MemberView) -> None:
        self.member, self.receiver, self.range, self._fresh = member, None, None, None
        self.matches, self.problem = [], None
        self._unsure = unanswered(self.counter.kiosk, member.member.id)
        self.phone.clear()
        self.retranslate()

    def _available(self) -> int:
        return 0 if self.member is None else available_points(self.member)

    # -- who receives ----------------------------------------------------------------------
    def _find(self) -> None:
        kiosk, text = self.counter.kiosk, self.phone.text()
        if text.strip():
            self.call(lambda: find_members(kiosk, text), self._found)

    def _found(self, matches: list[MemberMatch]) -> None:
        self.matches = matches[:MAX_MATCHES]
        self.problem = None if matches else "none_found"
        if len(matches) == 1:
            self._pick(0)
        else:
            self.receiver, self.range = None, None
            self.retranslate()

    def _pick(self, index: int) -> None:
        match = self.matches[index]
        self.set_receiver(match.member, match.masked_phone)

    def set_receiver(self, member: Member, masked_phone: str) -> None:
        """The member who receives: scanned (the session's scan on this screen) or found.
        The giver is refused here, before anything is asked of the ledger."""
        if self.member is not None and member.id == self.member.member.id:
            self.receiver, self.range, self.problem = None, None, "self"
        else:
            policy = self.counter.kiosk.program.transfers
            self.receiver, self.problem = (member, masked_phone), None
            self.range = None if policy is None else transfer_range(policy, self._available())
            self.points = 0 if self.range is None else self.range.low
        self.retranslate()
        if self.confirm.isEnabled():
            reveal(self.confirm)

    # -- how many, and done ----------------------------------------------------------------
    def _step(self, direction: int) -> None:
        if self.range is not None:
            self.points = self.range.moved(self.points, direction)
            self.retranslate()

    def _confirm(self) -> None:
        assert self.member is not None and self.receiver is not None
        kiosk, giver, receiver = self.counter.kiosk, self.member.member.id, self.receiver[0].id
        points, name = self.points, self._name(self.receiver[0])

        def give() -> TransferResult:
            try:
                return transfer(kiosk, giver, receiver, points)
            except TransferUnsure:
                # No answer: the points may have moved. Not "nothing was changed": said as
                # the ledger out of reach; the offer stays, and tapping it again asks under
                # the same id (kiosk.services.transfers), so it is made once.
                raise
            except Unreachable as exc:  # said as a transfer's trouble, not a sync's
                raise TransfersOffline(f"the ledger can't be reached: {exc}") from exc
            except Refusal:
                # Points spent elsewhere meanwhile, or a program with other limits: read
                # the giver again, so the screen stops offering what they can't give.
                self._fresh = member_view(kiosk, giver)
                raise
        self.call(give, lambda result: self._given(result, name))

    def _caught_up(self, _refusal: object) -> None:
        """After a refusal, the giver as the store has them now, under the program in
        force: the range and the amount on offer follow (the window says the refusal).
        After no answer, what the giver has is not known here until a retry is answered
        (the ledger may have moved the points): the screen says so, not the old figure,
        until that transfer is answered (``unanswered``), whatever failed since."""
        if self.member is not None:
            self._unsure = unanswered(self.counter.kiosk, self.member.member.id)
        fresh, self._fresh = self._fresh, None
        if fresh is None:
            self.retranslate()
            return
        self.member = fresh
        policy = self.counter.kiosk.program.transfers
        if self.receiver is not None:
            self.range = None if policy is None else transfer_range(policy, self._available())
            if self.range is not None:
                self.points = self.range.clamp(self.points)
        self.retranslate()

    def _given(self, result: TransferResult, name: str) -> None:
        assert self.member is not None
        self._unsure = unanswered(self.counter.kiosk, self.member.member.id)
        self.receiver, self.range = None, None  # given once: a second tap gives nothing more
        self.retranslate()
        self.completed.emit(result, name)

    def _name(self, member: Member) -> str:
        return (self.tr("Member from another store") if member.profile_pending or not
                member.name else member.name)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Give points to another member"))
        self.available.setText(
            self.tr("Available: not known until the transfer is tapped again")
            if self._unsure else
            self.tr("Available: {n} points").format(n=self._available()))
        self.prompt.setText(self.tr("Scan their card, or find them by phone:"))
        self.phone.setPlaceholderText(self.tr("Phone number"))
        self.search.setText(self.tr("Find by phone"))
        self.cancel.setText(self.tr("Back"))
        for i, b in enumerate(self.match_buttons):
            shown = i < len(self.matches) and len(self.matches) > 1
            if shown:
                m = self.matches[i]
                b.setText(self.tr("{name} ({phone})").format(
                    name=self._name(m.member), phone=short_phone(m.masked_phone)))
                chosen = self.receiver is not None and self.receiver[0].id == m.member.id
                b.setProperty("role", "primary" if chosen else None)
                b.style().unpolish(b)
                b.style().polish(b)
            b.setVisible(shown)
        receiver, r = self.receiver, self.range
        self.receiver_name.setText("" if receiver is None else self.tr("To: {name}").format(
            name=self._name(receiver[0])))
        self.receiver_phone.setText("" if receiver is None else short_phone(receiver[1]))
        ready = receiver is not None and r is not None and r.possible
        self.amount.setText(self.tr("{n} points").format(n=self.points) if ready else "")
        self.minus.setEnabled(r is not None and ready and self.points > r.low)
        self.plus.setEnabled(r is not None and ready and self.points < r.high)
        self.question.setText(self._question())
        if receiver is None or not ready:
            self.confirm.setText(self.tr("Give points"))
        else:
            self.confirm.setText(self.tr("Give {n} points to {name}").format(
                n=self.points, name=self._name(receiver[0])))
        self.confirm.setEnabled(ready)

    def _question(self) -> str:
        """What to do next, or why not: in one place that holds still."""
        r = self.range
        if self.problem == "self":
            return self.tr("The member giving the points can't receive them: scan or find "
                           "another member.")
        if self.problem == "none_found":
            return self.tr("No member here has this phone number or card number.")
        if self.receiver is None and len(self.matches) > 1:
            return self.tr("Several members have this phone number: tap the one who "
                           "receives the points.")
        if self.receiver is None or r is None:
            return self.tr("First who receives the points, then how many.")
        if not r.possible:
            return self.tr("Too few points available: one transfer is at least {n} "
                           "points.").format(n=r.low)
        return self.tr("From {low} to {high} points: tap − or + to change how "  # noqa: RUF001
                       "many.").format(low=r.low, high=r.high)

"""Redeeming a reward: the catalogue with what the member can afford, a confirmation, and
whether the ledger authorised it online or the offline floor limits allowed it."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.program import Reward
from kiosk.services import MemberView, redeem
from ui.context import ScreenContext
from ui.widgets import ServiceScreen, button, label


class RedeemScreen(ServiceScreen):
    completed = Signal(object)  # RedemptionResult
    cancelled = Signal()

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__(counter)
        self.member: MemberView | None = None
        self.chosen: Reward | None = None
        self.reward_buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        self.title = label("", "title")
        self.balance = label("", "subtle")
        layout.addWidget(self.title)
        layout.addWidget(self.balance)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        layout.addWidget(self.grid_host, 1)
        self.question = label("", wrap=True)
        layout.addWidget(self.question)
        actions = QHBoxLayout()
        self.confirm = button(role="primary", clicked=self._confirm)
        self.cancel = button(clicked=self._cancel)
        actions.addWidget(self.confirm)
        actions.addWidget(self.cancel)
        layout.addLayout(actions)
        self.retranslate()

    def start(self, member: MemberView) -> None:
        self.member, self.chosen = member, None
        self._build()
        self.retranslate()

    def _build(self) -> None:
        for b in self.reward_buttons.values():
            b.deleteLater()
        self.reward_buttons = {}
        for i, reward in enumerate(self.counter.kiosk.program.counter_rewards):
            b = button(clicked=partial(self.choose, reward))
            b.setMinimumHeight(96)
            self.reward_buttons[reward.id] = b
            self.grid.addWidget(b, i // 2, i % 2)

    def choose(self, reward: Reward) -> None:
        self.chosen = reward
        self.retranslate()

    def _confirm(self) -> None:
        assert self.member is not None and self.chosen is not None
        kiosk, member_id, reward_id = self.counter.kiosk, self.member.member.id, self.chosen.id
        self.call(lambda: redeem(kiosk, member_id, reward_id), self.completed.emit)

    def _cancel(self) -> None:
        if self.chosen is not None:
            self.chosen = None
            self.retranslate()
        else:
            self.cancelled.emit()

    def retranslate(self) -> None:
        c = self.counter
        self.title.setText(self.tr("Redeem a reward"))
        self.cancel.setText(self.tr("Back"))
        self.confirm.setText(self.tr("Confirm"))
        balance = self.member.balance if self.member else 0
        self.balance.setText(self.tr("Balance: {n} points").format(n=balance))
        for reward in c.kiosk.program.counter_rewards:
            b = self.reward_buttons.get(reward.id)
            if b is None:
                continue
            b.setText(self.tr("{reward}\n{cost} points").format(reward=c.name(reward.names),
                                                                cost=reward.cost))
            b.setEnabled(reward.cost <= balance)
            b.setProperty("role", "primary" if self.chosen is reward else None)
            b.style().unpolish(b)
            b.style().polish(b)
        if self.chosen is None:
            self.question.setText(self.tr("Choose a reward the member can afford."))
        else:
            self.question.setText(self.tr("Redeem {reward} for {cost} points?").format(
                reward=c.name(self.chosen.names), cost=self.chosen.cost))
        self.confirm.setEnabled(self.chosen is not None)

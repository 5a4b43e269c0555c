"""What loyalty pays on the sale screen (issue 15): a reward, a coupon, points as money.

A row of touch-sized controls under the basket: the rewards the member can afford and the
coupons they hold, as pickers, and the points to pay with, in the program's steps between
none and the limit the sale screen works out (the program's share of the bill, the
member's available points less the reward's cost). It holds the choices and nothing else:
the sale screen prices them (``kiosk.services.checkout``).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.services import MemberView
from ui.context import ScreenContext
from ui.widgets import button, label

TOUCH_HEIGHT = 48


class LoyaltyPanel(QWidget):
    changed = Signal()

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__()
        self.counter = counter
        self.member: MemberView | None = None
        self.points = 0
        self.limit = 0
        self._coupons: list[tuple[uuid.UUID, str]] = []  # (coupon id, rule id)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        pickers = QHBoxLayout()
        self.reward = QComboBox()
        self.coupon = QComboBox()
        for combo in (self.reward, self.coupon):
            combo.setMinimumHeight(TOUCH_HEIGHT)
            combo.setMinimumContentsLength(8)
            combo.currentIndexChanged.connect(lambda _: self.changed.emit())
            pickers.addWidget(combo, 1)
        points = QHBoxLayout()
        self.points_title = label("")
        self.fewer = button("−", clicked=lambda: self._step(-1))  # noqa: RUF001
        self.points_label = label("")
        self.points_label.setMinimumWidth(120)
        self.more = button("+", clicked=lambda: self._step(1))
        self.most = button(clicked=self._use_most)
        self.points_row = [self.points_title, self.fewer, self.points_label, self.more,
                           self.most]
        for w in self.points_row:
            points.addWidget(w)
        points.addStretch(1)
        rows.addLayout(pickers)
        rows.addLayout(points)
        self.retranslate()

    # -- the member's choices ------------------------------------------------------------
    def start(self, member: MemberView) -> None:
        """Nothing chosen, the member's rewards and coupons offered."""
        self.member, self.points, self.limit = member, 0, 0
        self._coupons = [(c.id_for(member.member.id), c.rule) for c in member.coupons]
        for combo in (self.reward, self.coupon):  # the last sale's choices are not kept
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.retranslate()

    def add_coupon(self, coupon_id: uuid.UUID) -> None:
        """A coupon scanned at the sale screen (its QR), chosen at once."""
        known = [cid for cid, _ in self._coupons]
        if coupon_id not in known:
            self._coupons.append((coupon_id, ""))
            self.retranslate()
            known.append(coupon_id)
        self.coupon.setCurrentIndex(known.index(coupon_id) + 1)

    def reward_id(self) -> str | None:
        data = self.reward.currentData()
        return data if isinstance(data, str) else None

    def coupon_id(self) -> uuid.UUID | None:
        data = self.coupon.currentData()
        return data if isinstance(data, uuid.UUID) else None

    def clear_coupon(self) -> None:
        self.coupon.setCurrentIndex(0)

    def spendable(self) -> int:
        """The member's points a checkout may spend here (available now, not pending)."""
        m = self.member
        if m is None:
            return 0
        return max(0, m.points.available if m.points is not None else m.balance)

    def set_limit(self, most: int) -> None:
        """The most points that may pay now; the points chosen come down to it."""
        policy = self.counter.kiosk.program.points_as_money
        step = policy.step if policy is not None else 1
        self.limit = max(0, most) // step * step
        self.points = min(self.points, self.limit)
        self._show_points()

    def _step(self, direction: int) -> None:
        policy = self.counter.kiosk.program.points_as_money
        if policy is None:
            return
        self.points = max(0, min(self.limit, self.points + direction * policy.step))
        self._show_points()
        self.changed.emit()

    def _use_most(self) -> None:
        self.points = self.limit
        self._show_points()
        self.changed.emit()

    def _show_points(self) -> None:
        on = self.counter.kiosk.program.points_as_money is not None
        for w in self.points_row:
            w.setVisible(on)
        self.points_label.setText(self.tr("{n} points").format(n=f"{self.points:,}"))
        self.fewer.setEnabled(self.points > 0)
        self.more.setEnabled(self.points < self.limit)
        self.most.setEnabled(self.points < self.limit)

    def retranslate(self) -> None:
        c, program = self.counter, self.counter.kiosk.program
        chosen_reward, chosen_coupon = self.reward_id(), self.coupon_id()
        spendable = self.spendable()
        for combo in (self.reward, self.coupon):
            combo.blockSignals(True)
            combo.clear()
        self.reward.addItem(self.tr("No reward"), None)
        for reward in program.counter_rewards:
            if reward.cost <= spendable:
                self.reward.addItem(self.tr("{reward} ({cost} points)").format(
                    reward=c.name(reward.names), cost=f"{reward.cost:,}"), reward.id)
        self.coupon.addItem(self.tr("No coupon"), None)
        rules = {r.id: r for r in program.coupons}
        for coupon_id, rule in self._coupons:
            name = c.name(rules[rule].names) if rule in rules else self.tr("Scanned coupon")
            self.coupon.addItem(name, coupon_id)
        self.reward.setCurrentIndex(max(0, self.reward.findData(chosen_reward)))
        self.coupon.setCurrentIndex(max(0, self.coupon.findData(chosen_coupon)))
        self.reward.setVisible(bool(program.counter_rewards))
        self.coupon.setVisible(bool(program.coupons))
        for combo in (self.reward, self.coupon):
            combo.blockSignals(False)
        self.most.setText(self.tr("Most"))
        self.points_title.setText(self.tr("Pay with points:"))
        self._show_points()

"""The manager screen's figures for today at this kiosk: new members, sales and refunds,
points issued and redeemed, read in the background so the screen stays usable.

Its words keep the translation context of the manager screen they came from
("ManagerScreen"), so the translations in ``assets/i18n`` still find them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QVBoxLayout

from kiosk.services.manager import DayFigures, todays_figures
from ui.context import ScreenContext
from ui.widgets import ServiceScreen, button, label


class TodayTab(ServiceScreen):
    def __init__(self, counter: ScreenContext) -> None:
        super().__init__(counter)
        layout = QVBoxLayout(self)
        self.figures = label("", wrap=True)
        self.figures.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.refresh = button(clicked=self.load)
        layout.addWidget(self.figures, 1)
        layout.addWidget(self.refresh)
        self.day: DayFigures | None = None
        self.retranslate()

    def load(self) -> None:
        kiosk = self.counter.kiosk  # a read in the background: the screen stays usable
        self.counter.tasks.run(lambda: todays_figures(kiosk), self._show, self.failed.emit)

    def _show(self, figures: DayFigures) -> None:
        self.day = figures
        self.retranslate()

    def retranslate(self) -> None:
        self.refresh.setText(QCoreApplication.translate("ManagerScreen", "Refresh"))
        f, money = self.day, self.counter.money
        if f is None:
            return
        self.figures.setText("\n".join([
            QCoreApplication.translate(
                "ManagerScreen", "Today at this kiosk (other kiosks and the shop count on "
                                 "their own)"),
            QCoreApplication.translate("ManagerScreen", "New members: {n}").format(
                n=f"{f.enrolments:,}"),
            QCoreApplication.translate(
                "ManagerScreen", "Sales: {n} rung up, {refunds} refunded; net {amount}").format(
                n=f"{f.sales:,}", refunds=f"{f.refunds:,}", amount=money(f.sales_minor)),
            QCoreApplication.translate("ManagerScreen", "Points issued: {n}").format(
                n=f"{f.points_issued:,}"),
            QCoreApplication.translate(
                "ManagerScreen", "Points redeemed: {n} (redemptions: {count})").format(
                n=f"{f.points_redeemed:,}", count=f"{f.redemptions:,}")]))

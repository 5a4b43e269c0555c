"""The manager screen's lost-card tab (issue 15): find the member by phone (however it is
written) or card number, pick them, and replace their card: every card they hold is
cancelled and a new one issued, approved in the name of the manager who unlocked the
screen. The new card is offered for printing (the receipt printer's card slip).

Its words keep the translation context "ManagerScreen", as the other tabs' do.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListWidget, QVBoxLayout

from kiosk.services.lost_cards import MemberMatch, ReissueResult, find_members, reissue_card
from ui.context import ScreenContext
from ui.widgets import Call, OnScreenKeyboard, ServiceScreen, button, label


class LostCardTab(ServiceScreen):
    reissued = Signal(object)  # ReissueResult

    def __init__(self, counter: ScreenContext, approver: Callable[[], str], call: Call) -> None:
        super().__init__(counter)
        self.approver, self._call = approver, call
        self.matches: list[MemberMatch] = []
        self.searched = False  # a search came back (none found is said)
        self.searched_for = ""  # what it was: an old cancelled card's number is refused
        layout = QVBoxLayout(self)
        self.prompt = label("", wrap=True)
        self.query = QLineEdit()
        self.search = button(clicked=self._find)
        self.results = QListWidget()
        self.results.setMinimumHeight(48)  # one row: the tabs share one height at 1024x768
        self.results.currentRowChanged.connect(lambda _: self._enable())
        self.replace = button(role="primary", clicked=self._replace)
        self.done = label("", wrap=True)
        actions = QHBoxLayout()  # both above the keyboard: in reach, never below the fold
        actions.addWidget(self.search, 1)
        actions.addWidget(self.replace, 2)
        layout.addWidget(self.prompt)
        layout.addWidget(self.query)
        layout.addLayout(actions)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.done)
        layout.addWidget(OnScreenKeyboard())
        self.retranslate()

    def _find(self) -> None:
        kiosk, query = self.counter.kiosk, self.query.text()
        self.searched_for = query
        self._call(lambda: find_members(kiosk, query), self._found)

    def _found(self, matches: list[MemberMatch]) -> None:
        self.matches, self.searched = matches, True
        self.done.setText("")
        self.retranslate()
        if len(matches) == 1:
            self.results.setCurrentRow(0)

    def _replace(self) -> None:
        row = self.results.currentRow()
        if not 0 <= row < len(self.matches):
            return
        kiosk, approver, query = self.counter.kiosk, self.approver(), self.searched_for
        member_id = self.matches[row].member.id
        self._call(lambda: reissue_card(kiosk, member_id, approver, found_by=query),
                   self._replaced)

    def _replaced(self, result: ReissueResult) -> None:
        self.matches, self.searched = [], False
        self.query.clear()
        self.retranslate()
        self.done.setText(QCoreApplication.translate(
            "ManagerScreen", "New card {card} for {name}; cancelled: {old}. Balance: "
                             "{points} points.").format(
            card=result.card.card_no, name=result.member.name,
            old=", ".join(result.revoked) or "-", points=result.balance))
        self.done.setVisible(True)
        self.reissued.emit(result)

    def _enable(self) -> None:
        self.replace.setEnabled(0 <= self.results.currentRow() < len(self.matches))
        self.done.setVisible(bool(self.done.text()))

    def retranslate(self) -> None:
        self.prompt.setText(QCoreApplication.translate(
            "ManagerScreen", "The member's phone number, or the lost card's number:"))
        self.query.setPlaceholderText(QCoreApplication.translate(
            "ManagerScreen", "0912-345-678 or the card number"))
        self.search.setText(QCoreApplication.translate("ManagerScreen", "Find"))
        self.replace.setText(QCoreApplication.translate(
            "ManagerScreen", "Cancel their cards and issue a new one"))
        row = self.results.currentRow()
        self.results.clear()
        for m in self.matches:
            self.results.addItem(QCoreApplication.translate(
                "ManagerScreen", "{name} ({phone}) · cards {cards} · {points} points").format(
                name=m.member.name, phone=m.masked_phone, cards=", ".join(m.cards) or "-",
                points=m.balance))
        if 0 <= row < len(self.matches):
            self.results.setCurrentRow(row)
        if self.searched and not self.matches:
            self.results.addItem(QCoreApplication.translate("ManagerScreen",
                                                            "No member found."))
        self._enable()

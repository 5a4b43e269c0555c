"""Joining: a touch form (name, phone, birthday, referrer, consent to the privacy notice)
and then the new member's card, shown on screen and ready to print."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QCheckBox, QFormLayout, QHBoxLayout, QLineEdit, QVBoxLayout

from kiosk.services import Enrolment, EnrolmentResult, enrol
from kiosk.services.errors import InvalidInput
from ui.context import ScreenContext
from ui.widgets import OnScreenKeyboard, Screen, ServiceScreen, button, label


class EnrolScreen(ServiceScreen):
    completed = Signal(object)  # EnrolmentResult
    cancelled = Signal()

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__(counter)
        self.referrer: uuid.UUID | None = None
        layout = QVBoxLayout(self)
        self.title = label("", "title")
        layout.addWidget(self.title)
        top = QHBoxLayout()  # the form beside the notice: the keyboard needs the height
        form = QFormLayout()
        self.name, self.phone, self.birthday = QLineEdit(), QLineEdit(), QLineEdit()
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        # No input mask: a tap mid-mask put the cursor past it and keyed digits were
        # dropped. Eight digits or YYYY-MM-DD, typed anywhere, are read in form().
        self.birthday.setPlaceholderText("YYYY-MM-DD")
        self.birthday.setMaxLength(10)
        self.referrer_label = label("", "subtle", wrap=True)
        self.name_label, self.phone_label, self.birthday_label, self.ref_title = (
            label(), label(), label(), label())
        form.addRow(self.name_label, self.name)
        form.addRow(self.phone_label, self.phone)
        form.addRow(self.birthday_label, self.birthday)
        form.addRow(self.ref_title, self.referrer_label)
        top.addLayout(form, 3)
        privacy = QVBoxLayout()
        self.notice = label("", "subtle", wrap=True)
        privacy.addWidget(self.notice)
        self.consent = QCheckBox()
        self.consent.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        privacy.addWidget(self.consent)
        top.addLayout(privacy, 2)
        layout.addLayout(top)
        self.keyboard = OnScreenKeyboard()
        layout.addWidget(self.keyboard, 1)
        actions = QHBoxLayout()
        self.submit = button(role="primary", clicked=self._submit)
        self.cancel = button(clicked=self.cancelled.emit)
        actions.addWidget(self.submit)
        actions.addWidget(self.cancel)
        layout.addLayout(actions)
        self.consent.toggled.connect(self._update)
        for field in (self.name, self.phone):
            field.textChanged.connect(self._update)
        self.retranslate()

    def start(self) -> None:
        for field in (self.name, self.phone, self.birthday):
            field.clear()
        self.consent.setChecked(False)
        self.referrer = None
        self.name.setFocus()
        self.retranslate()

    def set_referrer(self, member_id: uuid.UUID, name: str) -> None:
        """A member's card scanned while the form is open: they referred the newcomer."""
        self.referrer = member_id
        self.referrer_label.setText(name)

    def form(self) -> Enrolment:
        return Enrolment(self.name.text().strip(), self.phone.text().strip(),
                         self._birthday(), self.referrer, self.consent.isChecked())

    def _birthday(self) -> dt.date | None:
        """The birthday typed as 19850412 or 1985-04-12 (or none)."""
        text = self.birthday.text().strip()
        digits = text.replace("-", "")
        if not text:
            return None
        try:
            if len(digits) != 8 or not digits.isdigit():
                raise ValueError(text)
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError as exc:
            raise InvalidInput(self.tr("the birthday is not a date (YYYY-MM-DD)")) from exc

    def _update(self) -> None:
        self.submit.setEnabled(bool(self.name.text().strip() and self.phone.text().strip()
                                    and self.consent.isChecked()))

    def _submit(self) -> None:
        try:
            form = self.form()
        except InvalidInput as exc:
            self.failed.emit(exc)
            return
        kiosk = self.counter.kiosk
        self.call(lambda: enrol(kiosk, form), self.completed.emit)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Become a member"))
        self.name_label.setText(self.tr("Name"))
        self.phone_label.setText(self.tr("Mobile phone"))
        self.birthday_label.setText(self.tr("Birthday (optional)"))
        self.ref_title.setText(self.tr("Referred by"))
        if self.referrer is None:
            self.referrer_label.setText(self.tr("scan the referring member's card"))
        self.notice.setText(self.tr(
            "Privacy notice: we keep your name, phone number and birthday to run the loyalty "
            "programme and never sell them. Ask at the counter to see or delete your data."))
        self.consent.setText(self.tr("I have read and accept the privacy notice"))
        self.submit.setText(self.tr("Join and issue my card"))
        self.cancel.setText(self.tr("Cancel"))
        self._update()


class CardScreen(Screen):
    """The new card, as it will print: shown so the member can photograph it at once."""

    print_requested = Signal()
    finished = Signal()

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__()
        self.counter = counter
        self.result: EnrolmentResult | None = None
        self.png = b""  # the card as drawn on screen
        layout = QVBoxLayout(self)
        self.title = label("", "title")
        self.image = label()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bonus = label("", "subtle")
        layout.addWidget(self.title)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.bonus)
        actions = QHBoxLayout()
        self.print = button(role="primary", clicked=self.print_requested.emit)
        self.done = button(clicked=self.finished.emit)
        actions.addWidget(self.print)
        actions.addWidget(self.done)
        layout.addLayout(actions)
        self.retranslate()

    def show_card(self, result: EnrolmentResult, card_png: bytes) -> None:
        self.result, self.png = result, card_png
        image = QImage.fromData(card_png)
        self.image.setPixmap(QPixmap.fromImage(image).scaledToWidth(
            640, Qt.TransformationMode.SmoothTransformation))
        self.retranslate()

    def retranslate(self) -> None:
        self.print.setText(self.tr("Print card"))
        self.done.setText(self.tr("Continue"))
        if self.result is None:
            self.title.setText("")
            return
        self.title.setText(self.tr("Welcome, {name}! Card {card}").format(
            name=self.result.member.name, card=self.result.card.card_no))
        self.bonus.setText(self.tr("Sign-up bonus: {n} points").format(n=self.result.balance))

"""Small touch widgets the screens share: buttons, a digit keypad, an on-screen keyboard,
the message banner, and the base class that retranslates a screen on a language change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.context import ScreenContext
from ui.theme import BANNER_FONT_PX, BANNER_INSET, BANNER_PX, PRIMARY_PX, TOUCH_MIN_PX


def button(text: str = "", role: str | None = None,
           clicked: Callable[[], None] | None = None) -> QPushButton:
    b = QPushButton(text)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # taps must not steal a field's focus
    if role:
        b.setProperty("role", role)
    if clicked is not None:
        b.clicked.connect(lambda *_: clicked())  # drop `checked`: handlers take no args
    return b


class ElidedLabel(QLabel):
    """One line that gives up its width first, ending in "…" when it must, so that the
    buttons beside it keep their whole text (the store name in the top bar)."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.full_text = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(TOUCH_MIN_PX)
        self._elide()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                                   self.width()))
        self.setToolTip(self.full_text if self.text() != self.full_text else "")


class Scrolling(QScrollArea):
    """``content`` at least at its minimum size, scrolled (by a finger too) on a panel too
    small for it, such as 800x480: squeezed below its minimum, its controls would overlap.
    Where the screen is big enough, the content fills it and no scroll bar shows. (Not
    ``widgetResizable``: that lays the content out at its size hint, and misses a page
    switch that changes the minimum.)"""

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        # A tap on a key (NoFocus) gives focus to the nearest parent that takes it: not
        # this, or the on-screen keyboard's field would lose it.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidget(content)
        content.installEventFilter(self)
        self.viewport().installEventFilter(self)
        # Touch only: a mouse-press gesture would delay every tap on the buttons inside.
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        content, kind = self.widget(), event.type()
        if content is not None and (
                (watched is content and kind == QEvent.Type.LayoutRequest)
                or (watched is self.viewport() and kind == QEvent.Type.Resize)):
            content.resize(self.viewport().size().expandedTo(content.minimumSizeHint()))
        return super().eventFilter(watched, event)


def reveal(widget: QWidget) -> None:
    """Scroll the panel that holds ``widget`` so it shows whole, once the layout has
    settled: on a small panel (800x480) the step's own button is below the fold just when
    the cashier needs it (a cause or a receiver chosen)."""
    def show() -> None:
        area = widget.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None and widget.isVisible():
            area.ensureWidgetVisible(widget, 0, 8)
    QTimer.singleShot(0, show)


def label(text: str = "", name: str | None = None, wrap: bool = False) -> QLabel:
    lbl = QLabel(text)
    if name:
        lbl.setObjectName(name)
    lbl.setWordWrap(wrap)
    return lbl


class Stepper(QHBoxLayout):
    """A points amount between large minus and plus buttons, centred (the donate and
    transfer screens): ``step(-1)`` / ``step(1)`` on a tap; the screen sets the text and
    which button is enabled."""

    def __init__(self, step: Callable[[int], None], amount_width: int) -> None:
        super().__init__()
        self.minus = button("\u2212", clicked=lambda: step(-1))
        self.plus = button("+", clicked=lambda: step(1))
        for b in (self.minus, self.plus):
            b.setFixedSize(PRIMARY_PX + 32, PRIMARY_PX)
            b.setStyleSheet("font-size: 34px; font-weight: bold; padding: 0;")
        self.amount = label()
        self.amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.amount.setMinimumWidth(amount_width)
        self.amount.setStyleSheet("font-size: 32px; font-weight: bold;")
        self.addStretch()
        for widget in (self.minus, self.amount, self.plus):
            self.addWidget(widget)
        self.addStretch()


class Screen(QWidget):
    """A page of the counter; ``retranslate`` sets every text and runs again on each
    language change, so the screen never shows a mix of languages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError


Call = Callable[[Callable[[], Any], Callable[[Any], None]], None]
"""A screen's ``call``, handed to a part of it (a manager tab): the service on a worker with
the whole screen locked, a refusal told as the screen's."""


class ServiceScreen(Screen):
    """A screen that asks a service for something: the call runs on a worker thread while
    the screen is locked (a second tap can't start it twice), then the result or the
    refusal comes back here, on the UI thread."""

    failed = Signal(object)  # the exception, for the window to put into words

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__()
        self.counter = counter

    def call(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.setEnabled(False)

        def succeeded(result: Any) -> None:
            self.setEnabled(True)
            done(result)

        def refused(exc: BaseException) -> None:
            self.setEnabled(True)
            self.failed.emit(exc)
        self.counter.tasks.run(fn, succeeded, refused)


class Keypad(QWidget):
    """Digits for amounts, phone numbers and PINs (no Qt Virtual Keyboard: that is GPLv3)."""

    typed = Signal(str)  # a digit, "00" or "."
    erased = Signal()
    cleared = Signal()

    def __init__(self, *, decimal: bool = False, double_zero: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(8)
        keys = ["7", "8", "9", "4", "5", "6", "1", "2", "3",
                "." if decimal else ("00" if double_zero else "C"), "0", "⌫"]
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(keys):
            b = button(key)
            b.setMinimumSize(88, 72)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.clicked.connect(lambda _=False, k=key: self._press(k))
            self.keys[key] = b
            grid.addWidget(b, i // 3, i % 3)

    def _press(self, key: str) -> None:
        if key == "⌫":
            self.erased.emit()
        elif key == "C":
            self.cleared.emit()
        else:
            self.typed.emit(key)


class OnScreenKeyboard(QWidget):
    """Latin letters, digits and a few marks, typed into whichever field has focus.

    Chinese names come from the system input method (or a wedge keyboard); a pinyin or
    zhuyin on-screen IME is not built in (Qt Virtual Keyboard would be GPLv3)."""

    ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM.@")
    ADDRESS_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL:", "ZXCVBNM./-")  # web addresses

    def __init__(self, parent: QWidget | None = None, *, rows: tuple[str, ...] = ROWS,
                 names: bool = True) -> None:
        super().__init__(parent)
        self.names = names  # capitalise each word, else type lower case
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.setContentsMargins(0, 0, 0, 0)
        self.space = button("␣", role="key", clicked=lambda: self._insert(" "))
        self.backspace = button("⌫", role="key", clicked=self._erase)
        for row in rows:
            line = QHBoxLayout()
            for ch in row:
                b = button(ch, role="key")
                b.clicked.connect(lambda _=False, c=ch: self._insert(c))
                line.addWidget(b)
            if row is rows[-1]:  # four rows, so the keyboard fits under a form
                line.addWidget(self.space, 2)
                line.addWidget(self.backspace)
            layout.addLayout(line)

    @staticmethod
    def _field() -> QLineEdit | None:
        focused = QApplication.focusWidget()
        return focused if isinstance(focused, QLineEdit) else None

    def _insert(self, text: str) -> None:
        if field := self._field():
            before = field.text()[:field.cursorPosition()]
            if not self.names or (text.isalpha() and before and not before.endswith(" ")):
                text = text.lower()  # names: capital at the start of each word
            field.insert(text)

    def _erase(self) -> None:
        if field := self._field():
            field.backspace()


class Banner(QLabel):
    """One message for the cashier: green for done, red for a problem. Errors stay until
    the next action; confirmations fade after a few seconds. Every message is said again in
    the new language when the counter switches (``again``).

    It holds still (issue 12, point 4): the layout holds ``slot``, a fixed-height place kept
    whether a message shows or not, and the banner is laid over it, so no key above moves
    between two taps. A long message is set smaller; one that still doesn't fit (the sync
    detail's list) grows upward over the screen, moving nothing, until it goes."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.setWordWrap(True)
        self.slot = QWidget()
        self.slot.setFixedHeight(BANNER_PX)
        self.slot.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.slot.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_message)
        self._say: Callable[[], str] | None = None
        self._px = 0  # the font size the text is set in now (0: the style's)
        self.hide()

    def show_message(self, text: str, kind: str = "info",
                     again: Callable[[], str] | None = None) -> None:
        if self.kind != kind:
            self.setProperty("kind", kind)
            self.style().unpolish(self)
            self.style().polish(self)
        self._say = again
        self.setText(text)
        self._place()
        self.show()
        self.raise_()
        if kind == "info":
            self._timer.start(6000)
        else:
            self._timer.stop()

    def clear_message(self) -> None:
        self._timer.stop()
        self._say = None
        self.setText("")
        self.hide()

    def retranslate(self) -> None:
        if self._say is not None:
            self.setText(self._say())
            self._place()

    @property
    def kind(self) -> str:
        return str(self.property("kind") or "")

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        if watched is self.slot and event.type() in (
                QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.ParentChange):
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        """Over the slot, in the largest of BANNER_FONT_PX that fits it; else at the
        smallest, as tall as the text needs (at most half the window), bottom on the
        slot's bottom."""
        holder = self.slot.parentWidget()
        if holder is None:
            return
        if self.parentWidget() is not holder:
            shown = not self.isHidden()
            self.setParent(holder)
            self.setVisible(shown)
        spot = self.slot.geometry()
        across, down = BANNER_INSET  # the style's padding and border
        width, room = spot.width() - across, spot.height() - down
        px = next((size for size in BANNER_FONT_PX
                   if self._height(self.text(), size, width) <= room), BANNER_FONT_PX[-1])
        if px != self._px:
            self._px = px
            # the padding again: a widget's own sheet dropped the app sheet's for it, and
            # the text sat against the border
            self.setStyleSheet(f"font-size: {px}px; padding: 2px 10px;")
        needed = self._height(self.text(), px, width) + down
        height = max(spot.height(), min(needed, holder.height() // 2))
        self.setGeometry(spot.x(), spot.bottom() + 1 - height, spot.width(), height)

    def _height(self, text: str, px: int, width: int) -> int:
        font = QFont(self.font())
        font.setPixelSize(px)
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        return QFontMetrics(font).boundingRect(QRect(0, 0, max(width, 1), 10_000), flags,
                                               text).height()

"""The sync state on every screen: online or offline, uploads waiting, last success.
Tapping it opens the detail (the manager's device page, or a dialog-free overlay)."""

from __future__ import annotations

from datetime import timedelta, tzinfo

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import QPushButton

from sync.status import SyncStatus


def describe_sync(status: SyncStatus | None, *, detail: bool = False,
                  zone: tzinfo | None = None) -> str:
    """The sync state in words, in the current language; times in ``zone``, the store's
    (the activity list and receipts use it too), not the machine's."""
    translate = QCoreApplication.translate
    if status is None:
        return translate("SyncStatus", "Not paired with a ledger: working offline only.")
    state = {True: translate("SyncStatus", "Online"),
             False: translate("SyncStatus", "Offline"),
             None: translate("SyncStatus", "Connecting…")}[status.online]
    # The badge shares the top bar with the language buttons, so it names one warning (the
    # detail has them all): entries held back, else a clock that is off, else a ledger
    # state this kiosk can't read (the badge is amber for each); with a warning to show,
    # "0 waiting" gives way to it.
    warning = (translate("SyncStatus", "{n} held back").format(n=status.held_back)
               if status.held_back else
               translate("SyncStatus", "Clock off") if status.clock_off else
               translate("SyncStatus", "Update needed") if status.ledger_state_problems
               else None)
    if status.pending_uploads or warning is None:
        text = translate("SyncStatus", "{state} · {n} waiting").format(
            state=state, n=status.pending_uploads)
    else:
        text = state
    if warning is not None:
        text += " · " + warning
    if not detail:
        return text
    last = (status.last_success.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
            if status.last_success else translate("SyncStatus", "never"))
    lines = [text,
             translate("SyncStatus", "Last successful sync: {time}").format(time=last),
             translate("SyncStatus", "Sent {up}, received {down}").format(
                 up=status.uploaded, down=status.pulled)]
    if status.last_error:
        lines.append(translate("SyncStatus", "Last error: {error}").format(
            error=status.last_error))
    if status.clock_off and status.clock_skew is not None:
        minutes = round(abs(status.clock_skew).total_seconds() / 60)
        lines.append((translate("SyncStatus", "This device's clock is {n} minutes ahead of "
                                "the ledger's. Entries are dated by the ledger's time; "
                                "please set the clock right.")
                      if status.clock_skew < timedelta(0) else
                      translate("SyncStatus", "This device's clock is {n} minutes behind "
                                "the ledger's. Entries are dated by the ledger's time; "
                                "please set the clock right.")).format(n=f"{minutes:,}"))
    if status.ledger_state_problems:
        # A program in force or a certificate from a newer ledger: the kiosk keeps what it
        # had and syncs on (no poison pill), but someone must upgrade it.
        lines.append(translate("SyncStatus", "This kiosk can't read part of what the ledger "
                               "sent and keeps what it had; please update this kiosk:"))
        lines += [f"  • {problem}" for problem in status.ledger_state_problems]
    if status.held_back:
        # Entries the ledger refused or this kiosk can't send: kept here, never retried,
        # and nothing after them waits. The reasons are the ledger's or the wire's words.
        lines.append(translate("SyncStatus", "Held back from the ledger, kept on this "
                               "kiosk:"))
        lines += [f"  • {reason}" for reason in status.held_back_reasons]
    return "\n".join(lines)


class SyncBadge(QPushButton):
    """Coloured by state; ``status`` is None for a kiosk with no ledger."""

    detail_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("sync")
        self.status: SyncStatus | None = None
        self.clicked.connect(self.detail_requested.emit)
        self.show_status(None)

    def show_status(self, status: SyncStatus | None) -> None:
        self.status = status
        state = "unknown" if status is None or status.online is None else (
            "offline" if not status.online
            else "warning" if status.clock_off or status.held_back
            or status.ledger_state_problems else "online")
        self.setProperty("state", state)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(describe_sync(status))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setText(describe_sync(self.status))
        super().changeEvent(event)

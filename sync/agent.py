"""The kiosk's sync agent: uploads the outbox, pulls what other channels did, refreshes the
program and the trust store. Safe to kill at any instant: an upload whose answer was lost
is sent again and comes back as duplicates; the outbox is cleared only below the mark the
ledger confirmed; each pulled page and its cursor commit together."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TypedDict

from tenacity import Retrying, retry_if_exception, stop_never, wait_random_exponential

from kiosk.records import CardRecord, StorageError
from kiosk.services import Kiosk
from kiosk.services.context import DamagedSetting
from sync.client import LedgerClient, LedgerRefused, LedgerUnavailable
from sync.ledger_state import apply_state, read_state
from sync.status import SyncStatus as SyncStatus  # what the screens read
from sync.uploads import UPLOAD_BATCH, Uploader

log = logging.getLogger(__name__)

PULL_PAGE = 1000
HELD_BACK_SHOWN = 5
HELD_BACK_FOR = timedelta(days=7)  # the badge counts a week's; they stay in the store
CURSOR = "pull_cursor"


class _Waiting(TypedDict):
    pending_uploads: int
    held_back: int
    held_back_reasons: tuple[str, ...]


@dataclass(frozen=True)
class SyncReport:
    uploaded: int
    duplicates: int
    rejected: int
    pulled: int
    pending_uploads: int
    cursor: int


class SyncAgent:
    def __init__(self, kiosk: Kiosk, client: LedgerClient, *, batch: int = UPLOAD_BATCH,
                 page: int = PULL_PAGE) -> None:
        self.kiosk, self.client = kiosk, client
        self.page = page
        self.uploader = Uploader(kiosk, client, batch, on_gaps=lambda gaps: self._set(gaps=gaps))
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._status = SyncStatus(**self._waiting())
        self.on_status: Callable[[SyncStatus], None] | None = None
        """Called (on the syncing thread) with every new status, e.g. to signal a UI."""

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._status = status = replace(self._status, **changes)  # type: ignore[arg-type]
        if self.on_status is not None:
            self.on_status(status)

    def wake(self) -> None:
        """Cut the current pause of :meth:`run_forever` short: new entries to send, or a
        stop requested (set the stop event first)."""
        self._wake.set()

    def sync_once(self) -> SyncReport:
        """One full round; raises :class:`LedgerUnavailable` when the ledger can't be
        reached (nothing is lost: the next round resumes where this one stopped)."""
        try:
            # The ledger's clock first: entries go up dated by it, a clock stepped since the
            # last round included.
            self._refresh_state()
            uploaded, duplicates, rejected = self.upload()
            if self.uploader.cancelled_cards:  # the ledger may cancel more than we named
                self.uploader.cancelled_cards = False  # (older replacements): learn it now
                self._refresh_state()
            pulled, cursor = self._pull()
        except LedgerUnavailable as exc:
            self._set(online=False, last_error=str(exc), **self._waiting())
            raise
        waiting = self._waiting()
        pending = waiting["pending_uploads"]
        self._set(online=True, last_error=None, last_success=self.kiosk.clock(), **waiting,
                  uploaded=self._status.uploaded + uploaded,
                  pulled=self._status.pulled + pulled,
                  rejected=self._status.rejected + rejected)
        return SyncReport(uploaded, duplicates, rejected, pulled, pending, cursor)

    def run_forever(self, stop: threading.Event, interval: float = 5.0,
                    max_backoff: float = 60.0) -> None:
        """Sync every ``interval`` seconds until ``stop``. A round that fails for any
        reason (the ledger unreachable, a full disk, a bug) is reported in the status and
        tried again with exponential backoff and jitter (so a hundred kiosks don't return
        in lockstep): the counter's sync must not end until the app is restarted.

        ``stop`` is checked between rounds: set it, then :meth:`wake` to end a pause now."""
        def pause(seconds: float) -> None:
            if not stop.is_set():
                self._wake.wait(seconds)
            self._wake.clear()

        retrying = Retrying(retry=retry_if_exception(_worth_retrying),
                            wait=wait_random_exponential(multiplier=0.5, max=max_backoff),
                            stop=stop_never, sleep=pause, reraise=True)
        while not stop.is_set():
            try:
                for attempt in retrying:
                    with attempt:
                        if stop.is_set():
                            return
                        try:
                            self.sync_once()
                        except Exception as exc:
                            self._round_failed(exc)
                            raise
            except LedgerRefused as exc:
                # A revoked token or a protocol mismatch: a person must act; keep trying
                # slowly so the counter shows it, and recovers once it is fixed.
                self._set(online=False, last_error=str(exc))
                pause(max(interval, 60.0))
            pause(interval)

    def _round_failed(self, exc: Exception) -> None:
        """Say why a round failed (called in its ``except``); the loop then waits and tries
        again. Sync_once has already said the ledger is unreachable, and the loop says
        when the ledger refused; the rest is this kiosk's own trouble, which says nothing
        about the ledger, so ``online`` stays as the last round found it."""
        if isinstance(exc, LedgerUnavailable | LedgerRefused):
            return
        if isinstance(exc, StorageError):  # known trouble: the message says it all
            log.warning("sync round failed, will retry: %s", exc)
            self._set(last_error=str(exc))
        else:
            log.exception("sync round failed unexpectedly, will retry")
            self._set(last_error=f"unexpected error: {type(exc).__name__}: {exc}")

    def _waiting(self) -> _Waiting:
        """What the status says of the outbox: entries to send, entries held back and the
        latest reasons why."""
        with self.kiosk.store.read() as tx:
            held, reasons = tx.outbox.held_back(HELD_BACK_SHOWN, self.kiosk.clock() - HELD_BACK_FOR)
            return _Waiting(pending_uploads=tx.outbox.size(), held_back=held,
                            held_back_reasons=tuple(reasons))

    def upload(self) -> tuple[int, int, int]:
        """Upload the whole outbox; returns (accepted, duplicates, rejected)
        (:meth:`sync.uploads.Uploader.upload`)."""
        return self.uploader.upload()

    # -- download -----------------------------------------------------------------------
    def _pull(self) -> tuple[int, int]:
        with self.kiosk.store.read() as tx:
            kept = tx.settings.get(CURSOR)
        try:
            cursor = int(kept or 0)
        except ValueError as exc:
            raise DamagedSetting(CURSOR, exc) from None
        pulled = 0
        while True:
            # Our own entries we have, with their seqs from the upload's answers.
            page = self.client.pull(cursor, self.page, skip_own=True)
            with self.kiosk.store.write() as tx:
                pulled += tx.pulled.apply(
                    [w.to_member() for w in page.members],
                    [CardRecord(c.card_no, c.member_id, c.key_id, c.payload, c.issued_at)
                     for c in page.cards],
                    [(w.to_entry(), w.seq or 0) for w in page.entries])
                tx.settings.set(CURSOR, str(page.next_after))
            cursor = page.next_after
            if not page.more:
                return pulled, cursor

    def _refresh_state(self) -> None:
        clock = self.kiosk.clock
        state, skew = read_state(self.client, clock.device)
        kept = clock.correct(skew) if skew is not None else None
        with self.kiosk.store.write() as tx:
            problems = tuple(apply_state(tx, state, clock(), kept))
        before = self.status.ledger_state_problems
        for problem in problems:
            if problem not in before:  # once, not every round
                log.warning("sync: %s", problem)
        changes: dict[str, object] = {} if skew is None else {"clock_skew": skew}
        if problems != before:
            changes["ledger_state_problems"] = problems
        if changes:
            self._set(**changes)
        self.kiosk.reload()


def _worth_retrying(exc: BaseException) -> bool:
    """Every failed round is tried again, except a refusal (a person must act first: the
    loop retries it slowly) and an interpreter exit or Ctrl-C."""
    return isinstance(exc, Exception) and not isinstance(exc, LedgerRefused)



"""The kiosk's sync agent: uploads the outbox, pulls what other channels did, refreshes the
program and the trust store. Safe to kill at any instant: an upload whose answer was lost
is sent again and comes back as duplicates; the outbox is cleared only below the mark the
ledger confirmed; each pulled page and its cursor commit together."""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime

from tenacity import Retrying, retry_if_exception, stop_never, wait_random_exponential

from kiosk.cards import DeviceCertificate, key_from_text
from kiosk.ledger import Entry
from kiosk.program import parse_program
from kiosk.services import Kiosk
from kiosk.store import StorageError, Transaction
from kiosk.store.repository import CardRecord
from sync.client import LedgerClient, LedgerRefused, LedgerUnavailable
from sync.protocol import (
    MAX_BATCH,
    CardWire,
    DeviceState,
    EntryWire,
    MemberWire,
    UploadRequest,
    UploadResponse,
)

log = logging.getLogger(__name__)

UPLOAD_BATCH = MAX_BATCH  # the most the ledger takes in one request: fewer round trips
UPLOADS_IN_FLIGHT = 2  # one parsed by the ledger while its database writes the other
PULL_PAGE = 1000
CURSOR = "pull_cursor"


@dataclass(frozen=True)
class SyncStatus:
    """What the counter shows: online or not, what waits to go up, when it last worked."""

    online: bool | None = None  # None: not tried yet
    pending_uploads: int = 0
    last_success: datetime | None = None
    last_error: str | None = None
    uploaded: int = 0
    pulled: int = 0
    rejected: int = 0
    gaps: tuple[tuple[int, int], ...] = field(default_factory=tuple)


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
        self.batch, self.page = batch, page
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._status = SyncStatus(pending_uploads=self._pending())
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
            uploaded, duplicates, rejected = self.upload()
            pulled, cursor = self._pull()
            self._refresh_state()
        except LedgerUnavailable as exc:
            self._set(online=False, last_error=str(exc), pending_uploads=self._pending())
            raise
        pending = self._pending()
        self._set(online=True, last_error=None, last_success=self.kiosk.clock(),
                  pending_uploads=pending, uploaded=self._status.uploaded + uploaded,
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

    def _pending(self) -> int:
        with self.kiosk.store.read() as tx:
            return tx.outbox_size()

    # -- upload -------------------------------------------------------------------------
    def upload(self) -> tuple[int, int, int]:
        """Upload the whole outbox; returns (accepted, duplicates, rejected).

        Two batches are in flight at once when the later one can't depend on the earlier:
        the ledger then parses one while its database writes the other (BENCHMARKS.md:
        ingest 12-40% faster when the kiosk has CPU to spare). A batch that takes points
        or reverses an entry waits until everything before it is answered, so the ledger
        sees originals before reversals and earnings before redemptions (no false
        overdraft). Answers are recorded in order; a batch the ledger didn't fully
        acknowledge makes the agent read the outbox again from the oldest entry, as if
        nothing had been prepared (the ledger works its mark out again on a batch it has
        seen). If that clears nothing either, the ledger is missing something it should
        have: the round stops and says so."""
        counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
        mark = 0  # the highest acknowledgement mark the ledger has answered with
        stalled = False  # the last answer cleared nothing and the outbox is read again
        request = self._next_request(after=0)
        in_flight: deque[tuple[UploadRequest, Future[UploadResponse]]] = deque()
        with ThreadPoolExecutor(max_workers=UPLOADS_IN_FLIGHT,
                                thread_name_prefix="upload") as sender:
            while request is not None or in_flight:
                while request is not None and len(in_flight) < UPLOADS_IN_FLIGHT and (
                        not in_flight or _independent(request)):
                    in_flight.append((request, sender.submit(self.client.upload, request)))
                    request = self._next_request(after=_last_seq(request))
                sent, answer = in_flight.popleft()
                response = answer.result()
                cleared = self._acknowledge(sent, response)
                for r in response.results:
                    counts[r.status] += 1
                mark = max(mark, response.acked_through)
                self._set(gaps=tuple(response.gaps))
                if mark >= _last_seq(sent):
                    stalled = False
                    continue
                if cleared == 0 and stalled:
                    # Sent again from the oldest entry and still not confirmed: don't spin.
                    raise LedgerUnavailable(
                        f"the ledger acknowledged up to {response.acked_through} only; "
                        f"missing {response.gaps}")
                stalled = cleared == 0
                for later, pending in in_flight:  # answered but now read again: harmless
                    self._acknowledge(later, pending.result())
                in_flight.clear()
                request = self._next_request(after=0)
        return counts["accepted"], counts["duplicate"], counts["rejected"]

    def _next_request(self, after: int) -> UploadRequest | None:
        """The outbox's next batch above device seq ``after``; None when there is none."""
        with self.kiosk.store.read() as tx:
            batch = tx.outbox_batch(self.batch, after=after)
            return self._request(tx, batch) if batch else None

    def _acknowledge(self, request: UploadRequest, response: UploadResponse) -> int:
        """Record the ledger's answer; returns how many outbox rows it cleared."""
        synced = [(r.id, r.seq) for r in response.results
                  if r.status in ("accepted", "duplicate") and r.seq is not None]
        refused = [(r.id, r.reason or "rejected") for r in response.results
                   if r.status == "rejected"]
        with self.kiosk.store.write() as tx:
            # An answer means the ledger committed the request's members and cards.
            tx.mark_on_ledger([w.id for w in request.members],
                              [w.card_no for w in request.cards])
            return tx.record_acknowledgement(synced, refused, response.acked_through,
                                             self.kiosk.clock())

    def _request(self, tx: Transaction, batch: list[tuple[int, Entry]]) -> UploadRequest:
        ids = {e.member_id for _, e in batch}
        ours = tx.members_to_upload(ids)
        cards = tx.cards_to_upload(ids)
        return UploadRequest(
            members=[MemberWire.of(m) for m in ours],
            cards=[CardWire(card_no=c.card_no, member_id=c.member_id, key_id=c.key_id,
                            payload=c.payload, issued_at=c.issued_at) for c in cards],
            entries=[EntryWire.of(e, device_seq=seq) for seq, e in batch])

    # -- download -----------------------------------------------------------------------
    def _pull(self) -> tuple[int, int]:
        with self.kiosk.store.read() as tx:
            cursor = int(tx.setting(CURSOR) or 0)
        pulled = 0
        while True:
            # Our own entries we have, with their seqs from the upload's answers.
            page = self.client.pull(cursor, self.page, skip_own=True)
            with self.kiosk.store.write() as tx:
                pulled += tx.apply_pulled(
                    [w.to_member() for w in page.members],
                    [CardRecord(c.card_no, c.member_id, c.key_id, c.payload, c.issued_at)
                     for c in page.cards],
                    [(w.to_entry(), w.seq or 0) for w in page.entries])
                tx.set_setting(CURSOR, str(page.next_after))
            cursor = page.next_after
            if not page.more:
                return pulled, cursor

    def _refresh_state(self) -> None:
        state = self.client.state()
        with self.kiosk.store.write() as tx:
            apply_state(tx, state, self.kiosk.clock())
        self.kiosk.reload()


def _worth_retrying(exc: BaseException) -> bool:
    """Every failed round is tried again, except a refusal (a person must act first: the
    loop retries it slowly) and an interpreter exit or Ctrl-C."""
    return isinstance(exc, Exception) and not isinstance(exc, LedgerRefused)


def _last_seq(request: UploadRequest) -> int:
    return request.entries[-1].device_seq or 0


def _independent(request: UploadRequest) -> bool:
    """Whether a batch may reach the ledger before the one sent just before it: only
    entries that add points, and no reversal (whose original may be in that batch)."""
    return all(e.points >= 0 and e.reverses is None for e in request.entries)


def apply_state(tx: Transaction, state: DeviceState, now: datetime) -> None:
    """Install the ledger's current program, certificates and revocations locally."""
    program = parse_program(state.program, format="json")
    if tx.setting("program_version") != program.version:
        tx.install_program(program.version, state.program, now)
    revoked = set(state.revoked_keys)
    for document in state.certificates:
        cert = DeviceCertificate.from_dict(document)
        tx.upsert_certificate(cert.key_id, json.dumps(cert.to_dict()), cert.key_id in revoked)
    for card_no in state.revoked_cards:
        tx.revoke_card(card_no, now)


def root_key(state: DeviceState) -> bytes:
    return key_from_text(state.root_public_key)

"""The kiosk's sync agent: uploads the outbox, pulls what other channels did, refreshes the
program and the trust store. Safe to kill at any instant: an upload whose answer was lost
is sent again and comes back as duplicates; the outbox is cleared only below the mark the
ledger confirmed; each pulled page and its cursor commit together."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypedDict

from pydantic import ValidationError
from tenacity import Retrying, retry_if_exception, stop_never, wait_random_exponential

from kiosk.cards import DeviceCertificate, key_from_text
from kiosk.ledger import Entry, EntryKind
from kiosk.program import parse_program
from kiosk.records import CardRecord, StorageError
from kiosk.services import Kiosk
from kiosk.services.context import LEDGER_TIME
from kiosk.services.ports import UnitOfWork
from sync.client import LedgerClient, LedgerRefused, LedgerUnavailable
from sync.protocol import (
    MAX_BATCH,
    CardWire,
    DeviceState,
    EntryWire,
    MemberWire,
    UploadRequest,
    UploadResponse,
    Withheld,
)

log = logging.getLogger(__name__)

UPLOAD_BATCH = MAX_BATCH  # the most the ledger takes in one request: fewer round trips
UPLOADS_IN_FLIGHT = 2  # one parsed by the ledger while its database writes the other
PULL_PAGE = 1000
HELD_BACK_SHOWN = 5
HELD_BACK_FOR = timedelta(days=7)  # the badge counts a week's; they stay in the store
CLOCK_WARNING = timedelta(minutes=2)
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
    held_back: int = 0  # entries the ledger refused or this kiosk held back, this week
    held_back_reasons: tuple[str, ...] = ()  # the latest few, for the sync detail
    clock_skew: timedelta | None = None  # the ledger's clock minus this device's

    @property
    def clock_off(self) -> bool:
        """Whether the device's clock is off by more than :data:`CLOCK_WARNING`: entries
        are dated by the ledger's time, but someone should set the clock right."""
        return self.clock_skew is not None and abs(self.clock_skew) > CLOCK_WARNING


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
        self.batch, self.page = batch, page
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
                        not in_flight or _independent(request, in_flight[-1][0],
                                                      self.kiosk.program.tiers[0].id)):
                    in_flight.append((request, sender.submit(self.client.upload, request)))
                    request = self._next_request(after=_last_seq(request))
                sent, answer = in_flight.popleft()
                try:
                    response = answer.result()
                except LedgerRefused as exc:
                    if exc.status != 422:
                        raise
                    self._settle(in_flight)
                    if exc.code == "unknown_member":
                        # The ledger lost a member this kiosk marked as sent (a restore
                        # from backup): send the batch's members and cards again.
                        with self.kiosk.store.write() as tx:
                            tx.outbox.mark_unsent({e.member_id for e in sent.entries})
                    elif exc.code == "invalid":
                        # A wire rule this kiosk's version doesn't know: find the entries
                        # it refuses and quarantine them, so nothing after them waits.
                        self._isolate(sent, exc)
                    else:
                        raise  # a refusal of the whole request: a person must act
                    request = self._next_request(after=0)
                    continue
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

    def _settle(self, in_flight: deque[tuple[UploadRequest, Future[UploadResponse]]]
                ) -> None:
        """Record the answers still coming for requests in flight, then forget them (the
        outbox is read again from the oldest entry, so one lost here is sent again)."""
        for later, pending in in_flight:
            with contextlib.suppress(LedgerRefused):
                self._acknowledge(later, pending.result())
        in_flight.clear()

    def _isolate(self, request: UploadRequest, refused: LedgerRefused) -> None:
        """Send the halves of a request the ledger refused whole, one at a time, down to
        the single entries it refuses; quarantine those with the ledger's words."""
        if "extra_forbidden" in str(refused):
            # A field the ledger doesn't know: it runs an older protocol than this kiosk
            # (upgrade the ledger first). That is no entry's fault; a person must act.
            raise refused
        if len(request.entries) <= 1:
            with self.kiosk.store.write() as tx:
                tx.outbox.quarantine([(e.id, f"the ledger refused it: {refused}")
                               for e in request.entries], self.kiosk.clock())
            return
        middle = len(request.entries) // 2
        for half in (request.entries[:middle], request.entries[middle:]):
            part = _part(request, half)
            try:
                self._acknowledge(part, self.client.upload(part))
            except LedgerRefused as exc:
                if exc.status != 422:
                    raise
                self._isolate(part, exc)

    def _next_request(self, after: int) -> UploadRequest | None:
        """The outbox's next batch above device seq ``after``; None when there is none.
        Entries that can't go on the wire are quarantined on the way (kept here with the
        reason, their numbers sent as withheld), so they never hold the others back."""
        with self.kiosk.store.read() as tx:
            batch = tx.outbox.batch(self.batch, after=after)
            if not batch:
                return None
            request, unsendable = self._request(tx, batch)
        if not unsendable:
            return request
        with self.kiosk.store.write() as tx:
            tx.outbox.quarantine(unsendable, self.kiosk.clock())
        return self._next_request(after)

    def _acknowledge(self, request: UploadRequest, response: UploadResponse) -> int:
        """Record the ledger's answer; returns how many outbox rows it cleared."""
        synced = [(r.id, r.seq) for r in response.results
                  if r.status in ("accepted", "duplicate") and r.seq is not None]
        refused = [(r.id, r.reason or "rejected") for r in response.results
                   if r.status == "rejected"]
        with self.kiosk.store.write() as tx:
            # An answer means the ledger committed the request's members and cards.
            tx.outbox.mark_on_ledger([w.id for w in request.members],
                              [w.card_no for w in request.cards])
            return tx.outbox.acknowledge(synced, refused, response.acked_through,
                                             self.kiosk.clock())

    def _request(self, tx: UnitOfWork, batch: list[tuple[int, Entry]]
                 ) -> tuple[UploadRequest, list[tuple[uuid.UUID, str]]]:
        """The upload of ``batch``, and the entries of it that can't be sent (the wire's
        rules refuse them, or their member or card): (entry id, why)."""
        quarantined = tx.outbox.quarantined([e.id for _, e in batch])
        unsendable: list[tuple[uuid.UUID, str]] = []
        members: list[MemberWire] = []
        cards: list[CardWire] = []
        broken: dict[uuid.UUID, str] = {}  # member id -> why its records can't go
        ids = {e.member_id for _, e in batch}
        for m in tx.members.to_upload(ids):
            try:
                members.append(MemberWire.of(m))
            except ValidationError as exc:
                broken[m.id] = f"the member's record can't be sent: {_why(exc)}"
        for c in tx.cards.to_upload(ids):
            try:
                cards.append(CardWire(card_no=c.card_no, member_id=c.member_id,
                                      key_id=c.key_id, payload=c.payload,
                                      issued_at=c.issued_at))
            except ValidationError as exc:
                broken.setdefault(c.member_id, f"the member's card can't be sent: {_why(exc)}")
        entries: list[EntryWire] = []
        withheld: list[Withheld] = []
        for seq, e in batch:
            if e.id in quarantined:
                withheld.append(Withheld(device_seq=seq, entry_id=e.id,
                                         reason=quarantined[e.id][:500]))
                continue
            if e.member_id in broken:
                unsendable.append((e.id, broken[e.member_id]))
                continue
            try:
                entries.append(EntryWire.of(e, device_seq=seq))
            except ValidationError as exc:
                unsendable.append((e.id, f"it can't be sent: {_why(exc)}"))
        return UploadRequest(members=[w for w in members if w.id not in broken],
                             cards=[c for c in cards if c.member_id not in broken],
                             entries=entries, withheld=withheld), unsendable

    # -- download -----------------------------------------------------------------------
    def _pull(self) -> tuple[int, int]:
        with self.kiosk.store.read() as tx:
            cursor = int(tx.settings.get(CURSOR) or 0)
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
            apply_state(tx, state, clock(), kept)
        if skew is not None:
            self._set(clock_skew=skew)
        self.kiosk.reload()


def _worth_retrying(exc: BaseException) -> bool:
    """Every failed round is tried again, except a refusal (a person must act first: the
    loop retries it slowly) and an interpreter exit or Ctrl-C."""
    return isinstance(exc, Exception) and not isinstance(exc, LedgerRefused)


def _last_seq(request: UploadRequest) -> int:
    return max([e.device_seq or 0 for e in request.entries[-1:]]
               + [w.device_seq for w in request.withheld[-1:]])


def _independent(request: UploadRequest, before: UploadRequest, base_tier: str) -> bool:
    """Whether a batch may reach the ledger before the batch ``before`` it: only entries
    that add points, no reversal (whose original may be in that batch), and no tier above
    the first claimed for a member who buys in that batch (the ledger checks a claim
    against the spend it knows, which may be that batch's)."""
    buyers = {e.member_id for e in before.entries if e.kind is EntryKind.EARN}
    return all(e.points >= 0 and e.reverses is None
               and (e.tier in (None, base_tier) or e.member_id not in buyers)
               for e in request.entries)


def _part(request: UploadRequest, entries: list[EntryWire]) -> UploadRequest:
    """The request for some of ``request``'s entries, with the members and cards they
    need (the withheld numbers go with every part: the ledger keeps the first)."""
    members = {e.member_id for e in entries}
    return UploadRequest(members=[m for m in request.members if m.id in members],
                         cards=[c for c in request.cards if c.member_id in members],
                         entries=entries, withheld=request.withheld)


def _why(exc: ValidationError) -> str:
    """The wire's refusal in plain words (the manager reads it on the sync detail)."""
    def said(err: Any) -> str:
        if err["type"] == "string_pattern_mismatch":  # the wire's text rules (kiosk/limits)
            return "has a control character (an invisible code such as NUL)"
        return str(err["msg"])
    return "; ".join(f"{'.'.join(str(p) for p in err['loc'])} {said(err)}"
                     for err in exc.errors(include_url=False))[:400]


def read_state(client: LedgerClient, device_clock: Callable[[], datetime]
               ) -> tuple[DeviceState, timedelta | None]:
    """The ledger's state, and how far its clock is ahead of ``device_clock`` (taken as
    read halfway through the request; None from a ledger that doesn't say)."""
    asked = device_clock()
    state = client.state()
    answered = device_clock()
    if state.ledger_time is None:
        return state, None
    return state, state.ledger_time - (asked + (answered - asked) / 2)


def apply_state(tx: UnitOfWork, state: DeviceState, now: datetime,
                ledger_time: str | None = None) -> None:
    """Install the ledger's current program, certificates and revocations locally, and
    the ledger's clock as read (``LedgerClock.correct``), which dates the kiosk's entries."""
    if ledger_time is not None:
        tx.settings.set(LEDGER_TIME, ledger_time)
    program = parse_program(state.program, format="json")
    if tx.settings.get("program_version") != program.version:
        tx.settings.install_program(program.version, state.program, now)
    revoked = set(state.revoked_keys)
    for document in state.certificates:
        cert = DeviceCertificate.from_dict(document)
        tx.trust.upsert_certificate(cert.key_id, json.dumps(cert.to_dict()), cert.key_id in revoked)
    for card_no in state.revoked_cards:
        tx.trust.revoke_card(card_no, now)


def root_key(state: DeviceState) -> bytes:
    return key_from_text(state.root_public_key)

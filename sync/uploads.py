"""The upload half of a sync round: the outbox goes up in batches (two in flight when the
later can't depend on the earlier), the ledger's answers clear it below the mark it
confirmed, and entries that can't go on the wire are quarantined so nothing after them
waits."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime

from pydantic import ValidationError

from kiosk.ledger import Entry, EntryKind
from kiosk.services import Kiosk
from kiosk.services.ports import UnitOfWork
from sync.client import LedgerClient, LedgerRefused, LedgerUnavailable
from sync.late_uploads import SPLIT, upload_orders, upload_refunds, upload_revocations
from sync.late_uploads import why as _why
from sync.protocol import (
    MAX_BATCH,
    CardWire,
    EntryWire,
    MemberWire,
    OrderWire,
    UploadRequest,
    UploadResponse,
    Withheld,
)
from sync.wire_orders import RefundWire

UPLOAD_BATCH = MAX_BATCH  # the most the ledger takes in one request: fewer round trips
ORDER_TAIL = 64  # entries past a batch's size that finish its last order
UPLOADS_IN_FLIGHT = 2  # one parsed by the ledger while its database writes the other

Gaps = tuple[tuple[int, int], ...]
log = logging.getLogger(__name__)


class Uploader:
    """Sends a kiosk's outbox to its ledger; the sync agent runs it once a round."""

    def __init__(self, kiosk: Kiosk, client: LedgerClient, batch: int = UPLOAD_BATCH,
                 on_gaps: Callable[[Gaps], None] = lambda _gaps: None) -> None:
        self.kiosk, self.client, self.batch = kiosk, client, batch
        self.on_gaps = on_gaps
        self.cancelled_cards = False  # this round sent cards cancelled here
        """Told the numbers the ledger says it is missing, with every answer."""

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
                        not in_flight or independent(request, in_flight[-1][0],
                                                     self.kiosk.program.tiers[0].id)):
                    in_flight.append((request, sender.submit(self.client.upload, request)))
                    request = self._next_request(after=_last_seq(request))
                sent, answer = in_flight.popleft()
                try:
                    response = answer.result()
                except LedgerRefused as exc:
                    if exc.status not in (SPLIT, 422):
                        raise
                    self._settle(in_flight)
                    if exc.code == "unknown_member":
                        # The ledger lost a member this kiosk marked as sent (a restore
                        # from backup): send the batch's members and cards again.
                        with self.kiosk.store.write() as tx:
                            tx.outbox.mark_unsent({e.member_id for e in sent.entries})
                    elif exc.status == SPLIT or exc.code in ("invalid", "order_conflict"):
                        # A wire rule this kiosk's version doesn't know, or an order the
                        # ledger holds with other content (a kiosk restored from an old
                        # backup re-used its ref): find the entries it refuses and
                        # quarantine them, so nothing after them waits. Too large a
                        # body (a batch of big baskets' orders) goes up in halves.
                        self._isolate(sent, exc)
                    else:
                        raise  # a refusal of the whole request: a person must act
                    request = self._next_request(after=0)
                    continue
                cleared = self._acknowledge(sent, response)
                for r in response.results:
                    counts[r.status] += 1
                mark = max(mark, response.acked_through)
                self.on_gaps(tuple(response.gaps))
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
        upload_orders(self.kiosk, self.client)
        upload_refunds(self.kiosk, self.client)
        if upload_revocations(self.kiosk, self.client):
            self.cancelled_cards = True
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
            if refused.status == SPLIT:
                raise refused  # one entry and its order can't pass the limit: a bug
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
                if exc.status not in (SPLIT, 422):
                    raise
                self._isolate(part, exc)

    def _next_request(self, after: int) -> UploadRequest | None:
        """The outbox's next batch above device seq ``after``; None when there is none.
        Entries that can't go on the wire are quarantined on the way (kept here with the
        reason, their numbers sent as withheld), so they never hold the others back."""
        with self.kiosk.store.read() as tx:
            batch = _whole_orders(tx.outbox.batch(self.batch + ORDER_TAIL, after=after),
                                  self.batch)
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
            tx.orders.mark_on_ledger([w.key for w in request.orders])
            tx.refunds.mark_on_ledger([w.id for w in request.refunds])
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
        broken_order: dict[tuple[str, str | None], str] = {}
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
        orders: dict[tuple[str, str], OrderWire] = {}
        channel = self.kiosk.channel
        for record in tx.orders.to_upload({(e.channel, e.order_ref) for _, e in batch
                                           if e.order_ref and e.channel == channel}):
            try:
                orders[record.key] = OrderWire.of(record)
            except ValidationError as exc:
                broken_order[record.key] = f"its order can't be sent: {_why(exc)}"
        refunds: list[RefundWire] = []
        broken_refund: dict[tuple[str, str | None, datetime], str] = {}  # its reversals
        for refund in tx.refunds.to_upload({(e.channel, e.order_ref) for _, e in batch
                                            if e.order_ref and e.channel == channel
                                            and e.reverses is not None}):
            try:
                refunds.append(RefundWire.of(refund))
            except ValidationError as exc:  # its reversals were made with it, at its time
                broken_refund[refund.channel, refund.order_ref, refund.occurred_at] = (
                    f"its refund can't be sent: {_why(exc)}")
        entries: list[EntryWire] = []
        withheld: list[Withheld] = []
        for seq, e in batch:
            if e.id in quarantined:
                withheld.append(_withheld(seq, e.id, quarantined[e.id]))
                continue
            if e.member_id in broken:
                unsendable.append((e.id, broken[e.member_id]))
                continue
            if (e.channel, e.order_ref) in broken_order:
                unsendable.append((e.id, broken_order[e.channel, e.order_ref]))
                continue
            if e.reverses is not None and (e.channel, e.order_ref, e.occurred_at) in broken_refund:
                unsendable.append((e.id, broken_refund[e.channel, e.order_ref, e.occurred_at]))
                continue
            try:
                entries.append(EntryWire.of(e, device_seq=seq))
            except ValidationError as exc:
                unsendable.append((e.id, f"it can't be sent: {_why(exc)}"))
        return UploadRequest(members=[w for w in members if w.id not in broken],
                             cards=[c for c in cards if c.member_id not in broken],
                             entries=entries, withheld=withheld,
                             orders=list(orders.values()), refunds=refunds), unsendable


def _withheld(seq: int, entry_id: uuid.UUID, reason: str) -> Withheld:
    """An entry kept back, as its number goes up: with its reason, or a plain one if that
    can't go on the wire (a control character a ledger's refusal echoed); the kiosk
    keeps the words it has."""
    try:
        return Withheld(device_seq=seq, entry_id=entry_id, reason=reason[:500])
    except ValidationError:
        return Withheld(device_seq=seq, entry_id=entry_id,
                        reason="kept back at the kiosk (its reason can't go on the wire)")


def _last_seq(request: UploadRequest) -> int:
    return max([e.device_seq or 0 for e in request.entries[-1:]]
               + [w.device_seq for w in request.withheld[-1:]])


def order_cut(orders: Sequence[tuple[str, str | None]], size: int) -> int:
    """Where a batch of these entries' (channel, order ref) ends: after the first ``size``
    and the rest of the last one's order. An order's entries go up together (its other
    awards stand only with its earn, and a full card's coupon with its stamp entry), unless
    one order alone makes more than are given."""
    end = min(size, len(orders))
    if 0 < end < len(orders) and orders[end - 1][1] is not None:
        while end < len(orders) and orders[end] == orders[end - 1]:
            end += 1
    return end


def _whole_orders(rows: list[tuple[int, Entry]], size: int) -> list[tuple[int, Entry]]:
    """The outbox's first ``size`` rows and the rest of the last one's order (of the
    ORDER_TAIL more read)."""
    return rows[:order_cut([(e.channel, e.order_ref) for _, e in rows], size)]


def independent(request: UploadRequest, before: UploadRequest, base_tier: str) -> bool:
    """Whether a batch may reach the ledger before the batch ``before`` it: only entries
    that add points, no reversal (whose original may be in that batch), no tier above
    the first claimed for a member who buys in that batch (the ledger checks a claim
    against the spend it knows, which may be that batch's), and no other award of an
    order whose earn is in that batch (it stands only with its earn)."""
    buyers = {e.member_id for e in before.entries if e.kind is EntryKind.EARN}
    earned = {(e.channel, e.order_ref) for e in before.entries
              if e.kind is EntryKind.EARN and e.order_ref is not None}
    return all(e.points >= 0 and e.reverses is None
               and (e.tier in (None, base_tier) or e.member_id not in buyers)
               and (e.order_ref is None or (e.channel, e.order_ref) not in earned)
               for e in request.entries)


def _part(request: UploadRequest, entries: list[EntryWire]) -> UploadRequest:
    """The request for some of ``request``'s entries, with the members and cards they
    need (the withheld numbers go with every part: the ledger keeps the first)."""
    members = {e.member_id for e in entries}
    orders = {(e.channel, e.order_ref) for e in entries}
    return UploadRequest(members=[m for m in request.members if m.id in members],
                         cards=[c for c in request.cards if c.member_id in members],
                         entries=entries, withheld=request.withheld,
                         orders=[o for o in request.orders if o.key in orders],
                         refunds=[r for r in request.refunds if r.key in orders])

"""The uploads after the outbox: orders and refunds no entry carried up, and the cards
this kiosk cancelled. Each is sent, or left out with a log line when it can't go on the
wire or the ledger refuses it (orders and refunds stay in the store; cancelled cards go
again next round): none may hold the next ones or the pull back (no poison pill)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import ValidationError

from kiosk.services import Kiosk
from kiosk.services.ports import UnitOfWork
from sync.client import LedgerClient, LedgerRefused
from sync.protocol import CardWire, MemberWire, OrderWire, RevocationWire, UploadRequest
from sync.wire_orders import RefundWire
from sync.wire_types import PATTERN_MEANS

ORDERS_BATCH = 20  # orders without entries per request: 500 lines each stays under 4 MB
REVOCATIONS_BATCH = 100  # members' cancelled cards per request, each with their cards
SPLIT = 413  # a body over the ledger's limit: sent again in halves (never a poison pill)

log = logging.getLogger(__name__)
W = TypeVar("W", OrderWire, RefundWire)


def upload_orders(kiosk: Kiosk, client: LedgerClient) -> None:
    """Orders no entry carried up: non-member sales (recorded for the reports), and
    orders whose entries were kept back. They go once the outbox is through, so an
    order with entries always travels with them."""
    while True:
        with kiosk.store.read() as tx:
            records = tx.orders.unsent(ORDERS_BATCH)
        if not records:
            return
        wires: list[OrderWire] = []
        for record in records:
            try:
                wires.append(OrderWire.of(record))
            except ValidationError as exc:
                log.warning("order %s can't be sent: %s", record.key, why(exc))
        _send(client, wires, lambda some: UploadRequest(entries=[], orders=some),
              lambda wire: f"order {wire.key}")
        # Sent, or never sendable: either way it must not hold the next ones back (it
        # stays in this kiosk's store, and the log says why).
        with kiosk.store.write() as tx:
            tx.orders.mark_on_ledger([r.key for r in records])


def upload_refunds(kiosk: Kiosk, client: LedgerClient) -> None:
    """Refunds no reversal carried up (one whose lines undid no points, or whose
    reversals were kept back): after the orders, so the ledger holds each one's order.
    The ledger keeps a refund of its order or leaves it out; one that can't go on the
    wire (dated by a clock that read 3001) or that the ledger refuses anyway (a rule of
    another version) is left out with a log line: none may hold the next ones back."""
    while True:
        with kiosk.store.read() as tx:
            refunds = tx.refunds.unsent(ORDERS_BATCH)
        if not refunds:
            return
        wires: list[RefundWire] = []
        for refund in refunds:
            try:
                wires.append(RefundWire.of(refund))
            except ValidationError as exc:
                log.warning("refund %s of order %s can't be sent: %s", refund.id,
                            refund.order_ref, why(exc))
        _send(client, wires, lambda some: UploadRequest(entries=[], refunds=some),
              lambda wire: f"refund {wire.id} of order {wire.order_ref}")
        # Sent, or never sendable: as orders (it stays here, and the log says why).
        with kiosk.store.write() as tx:
            tx.refunds.mark_on_ledger([r.id for r in refunds])


def upload_revocations(kiosk: Kiosk, client: LedgerClient) -> bool:
    """Cards this kiosk cancelled (a lost card replaced), with the members' new cards:
    the ledger tells every other kiosk. Once the outbox is through, like orders, in
    requests the wire allows; one the ledger refuses, or whose member's record can't go
    on the wire, stays here and goes again next round (the pull is never held up by
    it). Returns whether any went up."""
    with kiosk.store.read() as tx:
        revoked = tx.trust.unsent_revocations()
    sent = False
    for start in range(0, len(revoked), REVOCATIONS_BATCH):
        part = revoked[start:start + REVOCATIONS_BATCH]
        owners = {member for _, member, _ in part}
        with kiosk.store.read() as tx:
            members, cards, broken = _owners(tx, owners)
        for no, member, _ in part:
            if member in broken:
                log.warning("cancelled card %s waits here: %s", no, broken[member])
        part = [r for r in part if r[1] not in broken]
        if not part:
            continue
        request = UploadRequest(entries=[], members=members, cards=cards, revoked_cards=[
            RevocationWire(card_no=no, member_id=member, revoked_at=at)
            for no, member, at in part])
        try:
            client.upload(request)
        except LedgerRefused as exc:
            if exc.status not in (SPLIT, 422):
                raise
            log.warning("the ledger refused the cancelled cards %s: %s; sent again next "
                        "round", [no for no, _, _ in part], exc)
            continue
        with kiosk.store.write() as tx:
            tx.outbox.mark_on_ledger([w.id for w in members], [c.card_no for c in cards])
            tx.trust.mark_revocations_sent([no for no, _, _ in part])
        sent = True
    return sent


def _owners(tx: UnitOfWork, owners: set[uuid.UUID]
            ) -> tuple[list[MemberWire], list[CardWire], dict[uuid.UUID, str]]:
    """What the ledger needs with cards cancelled here: their members' records if not
    sent yet, and each one's replacement (no more: an older card it never got is
    cancelled by its number); and the members whose record or card can't go on the
    wire, with why (their cancelled cards wait: no poison pill)."""
    members: list[MemberWire] = []
    broken: dict[uuid.UUID, str] = {}
    for m in tx.members.to_upload(owners):
        try:
            members.append(MemberWire.of(m))
        except ValidationError as exc:
            broken[m.id] = f"the member's record can't be sent: {why(exc)}"
    newest = {}
    for card in sorted(tx.cards.of_members(owners), key=lambda c: c.issued_at):
        newest[card.member_id] = card
    cards: list[CardWire] = []
    for c in newest.values():
        try:
            cards.append(CardWire(card_no=c.card_no, member_id=c.member_id,
                                  key_id=c.key_id, payload=c.payload,
                                  issued_at=c.issued_at))
        except ValidationError as exc:
            broken.setdefault(c.member_id, f"the member's card can't be sent: {why(exc)}")
    return ([m for m in members if m.id not in broken],
            [c for c in cards if c.member_id not in broken], broken)


def why(exc: ValidationError) -> str:
    """The wire's refusal in plain words (the manager reads it on the sync detail): a
    pattern's by what that pattern means (``PATTERN_MEANS``, the API's own words), not
    every one as a control character."""
    def said(err: Any) -> str:
        if err["type"] == "string_pattern_mismatch":
            pattern = str((err.get("ctx") or {}).get("pattern"))
            return PATTERN_MEANS.get(pattern, "not in a form the wire takes")
        return str(err["msg"])
    return "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {said(err)}"
                     for err in exc.errors(include_url=False))[:400]


def _send(client: LedgerClient, wires: list[W], request: Callable[[list[W]], UploadRequest],
          name: Callable[[W], str]) -> None:
    """``wires`` in one request; if the ledger refuses it as too big or invalid, one by
    one, so that only what it refuses is left out (with a log line naming it)."""
    try:
        client.upload(request(wires))
    except LedgerRefused as exc:
        if exc.status not in (SPLIT, 422):
            raise
        for wire in wires:
            try:
                client.upload(request([wire]))
            except LedgerRefused as one:
                if one.status not in (SPLIT, 422):
                    raise
                log.warning("the ledger refused %s: %s", name(wire), one)

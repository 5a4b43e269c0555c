"""Online redemption for a paired kiosk: the ledger holds the points before the counter
commits the redemption (see kiosk/services/redemption.py for the order of steps)."""

from __future__ import annotations

import uuid
from contextlib import suppress

from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from kiosk.engine.orders import CouponIssue
from kiosk.ledger import Entry
from kiosk.records import KeptCoupon
from kiosk.services.checkout import CouponRefused
from kiosk.services.errors import NotEnoughPoints, UnknownMember
from kiosk.services.transfers import TransferNotSent
from sync.agent import SyncAgent
from sync.client import LedgerClient, LedgerRefused, LedgerUnavailable
from sync.protocol import EntryWire
from sync.wire_holds import CheckoutHoldRequest, CheckoutRef, TransferRequest

ONLINE_TIMEOUT = (1.5, 4.0)  # a cashier waits this long at most before offline rules apply
# A transfer whose answer doesn't come is asked again under its id, while the cashier waits.
TRANSFER_TRIES = stop_after_attempt(3) | stop_after_delay(6)
TRANSFER_PAUSE = wait_random_exponential(multiplier=0.2, max=1)


class LedgerAuthoriser:
    def __init__(self, agent: SyncAgent, hold_seconds: int = 120) -> None:
        self.agent, self.hold_seconds = agent, hold_seconds

    @property
    def client(self) -> LedgerClient:
        return self.agent.client

    def reserve(self, entry: Entry) -> None:
        # What this kiosk earned offline must reach the ledger before it can be spent
        # there; the upload is idempotent, so racing the background agent is harmless.
        self.agent.upload()
        try:
            self.client.reserve(EntryWire.of(entry), self.hold_seconds)
        except LedgerRefused as exc:
            if exc.code == "not_enough_points":
                raise NotEnoughPoints(f"the ledger declined: {exc}") from None
            if exc.code == "unknown_member":
                raise UnknownMember("the ledger does not know this member yet") from None
            raise

    def confirm(self, entry: Entry) -> None:
        # Best effort: failing that, the outbox uploads the entry, which consumes the hold.
        with suppress(LedgerUnavailable, LedgerRefused):
            self.client.confirm(entry.id)

    def void(self, entry: Entry) -> None:
        # Best effort: failing that, an unconfirmed hold expires by itself.
        with suppress(LedgerUnavailable, LedgerRefused):
            self.client.void(entry.id)

    def transfer(self, transfer_id: uuid.UUID, giver: uuid.UUID, receiver: uuid.UUID,
                 points: int) -> list[tuple[Entry, int]]:
        """The ledger's transfer ``transfer_id``, asked again under the same id when the
        answer doesn't come (:data:`TRANSFER_TRIES`): the ledger makes it once and answers
        a retry with it. TransferNotSent when no request reached it; LedgerUnavailable
        when one may have (the caller can't tell whether the points moved)."""
        try:
            self.agent.upload()  # what the giver earned here, there first
        except LedgerUnavailable as exc:
            raise TransferNotSent(str(exc)) from exc
        request = TransferRequest(id=transfer_id, from_member=giver, to_member=receiver,
                                  points=points)
        sent = False
        try:
            for attempt in Retrying(retry=retry_if_exception_type(LedgerUnavailable),
                                    stop=TRANSFER_TRIES, wait=TRANSFER_PAUSE, reraise=True):
                with attempt:
                    try:
                        result = self.client.transfer(request)
                    except LedgerUnavailable as exc:
                        sent = sent or not _never_sent(exc)
                        raise
        except LedgerUnavailable as exc:
            if not sent:
                raise TransferNotSent(str(exc)) from exc
            raise
        except LedgerRefused as exc:
            if exc.code == "not_enough_points":
                raise NotEnoughPoints(f"the ledger declined: {exc}") from None
            if exc.code == "unknown_member":
                raise UnknownMember("the ledger does not know this member yet") from None
            raise
        return [(w.to_entry(), w.seq or 0) for w in result.entries]

    def find_coupon(self, member_id: uuid.UUID, coupon_id: uuid.UUID) -> KeptCoupon | None:
        # LedgerUnavailable is Unreachable: offline, the kiosk's own coupons only.
        found = next((c for c in self.client.member_coupons(member_id) if c.id == coupon_id),
                     None)
        if found is None:
            return None
        if found.voided_at is not None:
            raise CouponRefused("this coupon was withdrawn when the order that issued it was "
                                "refunded", "withdrawn")
        return KeptCoupon(member_id, CouponIssue(found.rule, f"ledger:{found.id}",
                                                 found.valid_from, found.expires_at),
                          found.used_order_ref)

    def hold_checkout(self, member_id: uuid.UUID, order_ref: str, entry: Entry | None,
                      coupon_ids: tuple[uuid.UUID, ...]) -> None:
        self.agent.upload()  # as for a redemption: what was earned here, there first
        try:
            self.client.hold_checkout(CheckoutHoldRequest(
                member_id=member_id, order_ref=order_ref,
                entry=None if entry is None else EntryWire.of(entry),
                coupon_ids=list(coupon_ids), hold_seconds=self.hold_seconds))
        except LedgerRefused as exc:
            if exc.code == "not_enough_points":
                raise NotEnoughPoints(f"the ledger declined: {exc}") from None
            if exc.code == "unknown_member":
                raise UnknownMember("the ledger does not know this member yet") from None
            if exc.code.startswith("coupon_") or exc.code == "unknown_coupon":
                reason = {"coupon_used": "used", "coupon_held": "used", "coupon_void":
                          "withdrawn", "coupon_not_members": "other_member"}.get(exc.code,
                                                                                 "unknown")
                raise CouponRefused(f"the ledger declined the coupon: {exc}", reason) from None
            raise

    def confirm_checkout(self, order_ref: str, entry: Entry | None,
                         coupon_ids: tuple[uuid.UUID, ...]) -> None:
        # Best effort: failing that, the order's upload spends the points and the coupon.
        with suppress(LedgerUnavailable, LedgerRefused):
            self.client.confirm_checkout(self._ref(order_ref, entry, coupon_ids))

    def release_checkout(self, order_ref: str, entry: Entry | None,
                         coupon_ids: tuple[uuid.UUID, ...]) -> None:
        # Best effort: failing that, the hold lapses by itself.
        with suppress(LedgerUnavailable, LedgerRefused):
            self.client.release_checkout(self._ref(order_ref, entry, coupon_ids))

    @staticmethod
    def _ref(order_ref: str, entry: Entry | None, coupon_ids: tuple[uuid.UUID, ...]
             ) -> CheckoutRef:
        return CheckoutRef(order_ref=order_ref, entry_id=None if entry is None else entry.id,
                           coupon_ids=list(coupon_ids))


def _never_sent(exc: LedgerUnavailable) -> bool:
    """Whether the request surely never reached the ledger: no connection was made. A
    reset, a timeout waiting for the answer or a 5xx may come after the ledger committed."""
    import requests
    from urllib3.exceptions import NewConnectionError

    cause = exc.__cause__
    if isinstance(cause, requests.ConnectTimeout):
        return True
    if isinstance(cause, requests.ConnectionError) and cause.args:
        return isinstance(getattr(cause.args[0], "reason", None), NewConnectionError)
    return False

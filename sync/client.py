"""The kiosk's (and the shop's) HTTP client for the ledger. Every request has a timeout
(requests has none by default); failures come back as two kinds: the ledger can't be
reached now (retry later) or it refused the request (don't retry the same thing).

Bodies both ways are the server's own models (``sync/protocol.py``, ``sync/wire_*.py``):
a request the wire types refuse is refused here as the ledger would (422), before anything
is sent."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, RootModel, ValidationError

from sync.errors import LedgerRefused as LedgerRefused  # where callers catch them
from sync.errors import LedgerUnavailable as LedgerUnavailable
from sync.protocol import (
    BalanceResponse,
    CouponWire,
    DeviceState,
    EntryResult,
    EntryWire,
    Health,
    PairRequest,
    PairResponse,
    PullResponse,
    UploadRequest,
    UploadResponse,
)
from sync.wire_holds import (
    CheckoutHold,
    CheckoutHoldRequest,
    CheckoutRef,
    Hold,
    HoldRequest,
    TransferRequest,
    TransferResult,
)
from sync.wire_shop import (
    CodeQuantity,
    MemberHistory,
    MemberSearch,
    OrderLineWire,
    OrderRequest,
    OrderResult,
    RefundRequest,
    ShopCardRequest,
    ShopCardResult,
)
from sync.wire_types import PATTERN_MEANS, Wire

if TYPE_CHECKING:
    import requests

T = TypeVar("T", bound=BaseModel)


class CouponList(RootModel[list[CouponWire]]):
    """The answer of ``GET /v1/members/{id}/coupons``."""
_JSON = {"Content-Type": "application/json"}

TIMEOUT = (3.05, 30.0)  # connect, read


class LedgerClient:
    def __init__(self, base_url: str, token: str, *,
                 timeout: tuple[float, float] = TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._token = token
        self._session: requests.Session | None = None
        self._lock = threading.Lock()

    @property
    def session(self) -> requests.Session:
        """Made at the first call: importing requests takes ~0.1 s, which the counter
        should not spend before its first paint (its first call is on the sync thread)."""
        with self._lock:
            if self._session is None:
                import requests

                self._session = requests.Session()
                self._session.headers["Authorization"] = f"Bearer {self._token}"
            return self._session

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()

    def _call(self, method: str, path: str, model: type[T], payload: Wire | None = None,
              **kwargs: Any) -> T:
        """``method`` on ``path`` with ``payload`` as its JSON body; the answer read as
        ``model``."""
        import requests  # already imported by ``session``: a dictionary look-up

        if payload is not None:
            kwargs.update(data=payload.model_dump_json(), headers=_JSON)
        try:
            response = self.session.request(method, self.base_url + path,
                                            timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise LedgerUnavailable(f"ledger not reachable: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise LedgerUnavailable(f"ledger answered {response.status_code}")
        if response.status_code >= 400:
            try:
                body = response.json()
                code, message = str(body.get("code", "refused")), str(
                    body.get("message") or _problems(body.get("detail")) or "refused")
            except (ValueError, AttributeError):  # not JSON, or not an object
                code, message = "refused", response.text[:200]
            raise LedgerRefused(response.status_code, code, message)
        try:
            # A newer ledger's answer may carry fields this kiosk doesn't know: read what
            # it knows (what a kiosk *sends* is held to the schema, by the ledger).
            return model.model_validate_json(response.content, extra="ignore")
        except ValueError as exc:
            # A proxy or a half-read body: not the ledger's answer, so not final.
            raise LedgerUnavailable(f"unreadable answer from the ledger: {exc}") from exc

    def health(self) -> dict[str, str]:
        return self._call("GET", "/v1/health", Health).model_dump()

    def pair(self, public_key: str, store_name: str | None = None) -> PairResponse:
        with _refused_as_invalid():
            body = PairRequest(public_key=public_key, store_name=store_name)
        return self._call("POST", "/v1/pair", PairResponse, body)

    def state(self) -> DeviceState:
        """The ledger's state, with the program versions announced to take effect later."""
        return self._call("GET", "/v1/state", DeviceState, params={"announced": "true"})

    def upload(self, request: UploadRequest) -> UploadResponse:
        return self._call("POST", "/v1/upload", UploadResponse, request)

    def pull(self, after: int, limit: int, *, skip_own: bool = False) -> PullResponse:
        params: dict[str, object] = {"after": after, "limit": limit, "staff": "true"}
        if skip_own:
            params["skip_own"] = "true"
        return self._call("GET", "/v1/entries", PullResponse, params=params)

    def balance(self, member_id: uuid.UUID) -> int:
        return self._call("GET", f"/v1/members/{member_id}/balance", BalanceResponse).balance

    def reserve(self, entry: EntryWire, hold_seconds: int = 120) -> Hold:
        with _refused_as_invalid():
            body = HoldRequest(entry=entry, hold_seconds=hold_seconds)
        return self._call("POST", "/v1/redemptions", Hold, body)

    def confirm(self, hold_id: uuid.UUID) -> EntryResult:
        return self._call("POST", f"/v1/redemptions/{hold_id}/confirm", EntryResult)

    def void(self, hold_id: uuid.UUID) -> Hold:
        return self._call("POST", f"/v1/redemptions/{hold_id}/void", Hold)

    def member_coupons(self, member_id: uuid.UUID) -> list[CouponWire]:
        return self._call("GET", f"/v1/members/{member_id}/coupons", CouponList).root

    def transfer(self, request: TransferRequest) -> TransferResult:
        return self._call("POST", "/v1/transfers", TransferResult, request)

    def hold_checkout(self, request: CheckoutHoldRequest) -> CheckoutHold:
        return self._call("POST", "/v1/checkouts", CheckoutHold, request)

    def confirm_checkout(self, ref: CheckoutRef) -> CheckoutHold:
        return self._call("POST", "/v1/checkouts/confirm", CheckoutHold, ref)

    def release_checkout(self, ref: CheckoutRef) -> CheckoutHold:
        return self._call("POST", "/v1/checkouts/release", CheckoutHold, ref)

    def order(self, member_id: uuid.UUID, amount_minor: int, order_ref: str,
              lines: Sequence[OrderLineWire] = (), *, reward_id: str | None = None,
              coupon_id: uuid.UUID | None = None, points: int = 0) -> OrderResult:
        """A shop order, with what its loyalty pays (a reward, a coupon, points)."""
        with _refused_as_invalid():
            body = OrderRequest(member_id=member_id, amount_minor=amount_minor,
                                order_ref=order_ref, lines=list(lines), reward_id=reward_id,
                                coupon_id=coupon_id, points=points)
        return self._call("POST", "/v1/shop/orders", OrderResult, body)

    def refund(self, order_ref: str, lines: Sequence[tuple[str, int]] = ()) -> OrderResult:
        """The whole order, or ``lines`` (code, quantity)."""
        with _refused_as_invalid():
            body = RefundRequest(order_ref=order_ref, lines=[
                CodeQuantity(code=code, quantity=quantity) for code, quantity in lines])
        return self._call("POST", "/v1/shop/refunds", OrderResult, body)

    def member(self, member_id: uuid.UUID, limit: int = 50) -> MemberHistory:
        return self._call("GET", f"/v1/members/{member_id}", MemberHistory,
                          params={"limit": limit, "staff": "true"})

    def find_members(self, phone: str) -> list[uuid.UUID]:
        """The members with this phone number, however it is written (the shop's call)."""
        return self._call("GET", "/v1/members", MemberSearch, params={"phone": phone}
                          ).member_ids

    def reissue_card(self, member_id: uuid.UUID, request_id: str) -> ShopCardResult:
        """Replace a member's lost card (the shop's call); a retry under ``request_id``
        answers the same card."""
        with _refused_as_invalid():
            body = ShopCardRequest(member_id=member_id, request_id=request_id)
        return self._call("POST", "/v1/shop/cards", ShopCardResult, body)


_WHERE = ("body", "query", "path", "header")
"""Where a field of a request was: not part of its name."""


def _problems(detail: object) -> str | None:
    """A 422's ``detail`` (each field and what is wrong with it, as FastAPI lists them) as
    a sentence: ``phone: String should have at least 6 characters``, as
    :func:`_refused_as_invalid` says it; another detail as its text."""
    if not isinstance(detail, list):
        return None if detail is None else str(detail)
    said = []
    for error in detail:
        if not isinstance(error, dict) or "msg" not in error:
            return str(detail)
        loc = [str(part) for part in error.get("loc") or ()]
        field = ".".join(loc[1:] if loc[:1] and loc[0] in _WHERE else loc)
        said.append(f"{field}: {error['msg']}" if field else str(error["msg"]))
    return "; ".join(said) or None


@contextmanager
def _refused_as_invalid() -> Iterator[None]:
    """A request body the wire types refuse, refused as the ledger would refuse it (422
    ``invalid``, the field named), without sending it."""
    try:
        yield
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        field = ".".join(str(part) for part in first["loc"])
        pattern = str((first.get("ctx") or {}).get("pattern"))  # in words, as the API's 422
        said = PATTERN_MEANS.get(pattern, first["msg"]) \
            if first["type"] == "string_pattern_mismatch" else first["msg"]
        raise LedgerRefused(422, "invalid", f"{field}: {said}") from None

"""The ledger's HTTP API (``/v1``), documented by its OpenAPI schema at ``/openapi.json``.

Every call but ``/v1/health`` and the documentation carries a device's bearer token; a
wrong or revoked token gets 401 before anything else about the request is looked at, and
writes nothing. Bodies are validated by the wire schemas (``sync/protocol.py``,
``sync/wire_*.py``), the client's too (422 with the field named), capped in size (413), and
database trouble is a 503 to retry, never a 500.
"""


import uuid
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from kiosk.cards import key_from_text
from kiosk.engine.orders import OrderLine
from kiosk.limits import INT64_MAX
from sync.protocol import (
    PROTOCOL,
    BalanceResponse,
    ClockFlag,
    DeviceState,
    EntryResult,
    ErrorBody,
    Health,
    Invalid,
    OrderWire,
    PairRequest,
    PairResponse,
    PullResponse,
    RejectionWire,
    UploadRequest,
    UploadResponse,
)
from sync.server.causes import add_cause_route
from sync.server.checkout_holds import CheckoutHolds, add_checkout_routes
from sync.server.counter import OnlineCounter
from sync.server.coupons import add_coupon_routes
from sync.server.ledger import Caller, Ledger, LedgerRefusal
from sync.server.middleware import (
    DATABASE_ERRORS,
    Authenticate,
    BodyLimit,
    caller_of,
    database_down,
)
from sync.server.openapi import document_models, json_body, message, refusals
from sync.server.reports import add_program_report_route
from sync.server.shop_cards import ShopCards, add_shop_card_route
from sync.server.shop_checkout import ShopLoyalty
from sync.server.transfers import Transfers, add_transfer_route
from sync.wire_holds import Hold, HoldRequest
from sync.wire_shop import MemberHistory, MemberSearch, OrderRequest, OrderResult, RefundRequest
from sync.wire_types import TEXT_PATTERN

MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_PULL = 5000

STAFF_QUERY = ("include who made each entry at the counter (`staff`); without it the field "
               "is left out, as clients from before it existed refuse unknown fields")

ANNOUNCED_QUERY = ("include the program versions published to take effect later "
                   "(`announced`), which a kiosk switches to at their time")


def without_staff(answer: PullResponse | MemberHistory) -> Response:
    """The answer as a client from before entries named their staff reads it: the field
    left out altogether (its models refuse a field they don't know, even a null one)."""
    return Response(answer.model_dump_json(exclude={"entries": {"__all__": {"staff"}}}),
                    media_type="application/json")


# The reports' filters: one device's rows, and how many.
OneDevice = Annotated[str | None, Query(min_length=1, max_length=64, pattern=TEXT_PATTERN,
                                        description="only this device's rows")]
ReportLimit = Annotated[int, Query(ge=1, le=MAX_PULL)]
OrderKey = Annotated[str, Path(min_length=1, max_length=64, pattern=TEXT_PATTERN)]


def create_app(ledger: Ledger) -> FastAPI:
    app = FastAPI(title="Counterpoint ledger", version="1",
                  description="The central loyalty ledger shared by kiosks and the shop.")

    # Async, so that reading what Authenticate found costs no trip to a worker thread.
    async def caller(request: Request) -> Caller:
        return caller_of(request)

    async def shop(who: Annotated[Caller, Depends(caller)]) -> Caller:
        if who.kind not in ("shop", "admin"):
            raise LedgerRefusal(403, "forbidden", "this is the shop's and back office's call")
        return who

    async def admin(who: Annotated[Caller, Depends(caller)]) -> Caller:
        if who.kind != "admin":
            raise LedgerRefusal(403, "forbidden", "this is the back office's call")
        return who

    counter = OnlineCounter(ledger)

    @app.exception_handler(LedgerRefusal)
    async def _refused(_: Request, exc: LedgerRefusal) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"code": exc.code, "message": str(exc)}, exc.status,
                            headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Name the field and the problem; don't echo the input back (it may be huge, or
        # not even representable in JSON, such as an Infinity: found by fuzzing).
        detail = [{"loc": list(e["loc"]), "msg": message(e), "type": e["type"]}
                  for e in exc.errors()]
        return JSONResponse({"code": "invalid", "detail": detail}, 422)

    for kind in DATABASE_ERRORS:
        app.add_exception_handler(kind, database_down)

    json_bodies: list[type[BaseModel]] = []

    def json_request_body(model: type[BaseModel]) -> dict[str, Any]:
        """The OpenAPI request body of a route that parses its body with
        :func:`json_body`; the model's schema joins the components. Every body is
        parsed so: FastAPI's own parsing answered 400 to bytes that are not UTF-8."""
        json_bodies.append(model)
        schema = {"$ref": f"#/components/schemas/{model.__name__}"}
        return {"requestBody": {"required": True,
                                "content": {"application/json": {"schema": schema}}}}

    @app.get("/v1/health", openapi_extra={"security": []})
    def health() -> Health:
        return Health(status="ok", protocol=PROTOCOL)

    @app.post("/v1/pair", openapi_extra=json_request_body(PairRequest),
              responses=refusals(403, 409, 422))
    def pair(body: Annotated[PairRequest, Depends(json_body(PairRequest))],
             who: Annotated[Caller, Depends(caller)]) -> PairResponse:
        try:
            public_key = key_from_text(body.public_key)
        except ValueError as exc:
            raise LedgerRefusal(422, "invalid_key", str(exc)) from None
        cert = ledger.pair(who, public_key, body.store_name)
        return PairResponse(device_id=who.device_id, certificate=cert.to_dict())

    @app.get("/v1/state")
    def state(who: Annotated[Caller, Depends(caller)],
              announced: Annotated[bool, Query(description=ANNOUNCED_QUERY)] = False,
              ) -> DeviceState:
        return ledger.state(announced=announced)

    @app.post("/v1/upload", openapi_extra=json_request_body(UploadRequest),
              response_model=UploadResponse, responses=refusals(422))
    async def upload(request: Request,
                     body: Annotated[UploadRequest, Depends(json_body(UploadRequest))],
                     ) -> Response:
        # The busiest call uploads in one trip to a worker thread (a sync dependency and a
        # sync endpoint are a trip each), and its answer goes out as serialized by its own
        # model: FastAPI would dump it to dicts, validate those against the model again,
        # then serialize (1 ms of a 500-entry upload).
        who = caller_of(request)
        answer = await run_in_threadpool(ledger.upload, who, body)
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.get("/v1/entries")
    def entries(who: Annotated[Caller, Depends(caller)],
                after: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
                limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = 1000,
                skip_own: Annotated[bool, Query(
                    description="leave out the entries this device uploaded (it has them); "
                                "the cursor still moves past them")] = False,
                staff: Annotated[bool, Query(description=STAFF_QUERY)] = False,
                ) -> PullResponse:
        pulled = ledger.pull(after, limit, skip_device=who.device_id if skip_own else None)
        return pulled if staff else without_staff(pulled)  # type: ignore[return-value]

    @app.get("/v1/orders/{channel}/{order_ref}", responses=refusals(404, 422))
    def order_record(channel: OrderKey, order_ref: OrderKey,
                     who: Annotated[Caller, Depends(caller)]) -> OrderWire:
        """An order as the device that rang it up recorded it (its lines, the member state,
        the program version, the awards). A device reads its own channel's orders, the
        shop its own (``web``); another's is a 404."""
        return ledger.order(who, channel, order_ref)

    @app.get("/v1/members/{member_id}/balance")
    def balance(member_id: uuid.UUID,
                who: Annotated[Caller, Depends(caller)]) -> BalanceResponse:
        return BalanceResponse(member_id=member_id, balance=ledger.balance(member_id))

    @app.get("/v1/members/{member_id}", responses=refusals(404))
    def member(member_id: uuid.UUID, who: Annotated[Caller, Depends(caller)],
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               staff: Annotated[bool, Query(description=STAFF_QUERY)] = False
               ) -> MemberHistory:
        history = counter.history(member_id, limit)
        return history if staff else without_staff(history)  # type: ignore[return-value]

    @app.get("/v1/members", responses=refusals(403))
    def find_members(phone: Annotated[str, Query(min_length=6, max_length=32,
                                                 pattern=TEXT_PATTERN)],
                     who: Annotated[Caller, Depends(shop)]) -> MemberSearch:
        return MemberSearch(member_ids=counter.find_member(phone))

    @app.post("/v1/redemptions", status_code=201, openapi_extra=json_request_body(HoldRequest),
              responses=refusals(404, 409, 422))
    def reserve(body: Annotated[HoldRequest, Depends(json_body(HoldRequest))],
                who: Annotated[Caller, Depends(caller)]) -> Hold:
        return counter.reserve(who, body.entry, body.hold_seconds)

    @app.post("/v1/redemptions/{hold_id}/confirm", responses=refusals(404, 410, 422))
    def confirm(hold_id: uuid.UUID, who: Annotated[Caller, Depends(caller)]) -> EntryResult:
        """Record the held redemption: 410 ``hold_expired``; 422 with the audit's code if
        the ledger refuses it now (the hold is then voided)."""
        return counter.confirm(who, hold_id)

    @app.post("/v1/redemptions/{hold_id}/void", responses=refusals(404, 409))
    def void(hold_id: uuid.UUID, who: Annotated[Caller, Depends(caller)]) -> Hold:
        return counter.void(who, hold_id)

    @app.post("/v1/shop/orders", openapi_extra=json_request_body(OrderRequest),
              responses=refusals(403, 404, 409, 422))
    def order(body: Annotated[OrderRequest, Depends(json_body(OrderRequest, keys_once=True))],
              who: Annotated[Caller, Depends(shop)]) -> OrderResult:
        return counter.order(who, body.member_id, body.amount_minor, body.order_ref,
                             tuple(OrderLine(x.code, x.quantity, x.unit_price_minor,
                                             x.category) for x in body.lines),
                             ShopLoyalty(body.reward_id, body.coupon_id, body.points))

    @app.post("/v1/shop/refunds", openapi_extra=json_request_body(RefundRequest),
              responses=refusals(403, 404, 422))
    def refund(body: Annotated[RefundRequest, Depends(json_body(RefundRequest))],
               who: Annotated[Caller, Depends(shop)]) -> OrderResult:
        return counter.refund(who, body.order_ref, [(x.code, x.quantity) for x in body.lines])

    @app.get("/v1/reports/rejections", responses=refusals(403))
    def rejections(who: Annotated[Caller, Depends(admin)], device: OneDevice = None,
                   limit: ReportLimit = 1000) -> list[RejectionWire]:
        return counter.rejections(device, limit)

    @app.get("/v1/reports/clock", responses=refusals(403))
    def clock_flags(who: Annotated[Caller, Depends(admin)], device: OneDevice = None,
                    limit: ReportLimit = 1000) -> list[ClockFlag]:
        """Entries dated well before an entry their device made earlier: made by a clock
        that went back."""
        return counter.clock_flags(device, limit)

    @app.get("/v1/reports/overdrafts", responses=refusals(403))
    def overdrafts(who: Annotated[Caller, Depends(admin)]) -> list[dict[str, object]]:
        return counter.overdrafts()

    add_program_report_route(app, ledger)  # GET /v1/reports/program
    add_coupon_routes(app, ledger.coupons, caller, json_request_body)  # coupons: list, use
    add_checkout_routes(app, CheckoutHolds(counter), caller, admin,  # a checkout's hold
                        json_request_body)
    add_cause_route(app, ledger.engine, admin)  # GET /v1/reports/causes
    add_transfer_route(app, Transfers(counter), caller, json_request_body)  # POST /v1/transfers
    add_shop_card_route(app, ShopCards(ledger.devices), shop,  # POST /v1/shop/cards
                        json_request_body)

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    # Added last, so it runs first: a stranger's body is never read.
    public = {"/v1/health", app.openapi_url, app.docs_url, app.redoc_url,
              app.swagger_ui_oauth2_redirect_url}
    app.add_middleware(Authenticate, authenticate=ledger.authenticate,
                       public=frozenset(p for p in public if p))
    document_models(app, [*json_bodies, ErrorBody, Invalid], public)
    return app



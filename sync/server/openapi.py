"""How the ledger's API reads request bodies and documents its answers: bodies parsed by
pydantic's own JSON parser in one pass, validation errors that name the field, and the
refusals every route may give (401, 403, 413, 415, 422, 503) in the OpenAPI schema."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, TypeAdapter, ValidationError

from kiosk.json_keys import key_given_twice
from sync.protocol import ErrorBody, Invalid
from sync.server.calls import LedgerRefusal
from sync.wire_types import PATTERN_MEANS, PreciseUtcTime

_REFUSALS = {
    403: "this device may not make this call",
    404: "no such member, hold or order",
    409: "conflicts with what the ledger holds",
    410: "the hold was voided or expired",
    422: "the request is invalid; detail names the fields",
}


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The refusals a route documents besides those every authenticated route may give
    (401, 503; 413 for a POST), which :func:`document_models` adds to each."""
    return {s: {"model": Invalid if s == 422 else ErrorBody, "description": _REFUSALS[s]}
            for s in statuses}


W = TypeVar("W", bound=BaseModel)


def message(error: Any) -> str:
    """pydantic's message, or what a pattern of ``sync.wire_types`` means instead of it."""
    pattern = str((error.get("ctx") or {}).get("pattern"))
    if error["type"] == "string_pattern_mismatch" and pattern in PATTERN_MEANS:
        return PATTERN_MEANS[pattern]
    return str(error["msg"])


def _keys_once(raw: bytes) -> None:
    """A 422 naming a key a body gives twice in one object (``kiosk.json_keys``)."""
    key = key_given_twice(raw)
    if key is not None:
        raise RequestValidationError([{
            "type": "key_twice", "loc": ("body", key),
            "msg": f"the key {key!r} is given twice in one object"}])


def json_body(model: type[W], *, keys_once: bool = False
              ) -> Callable[[Request], Awaitable[W]]:
    """The request body validated by pydantic's own JSON parser, in one pass. FastAPI's
    default decodes with ``json.loads`` and then validates the Python objects, which took
    twice as long on a 500-entry upload (the ledger's hottest call). Errors are the same
    422, with the field named under ``body``. ``keys_once``: a key given twice is refused
    (:func:`_keys_once`, a second parse: for a checkout's small bodies, not the upload)."""
    async def parse(request: Request) -> W:
        kind = request.headers.get("content-type")
        if kind is not None and kind.split(";")[0].strip().lower() != "application/json":
            # Every body is JSON (the schema says so); one with no label is read as JSON,
            # as FastAPI reads it.
            raise LedgerRefusal(415, "unsupported_media_type", "a request body is JSON: "
                                "send it with Content-Type: application/json")
        raw = await request.body()
        if keys_once:
            _keys_once(raw)
        try:
            return model.model_validate_json(raw)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])}
                 for e in precise(exc.errors(include_url=False))]) from None
    return parse


_PRECISE_TIME = TypeAdapter(PreciseUtcTime)


def precise(errors: list[Any]) -> list[Any]:
    """The errors without their input, and each of a time's (``utc_time``: one for every
    way a time can be wrong, see ``sync.wire_types.UtcTime``) as pydantic's own: naive, out
    of bounds or no time at all, found again from the value in question."""
    out = []
    for e in errors:
        value = e.pop("input", None)
        if e["type"] != "utc_time":
            out.append(e)
            continue
        try:
            _PRECISE_TIME.validate_python(value)
        except ValidationError as exc:
            out += [{**x, "loc": (*e["loc"], *x["loc"])}
                    for x in exc.errors(include_url=False, include_input=False)]
        else:  # not expected: a time the fast check refused but the precise one takes
            out.append(e)
    return out


def document_models(app: FastAPI, models: list[type[BaseModel]],
                     public: set[str | None]) -> None:
    """Add schemas that only :func:`json_body` routes (or the error answers) use to the
    OpenAPI components, and to every operation but the ``public`` ones the answers the
    middlewares give before any route runs: 401 and 503 (and 413 to a POST). Every 422
    is documented as :class:`Invalid`, the body ``_invalid`` sends."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            document.setdefault("components", {})["securitySchemes"] = {
                "device": {"type": "http", "scheme": "bearer",
                           "description": "the device's token, cpt_..."}}
            document["security"] = [{"device": []}]
            components = document.setdefault("components", {}).setdefault("schemas", {})
            for model in models:
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                for name, nested in schema.pop("$defs", {}).items():
                    components.setdefault(name, nested)
                components[model.__name__] = schema
            _document_answers(document, public)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _error(description: str, header: str | None = None, means: str = "") -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    if header is not None:
        answer["headers"] = {header: {"description": means, "required": True,
                                      "schema": {"type": "string"}}}
    return answer


def _document_answers(document: dict[str, Any], public: set[str | None]) -> None:
    invalid = {"$ref": "#/components/schemas/Invalid"}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            answers = operation.setdefault("responses", {})
            if "422" in answers:
                answers["422"]["content"] = {"application/json": {"schema": invalid}}
            if path in public:
                continue
            answers.setdefault("401", _error("missing, wrong or revoked device token",
                                             "WWW-Authenticate", "Bearer"))
            answers.setdefault("503", _error("the database is unavailable; retry",
                                             "Retry-After", "seconds to wait"))
            if method == "post":
                answers.setdefault("413", _error("the body is over the size cap"))
            if "requestBody" in operation:
                answers.setdefault("415", _error("the body is not labelled application/json"))

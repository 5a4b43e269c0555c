"""The ledger's ASGI middlewares, which answer before any route runs: who is asking (a
bearer token, checked once per request and before the body is read) and how big the body
may be. Their answers are the same JSON bodies the routes' refusals have."""

import sqlite3
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import psycopg
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DatabaseError, OperationalError

from sync.server.ledger import Caller, LedgerRefusal

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """Refuse bodies over the cap with 413, counting what actually arrives (a client can
    lie in Content-Length or send chunks). The body is read here, at most ``limit`` bytes,
    and handed on whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send, self.limit)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.limit:
                await _too_large(send, self.limit)
                return
            if not message.get("more_body", False):
                break
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)


async def _too_large(send: Send, limit: int) -> None:
    await _answer(send, JSONResponse(
        {"code": "too_large", "message": f"request bodies are at most {limit} bytes"}, 413))


async def _answer(send: Send, response: JSONResponse) -> None:
    await send({"type": "http.response.start", "status": response.status_code,
                "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})


# The batch statements run on the driver's cursor, so the driver's own errors arrive too.
DATABASE_ERRORS = (DatabaseError, psycopg.DatabaseError, sqlite3.DatabaseError)
"""What to catch where the database is used; of these only :func:`database_trouble` is
answered 503."""


def database_trouble(exc: BaseException) -> bool:
    """Whether ``exc`` (one of :data:`DATABASE_ERRORS`) is the database failing rather than
    a bug: down, unreachable or out of space (an OperationalError), or damaged (SQLite's
    plain DatabaseError for a corrupt file or one that is no database; PostgreSQL's class
    XX, data_corrupted and index_corrupted among it, psycopg's InternalError). Not a
    constraint (IntegrityError: the ledger turns the ones it expects into conflicts) nor
    a statement the database refuses (ProgrammingError)."""
    if isinstance(exc, OperationalError):
        return True
    cause = getattr(exc, "orig", None) or exc
    return (isinstance(cause, (psycopg.OperationalError, psycopg.InternalError))
            or type(cause) in (sqlite3.OperationalError, sqlite3.DatabaseError))


_CALLER = "counterpoint.caller"  # where Authenticate leaves the caller in the scope's state


def _unauthorised() -> JSONResponse:
    return JSONResponse({"code": "unauthorised",
                         "message": "missing, wrong or revoked device token"}, 401,
                        headers={"WWW-Authenticate": "Bearer"})


def unavailable() -> JSONResponse:
    return JSONResponse({"code": "unavailable",
                         "message": "the ledger database is unavailable; retry"}, 503,
                        headers={"Retry-After": "2"})


async def database_down(_: Request, exc: Exception) -> JSONResponse:
    """The routes' handler of :data:`DATABASE_ERRORS`: a 503 to retry for the database's
    trouble; anything else is raised on, a bug (500) as before."""
    if not database_trouble(exc):
        raise exc
    return unavailable()


class Authenticate:
    """Who is asking, before anything else about the request: the bearer token is checked
    once per request (in a worker thread: it is a database read), and a request without
    a valid one gets 401 before its body is read or its query parsed, so a stranger
    learns nothing of how the ledger reads them. The caller is left in the request's
    state for the routes (:func:`caller_of`). ``public`` paths (the health check, the
    API's documentation) need no token."""

    def __init__(self, app: ASGIApp, authenticate: Callable[[str], Caller | None],
                 public: frozenset[str]) -> None:
        self.app, self.authenticate, self.public = app, authenticate, public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.public:
            await self.app(scope, receive, send)
            return
        scheme, _, token = (dict(scope["headers"]).get(b"authorization", b"")
                            .decode("latin-1").partition(" "))
        found = None
        if scheme.lower() == "bearer" and token:
            try:
                found = await run_in_threadpool(self.authenticate, token)
            except DATABASE_ERRORS as exc:  # outside FastAPI's handlers: answered the same
                if not database_trouble(exc):
                    raise
                await _answer(send, unavailable())
                return
        if found is None:
            await _answer(send, _unauthorised())
            return
        scope.setdefault("state", {})[_CALLER] = found
        await self.app(scope, receive, send)


def caller_of(request: Request) -> Caller:
    """The caller :class:`Authenticate` found for this request."""
    found = request.scope.get("state", {}).get(_CALLER)
    if not isinstance(found, Caller):  # only if the middleware is missing: refuse
        raise LedgerRefusal(401, "unauthorised", "missing, wrong or revoked device token")
    return found

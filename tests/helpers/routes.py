"""The ledger API's routes read from the app itself, so the tests that go over every route
(authentication, the body rules) cover a route added later at once."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from fastapi.routing import APIRoute

from sync.server.app import create_app
from sync.server.db import ledger_engine
from sync.server.ledger import Ledger

PATH_ID = str(uuid.UUID("0192a000-0000-7000-8000-00000000a11d"))
"""What fills a path parameter: a fixed id, so every test process collects the same test
ids (pytest-xdist's workers must agree), and one no ledger holds."""

PUBLIC = {"/v1/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def routes() -> list[tuple[str, str, bool]]:
    """Every (method, path, whether it takes a body) the app serves, with path
    parameters filled in."""
    engine = ledger_engine("sqlite://")
    try:
        app = create_app(Ledger(engine, lambda: datetime.now(UTC)))
    finally:
        engine.dispose()
    served = [r for r in app.routes if isinstance(r, APIRoute)]
    others = {getattr(r, "path", None) for r in app.routes if not isinstance(r, APIRoute)}
    assert others <= PUBLIC, f"a route that is not an APIRoute: {others - PUBLIC}"
    return sorted((method, re.sub(r"\{[^}]+\}", PATH_ID, r.path),
                   r.body_field is not None or "requestBody" in (r.openapi_extra or {}))
                  for r in served for method in r.methods if r.path not in PUBLIC)


def body_routes() -> list[tuple[str, str]]:
    """Every (method, path) whose route takes a body."""
    return [(method, path) for method, path, body in routes() if body]

"""Who is asking comes first: every call but the health check and the API's documentation
needs a device's token, and a request without a valid one gets 401 before its body or
query is looked at (a malformed body must not tell a stranger how the ledger reads it).
The routes are read from the app, so a route added later is covered here at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.helpers.ledger_process import LedgerProcess, start_ledger
from tests.helpers.routes import PUBLIC, body_routes, routes

MALFORMED = [b"{not json", b'{"unexpected": [1, 2]}', b"[]"]
JUNK_QUERY = "?after=-1&limit=x&phone=%00&skip_own=maybe"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[LedgerProcess, dict[str, str]]]:
    folder: Path = tmp_path_factory.mktemp("ledger")
    process = start_ledger(f"sqlite:///{folder / 'ledger.db'}", folder)
    revoked = process.add_device("stolen-till")
    process.cli("revoke-device", "stolen-till")
    tokens = {"kiosk": process.add_device("till-1"), "shop": process.add_device("web", "shop"),
              "admin": process.add_device("office", "admin"), "revoked": revoked}
    yield process, tokens
    process.kill()


ROUTES = [(method, path) for method, path, _ in routes()]
BODIES = body_routes()
STRANGERS = {"no token": {}, "wrong token": {"Authorization": "Bearer cpt_wrong"},
             "not bearer": {"Authorization": "Basic dXNlcjpwYXNz"}, "empty": {
                 "Authorization": "Bearer "}}


def test_the_routes_are_found():
    assert ("POST", "/v1/upload") in ROUTES and ("GET", "/v1/state") in ROUTES
    assert len(ROUTES) >= 12
    assert {("POST", "/v1/upload"), ("POST", "/v1/shop/orders")} <= set(BODIES)


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
@pytest.mark.parametrize("who", [*STRANGERS, "revoked"])
def test_a_stranger_gets_401_before_the_body_or_query_is_read(ledger, method, path, who):
    process, tokens = ledger
    headers = ({"Authorization": f"Bearer {tokens['revoked']}"} if who == "revoked"
               else STRANGERS[who])
    for body in MALFORMED:
        answer = requests.request(method, process.url + path + JUNK_QUERY, data=body,
                                  timeout=10, headers={**headers,
                                                       "Content-Type": "application/json"})
        assert answer.status_code == 401, (body, answer.status_code, answer.text)
        assert answer.headers["WWW-Authenticate"] == "Bearer"
        assert answer.json() == {"code": "unauthorised",
                                 "message": "missing, wrong or revoked device token"}


@pytest.mark.parametrize(("method", "path"), BODIES, ids=[f"{m} {p}" for m, p in BODIES])
def test_with_a_valid_token_the_same_bodies_are_422(ledger, method, path):
    """So the 401s above are about the token: the bodies are really malformed."""
    process, tokens = ledger
    who = "admin"  # may call every route
    for body in MALFORMED:
        answer = requests.request(method, process.url + path, data=body, timeout=10,
                                  headers={"Authorization": f"Bearer {tokens[who]}",
                                           "Content-Type": "application/json"})
        assert answer.status_code == 422, (body, answer.status_code, answer.text)


@pytest.mark.parametrize("path", sorted(PUBLIC - {"/docs/oauth2-redirect"}))
def test_the_health_check_and_the_documentation_need_no_token(ledger, path):
    process, _ = ledger
    assert requests.get(process.url + path, timeout=10).status_code == 200

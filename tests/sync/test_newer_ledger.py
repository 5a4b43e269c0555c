"""A kiosk keeps syncing with a newer ledger: one whose answers carry fields this kiosk's
version has never heard of (a ledger is upgraded before or after its kiosks, store by
store). The kiosk reads what it knows and passes over the rest; it refuses unknown
fields only in what it is *sent to check* (requests, program documents), never in a
ledger's answer, or every pull would read as "ledger unreachable" until the kiosk is
upgraded."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from tests.helpers.ledger_process import LedgerProcess, paired

NEW_FIELD = "added_in_a_later_version"


def _with_new_fields(node: Any, top: bool = True) -> Any:
    """An answer with one field more in itself and in each record it carries (an object
    with an ``id``: entries, members, cards...); free-form maps (certificates, documents)
    are left as they are."""
    if isinstance(node, dict):
        grown = {k: _with_new_fields(v, False) for k, v in node.items()}
        return {**grown, NEW_FIELD: {"x": 1}} if top or "id" in node else grown
    if isinstance(node, list):
        return [_with_new_fields(v, False) for v in node]
    return node


@pytest.fixture
def newer_ledger(sqlite_ledger: LedgerProcess) -> Iterator[str]:
    """The real ledger behind a loopback HTTP server that passes each request on and adds
    a field to every object of each successful JSON answer: the URL of that server."""
    upstream = sqlite_ledger.url

    class Handler(BaseHTTPRequestHandler):
        def _relay(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in ("authorization", "content-type")}
            answer = requests.request(self.command, upstream + self.path, data=body or None,
                                      headers=headers, timeout=30)
            content = answer.content
            if answer.ok and answer.headers.get("content-type", "").startswith(
                    "application/json"):
                content = json.dumps(_with_new_fields(answer.json())).encode()
            self.send_response(answer.status_code)
            self.send_header("Content-Type", answer.headers.get("content-type", "text/plain"))
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_DELETE = _relay

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def test_a_kiosk_syncs_with_a_ledger_whose_answers_carry_fields_it_does_not_know(
        sqlite_ledger: LedgerProcess, newer_ledger: str, tmp_path: Path) -> None:
    a, b = paired(sqlite_ledger, tmp_path, "till-a"), paired(sqlite_ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("Amy Lin", "0912345678", consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 30_000, "A-1"))

    agent = a.agent(newer_ledger)
    report = agent.sync_once()  # the sale goes up, answers read
    assert (report.rejected, report.pending_uploads) == (0, 0) and report.uploaded >= 2
    b.agent(newer_ledger).sync_once()  # ...and another store's kiosk pulls it all

    view = identify(b.kiosk, joined.card.payload)
    assert (view.member.name, view.balance) == ("Amy Lin", 50 + 300)
    assert agent.status.online
    for k in (a, b):
        k.kiosk.store.close()

"""Schemathesis against the ledger's own OpenAPI schema, on a real ledger process over
PostgreSQL (production's database) on loopback: every operation, with a kiosk's, the
shop's and the back office's token, on data the schema allows and data it doesn't. Any
5xx, any status the schema does not document for the operation, and any answer that
breaks its documented shape fails. Seeded (derandomized) and bounded to about two minutes
on two cores (120 cases an operation, each with three tokens), so CI runs it every time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sync.server.app import create_app
from sync.server.db import ledger_engine
from sync.server.ledger import Ledger
from tests.helpers.ledger_process import LedgerProcess, postgres_database, start_ledger

# What the fixture puts on the ledger, so that some generated calls name a real member,
# hold or order and go past the look-ups (random ids are only ever 404s).
MEMBERS = [uuid.uuid5(uuid.NAMESPACE_URL, f"counterpoint:fuzz:member:{i}") for i in range(3)]
HOLDS = [uuid.uuid5(uuid.NAMESPACE_URL, f"counterpoint:fuzz:hold:{i}") for i in range(3)]
ORDERS = ["W-1", "W-2", "W-3"]
PHONE = "0912345678"

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
DEVICES = ("kiosk", "shop", "admin")


def app_schema() -> dict[str, Any]:
    """The schema the ledger serves, from the app itself (no database is opened), its
    product codes drawn from a part of what they may be (:func:`_drawn_from_less`)."""
    engine = ledger_engine("sqlite://")
    try:
        served = create_app(Ledger(engine, lambda: datetime.now(UTC))).openapi()
        _drawn_from_less(served)
        return served
    finally:
        engine.dispose()


# What a product code is drawn from here: printable ASCII and the CJK ideographs, no space
# at either end. Every such code is one the schema's own pattern takes (the characters a
# receipt shows, kiosk/printable.py: ~700 ranges), whose class hypothesis built again for
# each operation in about a second, twice a minute of the run; codes outside it are the
# wire's own tests' (tests/sync/test_wire_product_codes.py, every code point).
_CODE_DRAWN_FROM = "^[!-~\u4e00-\u9fff](?:[ -~\u4e00-\u9fff]{0,62}[!-~\u4e00-\u9fff])?$"


def _drawn_from_less(node: object) -> None:
    if isinstance(node, dict):
        if len(node.get("pattern", "")) > 10_000:  # only the product code's is that long
            node["pattern"] = _CODE_DRAWN_FROM
        for value in node.values():
            _drawn_from_less(value)
    elif isinstance(node, list):
        for value in node:
            _drawn_from_less(value)


# Both modes: data the schema allows, and data it doesn't (which must be refused, never
# crash). The tokens go in as headers, three per case, so the scheme is not generated.
schema = schemathesis.openapi.from_dict(app_schema(), config=SchemathesisConfig.from_dict(
    {"generation": {"mode": "all", "with-security-parameters": False}}))


@schema.hook
def flatmap_case(context: Any, case: Any) -> st.SearchStrategy[Any]:
    """Half the cases as generated; in the other half, ids and order numbers that the
    fixture put on the ledger (the rest of each case stays as generated)."""
    def known(swap: bool, member: uuid.UUID, hold: uuid.UUID | None, order: str) -> Any:
        if not swap:
            return case
        body = case.body
        if isinstance(body, dict):
            if "member_id" in body:
                body["member_id"] = str(member)
            if "order_ref" in body:
                body["order_ref"] = order
            entry = body.get("entry")
            if isinstance(entry, dict):  # a redemption the rules allow, new or held before
                entry.update(member_id=str(member), kind="redeem", points=-60,
                             reward_id="coffee", channel="till-1", program_version="2026.2",
                             occurred_at=datetime.now(UTC).isoformat())
                if hold is not None:
                    entry["id"] = str(hold)
            for key in ("entries", "cards"):
                items = body.get(key)
                for item in items if isinstance(items, list) else []:
                    if isinstance(item, dict):
                        item["member_id"] = str(member)
        for name, value in (("member_id", member), ("hold_id", hold or HOLDS[0])):
            if name in case.path_parameters:
                case.path_parameters[name] = str(value)
        if "phone" in case.query:
            case.query["phone"] = PHONE
        return case
    return st.builds(known, st.booleans(), st.sampled_from(MEMBERS),
                     st.none() | st.sampled_from(HOLDS), st.sampled_from(ORDERS))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[LedgerProcess, dict[str, str]]]:
    with postgres_database() as db:
        process = start_ledger(db, tmp_path_factory.mktemp("ledger"))
        tokens = {"kiosk": process.add_device("till-1"),
                  "shop": process.add_device("web", "shop"),
                  "admin": process.add_device("office", "admin")}
        seed(process.url, tokens)
        yield process, tokens
        process.kill()
        assert process.check() == []


def seed(url: str, tokens: dict[str, str]) -> None:
    """The members, orders and holds the hook swaps in, each through the API."""
    def call(device: str, path: str, body: dict[str, Any], status: int = 200) -> None:
        answer = requests.post(url + path, json=body, timeout=30,
                               headers={"Authorization": f"Bearer {tokens[device]}"})
        assert answer.status_code == status, answer.text

    now = datetime.now(UTC).isoformat()
    call("shop", "/v1/upload", {"entries": [], "members": [
        {"id": str(m), "name": f"Member {i}", "phone": PHONE, "enrolled_at": now,
         "channel": "web", "consent": True} for i, m in enumerate(MEMBERS)]})
    for member, order in zip(MEMBERS, ORDERS, strict=True):
        call("shop", "/v1/shop/orders", {"member_id": str(member), "amount_minor": 100_000,
                                         "order_ref": order})
    for member, hold in zip(MEMBERS, HOLDS, strict=True):
        call("kiosk", "/v1/redemptions", {"entry": {
            "id": str(hold), "member_id": str(member), "kind": "redeem", "points": -60,
            "channel": "till-1", "occurred_at": now, "program_version": "2026.2",
            "reward_id": "coffee"}}, status=201)


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


@pytest.mark.slow
@pytest.mark.postgres
@schema.parametrize()
@settings(max_examples=120, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_the_ledger_answers_every_call_as_its_schema_says(case, ledger, session):
    process, tokens = ledger
    for device in DEVICES:
        case.call_and_validate(base_url=process.url, session=session, checks=CHECKS,
                               headers={"Authorization": f"Bearer {tokens[device]}"})

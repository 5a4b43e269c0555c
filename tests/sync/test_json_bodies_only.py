"""A request body is JSON only when it says so (review 28b): ``openapi.json_body`` parsed
any body as JSON whatever its Content-Type (text/plain, a form), so a body the client
labelled as something else was taken and acted on, where FastAPI's own parsing and the
API's schema (every request body is ``application/json``) refuse it. Now 415
``unsupported_media_type``, documented for every call that takes a body; a body with no
Content-Type at all is still read as JSON, as FastAPI reads one."""

from __future__ import annotations

import json
import uuid

import requests

from tests.helpers.ledger_process import LedgerProcess

ORDER = json.dumps({"member_id": str(uuid.uuid4()), "amount_minor": 1000, "order_ref": "W-1"})


def test_a_body_is_read_only_as_json(sqlite_ledger: LedgerProcess) -> None:
    token = sqlite_ledger.add_device("web", "shop")

    def post(kind: str | None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"}
        if kind is not None:
            headers["Content-Type"] = kind
        return requests.post(f"{sqlite_ledger.url}/v1/shop/orders", data=ORDER, timeout=10,
                             headers=headers)

    for kind in ("text/plain", "application/x-www-form-urlencoded",
                 "multipart/form-data; boundary=x", "application/jsonx"):
        answer = post(kind)
        assert answer.status_code == 415, (kind, answer.status_code, answer.text)
        assert answer.json()["code"] == "unsupported_media_type"
        assert "application/json" in answer.json()["message"]
    read: tuple[str | None, ...] = ("application/json", "Application/JSON; charset=utf-8",
                                    None)
    for label in read:
        answer = post(label)  # read: the member is unknown
        assert (answer.status_code, answer.json()["code"]) == (404, "unknown_member"), label

    schema = requests.get(f"{sqlite_ledger.url}/openapi.json", timeout=10).json()
    with_body = [(path, method) for path, calls in schema["paths"].items()
                 for method, call in calls.items() if "requestBody" in call]
    assert ("/v1/shop/orders", "post") in with_body
    assert [(p, m) for p, m in with_body
            if "415" not in schema["paths"][p][m]["responses"]] == []

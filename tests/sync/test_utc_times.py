"""Times on the wire (``sync.wire_types.UtcTime``): a UTC time in JSON is taken in pydantic's
core, any other offset converted to UTC, and a time that is wrong is still a 422 naming the
field with pydantic's own words for what is wrong with it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from pydantic import TypeAdapter, ValidationError

from kiosk.ledger import entry_problem
from sync.protocol import EntryWire, OrderWire, UploadRequest
from sync.server.openapi import precise
from sync.wire_types import UtcTime
from tests.helpers.ledger_process import LedgerProcess, start_ledger

TIME = TypeAdapter(UtcTime)


def _entry(occurred_at: object) -> dict[str, object]:
    return {"id": str(uuid.uuid4()), "member_id": str(uuid.uuid4()), "kind": "earn",
            "points": 5, "amount_minor": 500, "channel": "till-1", "occurred_at": occurred_at,
            "program_version": "2026.1", "order_ref": "S-1", "device_seq": 1}


@pytest.mark.parametrize("text", ["2026-11-20T10:00:00Z", "2026-11-20T10:00:00+00:00",
                                  "2026-11-20T18:00:00+08:00", "2026-11-20T05:00:00-05:00"])
def test_every_offset_is_the_same_moment_in_utc(text: str) -> None:
    moment = TIME.validate_json(json.dumps(text))
    assert moment == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(0)  # what kiosk.ledger.entry_problem asks
    assert TIME.dump_json(moment) == b'"2026-11-20T10:00:00Z"'


def test_the_bounds_are_moments_whatever_the_offset() -> None:
    assert TIME.validate_json('"3000-01-01T00:00:00+08:00"').year == 2999  # 16:00 UTC
    with pytest.raises(ValidationError):
        TIME.validate_json('"1970-01-01T07:00:00+08:00"')  # 23:00 UTC the day before


def test_an_entry_dated_in_another_zone_passes_the_entry_rules_in_utc() -> None:
    wire = EntryWire.model_validate_json(json.dumps(_entry("2026-11-20T18:00:00+08:00")))
    assert wire.occurred_at == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert entry_problem(wire.kind, wire.points, wire.amount_minor, wire.channel,
                         wire.occurred_at, wire.reverses) is None


def test_a_python_time_in_a_zone_at_offset_zero_is_converted_to_utc_itself() -> None:
    """A ``ZoneInfo`` at offset 0 in winter would keep its daylight saving through any
    arithmetic on it: the process's own objects are converted, as before."""
    london = datetime(2026, 1, 10, 9, tzinfo=ZoneInfo("Europe/London"))
    assert TIME.validate_python(london).tzinfo is UTC
    assert TIME.validate_python(london.astimezone(timezone(timedelta(hours=8)))).tzinfo is UTC


@pytest.mark.parametrize(("value", "kind", "words"), [
    ("2026-11-20T10:00:00", "timezone_aware", "timezone info"),
    ("1969-12-31T23:00:00Z", "greater_than_equal", "1970-01-01"),
    ("3000-01-01T00:00:00Z", "less_than", "3000-01-01"),
    ("soon", "datetime_from_date_parsing", "valid datetime"),
    (True, "datetime_type", "valid datetime"),
])
def test_a_wrong_time_is_named_with_pydantics_own_words(value: object, kind: str,
                                                        words: str) -> None:
    body = json.dumps({"entries": [_entry(value)]})
    with pytest.raises(ValidationError) as caught:
        UploadRequest.model_validate_json(body)
    errors = precise(caught.value.errors(include_url=False))
    assert [(e["loc"], e["type"]) for e in errors] == [(("entries", 0, "occurred_at"), kind)]
    assert words in errors[0]["msg"] and "input" not in errors[0]


def test_an_orders_times_are_checked_alike() -> None:
    order = {"channel": "till-1", "order_ref": "S-1", "occurred_at": "2026-11-20T10:00:00Z",
             "lines": [], "program_version": "2026.1",
             "state": {"tier": "bronze", "enrolled_at": "2026-11-20T18:00:00+08:00"}}
    wire = OrderWire.model_validate_json(json.dumps(order))
    assert wire.state is not None and wire.state.enrolled_at == wire.occurred_at
    with pytest.raises(ValidationError) as caught:
        OrderWire.model_validate_json(json.dumps({**order, "occurred_at": "2026-11-20"}))
    assert [e["type"] for e in precise(caught.value.errors(include_url=False))] == [
        "timezone_aware"]


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[LedgerProcess]:
    started = start_ledger(f"sqlite:///{tmp_path / 'ledger.db'}", tmp_path)
    yield started
    started.kill()


def test_the_ledger_answers_a_naive_time_with_a_422_naming_the_field(
        ledger: LedgerProcess) -> None:
    token = ledger.add_device("till-1")
    response = requests.post(ledger.url + "/v1/upload", timeout=10,
                             data=json.dumps({"entries": [_entry("2026-11-20T10:00:00")]}),
                             headers={"Authorization": f"Bearer {token}",
                                      "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json() == {"code": "invalid", "detail": [{
        "loc": ["body", "entries", 0, "occurred_at"], "msg": "Input should have timezone info",
        "type": "timezone_aware"}]}
    assert ledger.check() == []

"""Faults between kiosk and ledger: processes killed mid-sync, wrong tokens, bad bodies.
Whatever happens, the ledger and the kiosks converge with nothing lost or doubled."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from tests.helpers.cli import KIOSK
from tests.helpers.ledger import converge
from tests.helpers.ledger_process import paired, start_ledger


def fill_outbox(k, sales: int) -> None:
    member = enrol(k.kiosk, Enrolment("Busy", "0912999000", consent=True)).member.id
    for i in range(sales):
        ring_up_sale(k.kiosk, Sale(member, 100 + i % 900, f"F-{i}"))


def outbox(k) -> int:
    with k.kiosk.store.read() as tx:
        return tx.outbox.size()


@pytest.mark.postgres
@pytest.mark.slow
def test_killing_the_sync_agent_at_random_moments_loses_and_doubles_nothing(pg_ledger,
                                                                            tmp_path):
    k = paired(pg_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("Busy", "0912999000", consent=True)).member.id
    sold = 0

    def sell(n: int) -> None:
        nonlocal sold
        for i in range(sold, sold + n):
            ring_up_sale(k.kiosk, Sale(member, 100 + i % 900, f"F-{i}"))
        sold += n

    rng = random.Random(11)
    kills = 0
    for _ in range(40):
        if kills >= 6:
            break
        if outbox(k) < 3000:  # the agent was quicker than the kill: give it more to do
            sell(4000)
        before = outbox(k)
        agent = subprocess.Popen([KIOSK, "--data-dir", str(k.data_dir), "sync", "--once"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Kill it mid-upload: once its first batch is acknowledged (the process takes
        # ~0.5 s to start), at a random moment within the next few batches.
        deadline = time.monotonic() + 30
        while agent.poll() is None and outbox(k) == before and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.15))
        if agent.poll() is None:
            agent.send_signal(signal.SIGKILL)
            kills += 1
        agent.wait(timeout=30)
    assert kills >= 6, "the agent should have been killed mid-sync several times"
    converge(pg_ledger, [k])


@pytest.mark.postgres
@pytest.mark.slow
def test_killing_the_ledger_mid_upload_loses_and_doubles_nothing(pg_ledger, tmp_path):
    k = paired(pg_ledger, tmp_path, "till-1")
    fill_outbox(k, 10000)  # ten uploads of 1,000: the kills land while it uploads
    agent = subprocess.Popen([KIOSK, "--data-dir", str(k.data_dir), "sync", "--forever",
                              "--interval", "0.2", "--max-backoff", "0.5"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        rng = random.Random(5)
        for _ in range(4):
            time.sleep(rng.uniform(0.1, 0.6))
            pg_ledger.kill()
            time.sleep(rng.uniform(0.0, 0.5))
            pg_ledger.start()
        deadline = time.monotonic() + 120
        while outbox(k) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert outbox(k) == 0, "the agent never finished uploading"
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=30)
    converge(pg_ledger, [k])


@pytest.mark.postgres
def test_a_database_restart_costs_a_retry_at_most_and_loses_nothing(pg_ledger, tmp_path):
    """Every connection the ledger holds is cut, as a PostgreSQL restart would: the next
    calls answer 503 (retry) or succeed, never 500, and sync carries on."""
    import psycopg

    from sync.client import LedgerUnavailable
    from tests.helpers.ledger_process import PG_ADMIN

    k = paired(pg_ledger, tmp_path, "till-1")
    fill_outbox(k, 300)
    k.agent().sync_once()
    database = pg_ledger.db.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        cut = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = %s", (database,)).fetchone()
    assert cut is not None and cut[0] >= 1
    state = [requests.get(pg_ledger.url + "/v1/state", timeout=10,
                          headers={"Authorization": f"Bearer {k.token}"}).status_code
             for _ in range(3)]
    assert set(state) <= {200, 503} and state[-1] == 200, state
    with k.kiosk.store.read() as tx:
        [member] = tx.members.ids()
    for i in range(300):
        ring_up_sale(k.kiosk, Sale(member, 100 + i, f"R-{i}"))
    for _attempt in range(3):
        try:
            k.agent().sync_once()
            break
        except LedgerUnavailable:
            continue
    converge(pg_ledger, [k])


@pytest.fixture(scope="module")
def shared_ledger(tmp_path_factory):
    """One ledger for the bad-input tests: each adds its own device."""
    folder = tmp_path_factory.mktemp("shared-ledger")
    ledger = start_ledger(f"sqlite:///{folder / 'ledger.db'}", folder)
    yield ledger
    ledger.kill()


def upload(ledger, token: str, body: object, **kw) -> requests.Response:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return requests.post(ledger.url + "/v1/upload", data=data, timeout=10,
                         headers={"Authorization": f"Bearer {token}",
                                  "Content-Type": "application/json", **kw})


def entry(member_id: uuid.UUID, **changes) -> dict[str, object]:
    body: dict[str, object] = {
        "id": str(uuid.uuid4()), "member_id": str(member_id), "kind": "earn", "points": 5,
        "amount_minor": 500, "channel": "till-1", "program_version": "2026.2",
        "occurred_at": datetime.now(UTC).isoformat(), "device_seq": 1}
    body.update(changes)
    return body


def test_wrong_or_revoked_tokens_get_401_and_write_nothing(sqlite_ledger, tmp_path):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    fill_outbox(k, 3)
    body = {"entries": [entry(uuid.uuid4())]}
    for token in ("", "nonsense", k.token[:-1] + ("A" if k.token[-1] != "A" else "B")):
        response = upload(sqlite_ledger, token, body)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorised"
    sqlite_ledger.cli("revoke-device", "till-1")
    assert requests.get(sqlite_ledger.url + "/v1/entries", timeout=10,
                        headers={"Authorization": f"Bearer {k.token}"}).status_code == 401
    agent = k.agent()
    with pytest.raises(Exception, match="401"):
        agent.sync_once()
    assert outbox(k) == 4  # the sign-up bonus and three sales still wait, none lost
    assert sqlite_ledger.check() == []
    assert requests.get(sqlite_ledger.url + "/v1/health", timeout=10).ok


@pytest.mark.parametrize(("body", "field"), [
    ("{not json", "json"),
    ({"entries": [entry(uuid.uuid4(), points=1.5)]}, "points"),
    ({"entries": [entry(uuid.uuid4(), points="5")]}, "points"),
    ({"entries": [entry(uuid.uuid4(), occurred_at="2026-11-20T10:00:00")]}, "occurred_at"),
    ({"entries": [entry(uuid.uuid4(), kind="gift")]}, "kind"),
    ({"entries": [entry(uuid.uuid4(), id="not-a-uuid")]}, "id"),
    ({"entries": [entry(uuid.uuid4(), surprise=1)]}, "surprise"),
    ({"entries": [entry(uuid.uuid4())] * 1001}, "entries"),
    ({}, "entries"),
    ([1, 2, 3], "body"),
])
def test_malformed_bodies_get_422_naming_the_field_never_500(shared_ledger, body, field):
    token = shared_ledger.add_device(f"till-{uuid.uuid4().hex[:8]}")
    response = upload(shared_ledger, token, body)
    assert response.status_code == 422, response.text
    assert field in json.dumps(response.json()["detail"])
    assert shared_ledger.check() == []


def test_oversize_bodies_get_413_and_the_ledger_keeps_serving(shared_ledger):
    sqlite_ledger = shared_ledger
    token = sqlite_ledger.add_device("big-talker")
    response = upload(sqlite_ledger, token, b"[" + b"0," * 3_000_000 + b"0]")
    assert response.status_code == 413
    lying = requests.post(sqlite_ledger.url + "/v1/upload", timeout=10,
                          data=(b"x" * n for n in [1_000_000] * 5),  # chunked, no length
                          headers={"Authorization": f"Bearer {token}"})
    assert lying.status_code == 413
    assert requests.get(sqlite_ledger.url + "/v1/health", timeout=10).ok


def test_entries_that_break_the_rules_are_rejected_one_by_one(sqlite_ledger, tmp_path):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("A", "0912000111", consent=True)).member.id
    k.agent().sync_once()
    good = entry(member, device_seq=2)
    bad_sign = entry(member, points=-5, device_seq=3)
    stranger = entry(uuid.uuid4(), device_seq=4)
    response = upload(sqlite_ledger, k.token, {"entries": [good, bad_sign, stranger]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected"]
    assert "cannot take points away" in results[1]["reason"]
    assert "unknown member" in results[2]["reason"]
    assert response.json()["acked_through"] == 4
    conflict = dict(good, points=50, amount_minor=5000)  # what the rules give, other content
    again = upload(sqlite_ledger, k.token, {"entries": [good]}).json()["results"]
    assert [(r["status"], r["seq"]) for r in again] == [("duplicate", results[0]["seq"])]
    clash = upload(sqlite_ledger, k.token, {"entries": [conflict]}).json()["results"]
    assert clash[0]["status"] == "rejected" and "conflict" in clash[0]["reason"]
    twice = entry(member, device_seq=5)
    both = upload(sqlite_ledger, k.token,
                  {"entries": [twice, dict(twice, points=9)]}).json()["results"]
    assert [r["status"] for r in both] == ["accepted", "rejected"]
    assert sqlite_ledger.check() == []


def test_add_device_prints_a_token_once_and_the_ledger_keeps_only_its_hash(shared_ledger):
    added = shared_ledger.cli("add-device", "till-cli")
    token = str(added["token"])
    assert added["device_id"] == "till-cli" and len(token) >= 40
    assert requests.get(shared_ledger.url + "/v1/state", timeout=10,
                        headers={"Authorization": f"Bearer {token}"}).ok
    import sqlite3

    db = shared_ledger.db.removeprefix("sqlite:///")
    stored = sqlite3.connect(db).execute("SELECT token_hash FROM devices WHERE id = "
                                         "'till-cli'").fetchone()[0]
    assert token not in stored and len(stored) == 64


def test_tokens_never_start_with_a_dash_so_any_command_line_takes_them(tmp_path):
    """A token like "-mHi..." made `kiosk shop --token T` fail as a missing argument."""
    engine = ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    ledger = Ledger(engine, lambda: datetime.now(UTC))
    tokens = [ledger.add_device(f"till-{n}")[1] for n in range(200)]
    assert all(t[0].isalpha() and len(t) >= 40 for t in tokens)
    assert len(set(tokens)) == 200


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=4),
    max_leaves=20)
FIELDS = ["id", "member_id", "kind", "points", "amount_minor", "channel", "occurred_at",
          "program_version", "order_ref", "reverses", "reward_id", "note", "device_seq"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values | st.fixed_dictionaries({"entries": st.lists(json_values,
                                                                      max_size=3)}),
       field=st.sampled_from(FIELDS), value=json_values)
def test_no_body_ever_gets_a_500(shared_ledger, fuzz_token, body, field, value):
    for candidate in (body, {"entries": [dict(entry(uuid.uuid4()), **{field: value})]}):
        response = upload(shared_ledger, fuzz_token, candidate)
        assert response.status_code in (200, 413, 422), response.text


@pytest.fixture(scope="module")
def fuzz_token(shared_ledger):
    return shared_ledger.add_device("fuzzer")


def test_the_openapi_schema_documents_the_upload_body(shared_ledger):
    doc = requests.get(shared_ledger.url + "/openapi.json", timeout=10).json()
    body = doc["paths"]["/v1/upload"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/UploadRequest"}
    schemas = doc["components"]["schemas"]
    entries = schemas["UploadRequest"]["properties"]["entries"]
    assert entries["items"] == {"$ref": "#/components/schemas/EntryWire"}
    assert "device_seq" in schemas["EntryWire"]["properties"]

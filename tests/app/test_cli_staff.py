"""`kiosk staff` and `kiosk audit`: the store owner adds people with their own PINs, the
entries a command makes name who made them, a sale above the limit names its approver, and
the trail lists it all as JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import kiosk, kiosk_json
from tests.helpers.program import PLAIN_PROGRAM


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "k1"
    kiosk(folder, "init", "--store-name", "Test store", "--program", str(PLAIN_PROGRAM))
    return folder


def test_staff_are_added_listed_and_named_on_what_they_do(data: Path) -> None:
    kiosk(data, "staff", "add", "Grace Ho", "--role", "manager", "--pin", "2468")
    kiosk(data, "staff", "add", "林美", "--pin", "1357")  # a cashier by default
    refused = kiosk_json(data, "staff", "add", "grace ho", "--pin", "1111", expect=1)
    assert refused["error"]["code"] == "duplicate_staff"
    assert [(p["name"], p["role"]) for p in kiosk_json(data, "staff", "list")["staff"]] == [
        ("Grace Ho", "manager"), ("林美", "cashier")]

    card = kiosk_json(data, "member", "enroll", "--name", "A", "--phone", "0912345678",
                      "--consent", "--staff", "林美")["card_payload"]
    big = kiosk_json(data, "sale", "--card", card, "--amount", "150000", "--staff", "林美",
                     expect=1)
    assert big["error"]["code"] == "needs_approval"
    not_manager = kiosk_json(data, "sale", "--card", card, "--amount", "150000",
                             "--staff", "林美", "--approved-by", "林美", expect=1)
    assert not_manager["error"]["code"] == "not_a_manager"
    sale = kiosk_json(data, "sale", "--card", card, "--amount", "150000", "--order-ref",
                      "BIG-1", "--staff", "林美", "--approved-by", "grace ho")
    assert {e["staff"] for e in sale["entries"]} == {"林美"}
    unapproved = kiosk_json(data, "refund", "--order-ref", "BIG-1", "--staff", "林美",
                            expect=1)  # review 28b: a cashier alone refunded any order
    assert unapproved["error"]["code"] == "refund_needs_approval"
    assert "--approved-by" in unapproved["error"]["message"]
    refund = kiosk_json(data, "refund", "--order-ref", "BIG-1", "--staff", "林美",
                        "--approved-by", "Grace Ho")
    assert "(approved by Grace Ho)" in refund["entries"][0]["note"]

    events = kiosk_json(data, "audit")["events"]
    assert [(e["action"], e["staff"], e["approved_by"]) for e in events[:2]] == [
        ("refund", "林美", "Grace Ho"), ("sale_approved", "林美", "Grace Ho")]
    assert events[1]["detail"] == "BIG-1 · TWD 150000"
    unknown = kiosk_json(data, "sale", "--card", card, "--amount", "10", "--staff", "Nobody",
                         expect=1)
    assert unknown["error"]["code"] == "unknown_staff"
    assert "Nobody" in unknown["error"]["message"]

"""An upgrade with a queue (review of 597b294): a kiosk on a version before check_code
(f7d4e43) took sales whose basket line's code has a byte order mark (U+FEFF, what a till
catalogue exported as UTF-8 CSV from a spreadsheet carries on its first field), a space at
the end or a zero-width space, and queued them offline. After the upgrade the wire refused
those codes in a kiosk's order (OrderWire's lines were ProductCode), so the uploader
quarantined the orders' entries: the member's points for sales the counter took never
reached the ledger. What a counter already took goes up as it took it (OrderWire's lines
are RecordedLineWire, Text64): the strict rule is for new input only, the counter's
check_code and a shop's order or refund. And the sync detail says what the wire refused
in a field, by the pattern that refused it, not 'a control character' for every one."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from pydantic import ValidationError

from kiosk.services import Enrolment, Kiosk, Sale, SaleLine, enrol, ring_up_sale
from kiosk.services import sales as sales_module
from sync.protocol import OrderWire, RevocationWire, UploadRequest
from sync.uploads import Uploader, _why
from sync.wire_orders import RecordedLineWire
from sync.wire_shop import OrderLineWire
from tests.helpers.ledger_process import LedgerProcess, paired

OLDER_CODES = pytest.mark.parametrize("code", ["\ufeffTEA", "SP ", "TEA\u200b"],
                                      ids=["BOM", "padded", "zero-width"])


def rung_up_by_an_older_counter(kiosk: Kiosk, member_id, code: str, order_ref: str,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as older:  # the counter before check_code: codes as sent
        older.setattr(sales_module, "check_code", lambda code, what="": None)
        ring_up_sale(kiosk, Sale.of_basket(member_id, (SaleLine(code, 1, 1000),), order_ref))


@OLDER_CODES
def test_a_sale_queued_by_an_older_counter_still_goes_up(kiosk: Kiosk, member, code: str,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    rung_up_by_an_older_counter(kiosk, member.member.id, code, "Q-1", monkeypatch)
    with kiosk.store.read() as tx:
        queued = [e for _, e in tx.outbox.batch(100)]
    request = Uploader(kiosk, None)._next_request(after=0)  # type: ignore[arg-type]
    with kiosk.store.read() as tx:
        assert tx.outbox.quarantined([e.id for e in queued]) == {}
    assert request is not None and {e.id for e in request.entries} == {e.id for e in queued}
    [order] = request.orders
    assert [line.code for line in order.lines] == [code]  # as the counter took it
    # and the ledger's own parse of the request takes it as sent
    parsed = UploadRequest.model_validate_json(request.model_dump_json())
    assert [line.code for line in parsed.orders[0].lines] == [code]


@OLDER_CODES
def test_the_ledger_takes_the_queued_sale_and_answers_for_its_order(
        sqlite_ledger: LedgerProcess, tmp_path: Path, code: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    k = paired(sqlite_ledger, tmp_path, "till-1")
    joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id
    rung_up_by_an_older_counter(k.kiosk, joined, code, "Q-1", monkeypatch)
    report = k.agent().sync_once()
    assert report.pending_uploads == 0
    with k.kiosk.store.read() as tx:
        assert tx.outbox.rejections() == []  # nothing held back
    answer = requests.get(f"{k.url}/v1/members/{joined}/balance", timeout=30,
                          headers={"Authorization": f"Bearer {k.token}"})
    with k.kiosk.store.read() as tx:
        on_kiosk = sum(e.points for e in tx.entries.of_member(joined))
    assert answer.json()["balance"] == on_kiosk > 0  # the kiosk and the ledger agree
    got = requests.get(f"{k.url}/v1/orders/till-1/Q-1", timeout=30,
                       headers={"Authorization": f"Bearer {k.token}"})
    assert got.status_code == 200, got.text
    assert [line.code for line in OrderWire.model_validate_json(got.content).lines] == [code]


def refusal(model: type, body: dict) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(body)
    return refused.value


@pytest.mark.parametrize("code", ["SP ", "\ufeffSP", "SP\u200bA"])
def test_the_sync_detail_says_what_is_wrong_with_a_code(code: str) -> None:
    """The manager's sync detail (uploads._why) called every pattern refusal 'a control
    character (an invisible code such as NUL)': wrong for 'SP ' (a space at the end)."""
    why = _why(refusal(OrderLineWire, {"code": code, "quantity": 1, "unit_price_minor": 1}))
    assert why == ("code: a product code is 1 to 64 characters a receipt shows, with no "
                   "space at either end")


def test_the_sync_detail_says_a_control_character_where_there_is_one() -> None:
    body = {"code": "SP\x00", "quantity": 1, "unit_price_minor": 1}  # a kiosk's order line
    assert _why(refusal(RecordedLineWire, body)) == (
        "code: control characters (such as NUL) are not allowed here")
    card = {"card_no": "12345", "member_id": "0" * 32, "revoked_at": "2026-12-01T00:00:00Z"}
    assert _why(refusal(RevocationWire, card)) == "card_no: not in a form the wire takes"

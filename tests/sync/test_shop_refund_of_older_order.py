"""Orders the ledger stored before 597b294 whose line's code holds an invisible character
(the wire's Text64 took a zero-width space; the ledger keeps the record as sent), review
of 597b294, on both databases:

* the ledger answers for such an order (GET /v1/orders/{channel}/{ref}, Orders.get ->
  OrderWire.of): it built OrderWire with ProductCode lines and raised, a 500;
* the shop refunds that line by the code a receipt shows for it (``TEA`` for
  ``TEA\\u200b``: ``kiosk.printable.as_shown``), which is all it can type: a refund's
  code is new input and still held to the counter's rule (``TEA\\u200b`` is a 422)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from kiosk.engine.orders import OrderLine
from sync.protocol import UploadRequest
from sync.server.calls import LedgerRefusal
from sync.server.counter import OnlineCounter
from sync.server.ledger import Ledger
from sync.wire_shop import OrderRequest, RefundRequest
from tests.helpers.ledger_wire import KIOSK, SHOP, members, sale

CODE = "TEA\u200b"  # as the shop's catalogue had it; the wire took it before 597b294


def older_order(ledger: Ledger) -> tuple[OnlineCounter, int]:
    """The shop's order W-1 of TEA\\u200b and CUP (NT$1,000 each), as the ledger kept it
    before 597b294, and the points it earned."""
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[sale(member, 1)]))
    counter = OnlineCounter(ledger)
    earned = counter.order(SHOP, member.id, 2000, "W-1",
                           (OrderLine("TEAX", 1, 1000, None),
                            OrderLine("CUP", 1, 1000, None))).points
    with ledger.engine.begin() as conn:  # the record as the ledger kept it then
        conn.execute(text("UPDATE orders SET record = replace(record, 'TEAX', :code)"),
                     {"code": CODE})
    return counter, earned


def shop_refund(counter: OnlineCounter, body: str) -> int:
    """The route's work: the body parsed as the API parses it, then the refund."""
    request = RefundRequest.model_validate_json(body)
    return counter.refund(SHOP, request.order_ref,
                          [(x.code, x.quantity) for x in request.lines]).points


def test_the_ledger_still_answers_for_an_older_order(ledger: Ledger) -> None:
    older_order(ledger)
    wire = ledger.order(SHOP, "web", "W-1")
    assert [line.code for line in wire.lines] == [CODE, "CUP"]


def test_a_line_of_an_older_shop_order_is_refunded_by_the_code_a_receipt_shows(
        ledger: Ledger) -> None:
    counter, earned = older_order(ledger)
    assert earned == 20
    line = '{"order_ref": "W-1", "lines": [{"code": "TEA", "quantity": 1}]}'
    assert shop_refund(counter, line) == -10  # the TEA\u200b line's half, the CUP's kept
    with pytest.raises(LedgerRefusal, match="0 left to refund"):
        shop_refund(counter, line)  # once
    assert shop_refund(counter, line.replace("TEA", "CUP")) == -10


def test_the_shop_still_may_not_name_a_code_with_an_invisible_character() -> None:
    with pytest.raises(ValidationError) as refused:  # new input: a 422 at the route
        RefundRequest.model_validate_json(
            '{"order_ref": "W-1", "lines": [{"code": "TEA\\u200b", "quantity": 1}]}')
    assert [e["loc"] for e in refused.value.errors()] == [("lines", 0, "code")]


REF = "W-2\u200b"  # an order number the shop's wire took before it held refs to the rule


def test_an_older_shop_order_whose_number_has_an_invisible_character_reads_back_and_refunds(
        ledger: Ledger) -> None:
    """A new order's number is held to the counter's rule (a 422); one the ledger took
    before still answers and refunds by the number it was stored under."""
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[sale(member, 1)]))
    counter = OnlineCounter(ledger)
    earned = counter.order(SHOP, member.id, 1000, REF, ()).points  # as the ledger took it
    assert ledger.order(SHOP, "web", REF).order_ref == REF
    assert shop_refund(counter, '{"order_ref": "W-2\\u200b"}') == -earned
    with pytest.raises(ValidationError, match="order_ref"):
        OrderRequest.model_validate_json(
            f'{{"member_id": "{member.id}", "amount_minor": 1000, "order_ref": "W-3\\u200b"}}')

"""``kiosk checkout``: a JSON basket in, the order out (issue 15).

The basket is what a till integration sends: its lines with their prices as decimals in
the program's currency, and the order's loyalty (a reward, a coupon by its QR text or id,
points as money) as options::

    kiosk checkout --card CP1.… --basket basket.json --reward nt100-off --points 50
    {"lines": [{"code": "TEA-OOLONG", "quantity": 2, "unit_price": "65", "category": "tea"},
               {"code": "AMOUNT", "unit_price": "330"}]}

(or the list of lines alone). A file may start with a byte order mark (Notepad's); a key
given twice in one object is refused, naming it.

``--basket -`` reads standard input; ``--quote`` prices it and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk import presenters
from kiosk.app.cli_base import Output
from kiosk.app.cli_staff import approver
from kiosk.engine.coupons import parse_coupon_payload
from kiosk.json_keys import key_given_twice
from kiosk.money import AmountError, to_minor
from kiosk.services import Kiosk, SaleLine, member_for_card
from kiosk.services.checkout import Checkout, check_out, quote_checkout
from kiosk.services.errors import InputProblem, InvalidInput, product_code

MAX_BASKET_BYTES = 1_000_000
BOM = "\ufeff"


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, ge=1, le=10**6, strict=True)
    unit_price: str = Field(min_length=1, max_length=32)  # a decimal, "65" or "12.50"
    category: str | None = Field(default=None, min_length=1, max_length=64)


class _Basket(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    lines: list[_Line] = Field(min_length=1, max_length=500)


def parse_basket(text: str, minor_units: int) -> tuple[SaleLine, ...]:
    """The basket's lines in minor units; InvalidInput naming the line and field if not.
    A list of lines alone is the basket of those lines."""
    if text.lstrip().startswith("["):
        text = f'{{"lines": {text}}}'
    twice = key_given_twice(text)
    if twice is not None:
        raise InvalidInput(f"basket: the key {twice!r} is given twice in one object",
                           InputProblem.BASKET_LINE)
    try:
        basket = _Basket.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = "".join(f"{part}: " if i == len(first["loc"]) - 1 else f"{part}."
                        for i, part in enumerate(first["loc"]))
        raise InvalidInput(f"basket: {where}{first['msg']}",
                           InputProblem.BASKET_LINE) from None
    lines = []
    for i, line in enumerate(basket.lines):
        try:
            price = to_minor(line.unit_price, minor_units)
        except AmountError as exc:
            raise InvalidInput(f"basket: lines.{i}.unit_price: {exc}",
                               InputProblem.BASKET_LINE) from None
        code = product_code(line.code, f"code of basket line {i + 1}")  # as a refund reads it
        lines.append(SaleLine(code, line.quantity, price, line.category))
    return tuple(lines)


def coupon_id(text: str) -> uuid.UUID:
    """A coupon as the cashier scans it (``CPQ1.…``) or as its id."""
    try:
        return parse_coupon_payload(text) if text.startswith("CPQ1.") else uuid.UUID(text)
    except ValueError as exc:
        raise InvalidInput(f"--coupon: {exc}", InputProblem.BASKET_LINE) from None


def _read(source: str) -> str:
    """The basket's text, from a file, standard input or the argument itself; without the
    byte order mark Windows Notepad starts a UTF-8 file with (JSON has no place for it)."""
    if source == "-":
        text = sys.stdin.read(MAX_BASKET_BYTES + 1)
    elif source.lstrip().startswith(("{", "[")):  # the JSON itself, typed or piped in
        text = source
    else:
        try:
            with Path(source).open(encoding="utf-8") as f:
                text = f.read(MAX_BASKET_BYTES + 1)
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"--basket: can't read {source}: {exc}",
                               InputProblem.BASKET_LINE) from None
    if len(text) > MAX_BASKET_BYTES:
        raise InvalidInput(f"--basket: more than {MAX_BASKET_BYTES} bytes",
                           InputProblem.BASKET_LINE)
    return text.removeprefix(BOM)


def cmd_checkout(args: argparse.Namespace, kiosk: Kiosk, out: Output) -> int:
    from kiosk.app.ledger_link import attach_ledger

    lines = parse_basket(_read(args.basket), kiosk.program.minor_units)
    checkout = Checkout(member_for_card(kiosk, args.card), lines, args.reward,
                        None if args.coupon is None else coupon_id(args.coupon),
                        args.points, args.order_ref,
                        approver(kiosk, args.approved_by) if not args.quote else None)
    attach_ledger(kiosk)  # online: another store's coupon is looked up, the hold asked for
    if args.quote:
        quote = quote_checkout(kiosk, checkout)
        out.result(presenters.quote_dict(quote, kiosk.program),
                   presenters.quote_text(quote, kiosk.program))
        return 0
    result = check_out(kiosk, checkout)
    out.result(presenters.checkout_dict(result, kiosk.program),
               presenters.checkout_text(result, kiosk.program))
    return 0


def add_checkout_command(command: Any, at_counter: Any) -> None:
    p = command("checkout", cmd_checkout,
                "ring up a basket with a reward, a coupon and points as money")
    at_counter(p)
    p.add_argument("--card", required=True, help="the scanned card payload")
    p.add_argument("--basket", required=True,
                   help="the basket as JSON: a file, '-' for standard input, or the text")
    p.add_argument("--reward", help="reward id from the program")
    p.add_argument("--coupon", help="the coupon's QR text (CPQ1.…) or id")
    p.add_argument("--points", type=int, default=0, help="points to pay with, as money")
    p.add_argument("--order-ref", help="the till's order number (makes retries safe)")
    p.add_argument("--approved-by", metavar="MANAGER",
                   help="the manager who approves a sale above the program's limit")
    p.add_argument("--quote", action="store_true",
                   help="price it and say how many points may pay; write nothing")

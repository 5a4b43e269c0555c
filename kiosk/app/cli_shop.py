"""``kiosk shop order|refund|redeem|donate|member``: the online shop, played from the
command line against a ledger through its HTTP API, as the shop itself would (its device
token, its channel); ``cli_shop_cards.py`` adds the shop's lost-card commands.

    kiosk shop order --member ID --amount 1200 --order-ref W-1 --ledger-url URL --token T
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.app.cli_base import Output, Parser, code_quantity
from kiosk.app.cli_ledger_base import now
from kiosk.app.cli_shop_cards import add_shop_card_commands
from kiosk.app.cli_shop_link import member_arg, shop_client
from kiosk.services.errors import InputProblem, InvalidInput, Refusal

if TYPE_CHECKING:
    from sync.client import LedgerClient


def _order_out(out: Output, result: Any, verb: str) -> int:
    out.result(result.model_dump(mode="json"),
               f"{verb} {result.order_ref}: {result.points:+d} points; balance "
               f"{result.balance} ({result.tier})"
               + (" (already recorded)" if result.duplicate else "") + ".")
    return 0


def cmd_shop_order(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    """An online order of ``--amount`` (plus ``--shipping``, its own line), with what loyalty
    pays: ``--reward`` (free shipping among them), ``--coupon``, ``--points``."""
    from kiosk.engine.checkout import SHIPPING_LINE
    from kiosk.engine.orders import KEYED_AMOUNT
    from kiosk.money import to_minor
    from kiosk.program import parse_program
    from sync.wire_shop import OrderLineWire

    member = member_arg(args.member)
    client = shop_client(args)
    program = parse_program(client.state().program, format="json")
    amount = to_minor(args.amount, program.minor_units)
    lines = []
    if args.shipping is not None:
        shipping = to_minor(args.shipping, program.minor_units)
        lines = [OrderLineWire(code=KEYED_AMOUNT, quantity=1, unit_price_minor=amount),
                 OrderLineWire(code=SHIPPING_LINE, quantity=1, unit_price_minor=shipping)]
        amount += shipping
    coupon = None
    if args.coupon is not None:
        try:
            coupon = uuid.UUID(args.coupon)
        except ValueError:
            raise InvalidInput(f"--coupon: {args.coupon!r} is not a coupon id") from None
    result = client.order(member, amount, args.order_ref, lines, reward_id=args.reward,
                          coupon_id=coupon, points=args.points)
    return _order_out(out, result, "Order")


def cmd_shop_refund(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    return _order_out(out, shop_client(args).refund(args.order_ref, args.line or ()),
                      "Refund of")


def cmd_shop_redeem(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from kiosk.ledger import EntryKind
    from kiosk.program import parse_program

    client = shop_client(args)
    program = parse_program(client.state().program, format="json")
    reward = program.reward(args.reward)
    if reward is None:
        raise Refusal(f"there is no reward {args.reward!r} in program {program.version}")
    seq, balance = _spend_online(client, args, member_id=member_arg(args.member),
                                 kind=EntryKind.REDEEM, points=-reward.cost,
                                 program_version=program.version, reward_id=reward.id,
                                 order_ref=args.order_ref)
    out.result({"reward": reward.id, "points": -reward.cost, "seq": seq,
                "balance": balance, "authorised": "online"},
               f"Redeemed {reward.names.en} online for {reward.cost} points; balance {balance}.")
    return 0


def cmd_shop_donate(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    """A member gives points to one of the program's causes through the shop's API: held and
    confirmed like a redemption (the ledger checks the cause and its bounds)."""
    from kiosk.engine.donations import cause_note, donation_problem
    from kiosk.ledger import EntryKind
    from kiosk.program import parse_program

    client = shop_client(args)
    program = parse_program(client.state().program, format="json")
    cause = next((c for c in program.causes if c.id == args.cause), None)
    if cause is None:
        raise Refusal(f"there is no cause {args.cause!r} in program {program.version}")
    if problem := donation_problem([cause], cause_note(cause.id), -args.points):
        raise InvalidInput(problem, InputProblem.DONATION_SIZE)  # as `kiosk donate` says it
    seq, balance = _spend_online(client, args, member_id=member_arg(args.member),
                                 kind=EntryKind.DONATE, points=-args.points,
                                 program_version=program.version, note=cause_note(cause.id))
    out.result({"cause": cause.id, "points": -args.points, "seq": seq, "balance": balance,
                "authorised": "online"},
               f"Thank you: {args.points} points given to {cause.names.en}; "
               f"balance {balance}.")
    return 0


def _spend_online(client: LedgerClient, args: argparse.Namespace, **fields: Any
                  ) -> tuple[int | None, int]:
    """Hold and confirm an entry that spends points (a redemption, a donation) on the
    shop's channel; an option the ledger's wire would refuse is named. Returns the
    entry's seq and the member's balance after it."""
    from pydantic import ValidationError

    from kiosk.ids import new_id
    from sync.protocol import EntryWire

    try:
        entry = EntryWire(id=new_id(), channel=args.channel, occurred_at=now(), **fields)
    except ValidationError as exc:  # --channel or --order-ref the ledger would refuse
        first = exc.errors()[0]
        option = "--" + "-".join(str(part) for part in first["loc"]).replace("_", "-")
        raise InvalidInput(f"{option}: {first['msg']}") from None
    client.reserve(entry)
    result = client.confirm(entry.id)
    return result.seq, client.balance(entry.member_id)


def cmd_shop_member(args: argparse.Namespace, data_dir: Path, out: Output) -> int:
    member = member_arg(args.member)
    history = shop_client(args).member(member)
    out.result(history.model_dump(mode="json"),
               f"{history.member.name}: {history.balance} points ({history.available} "
               f"available), {history.tier}; {len(history.entries)} recent entries.")
    return 0


def add_shop_commands(sub: Any, command: Any) -> None:
    shop = sub.add_parser("shop", help="play the online shop against a ledger").add_subparsers(
        dest="shop_command", required=True, parser_class=Parser)

    def shop_command(name: str, handler: Any, help: str) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = command(name, handler, help, needs_kiosk=False,
                                             into=shop)
        q.add_argument("--ledger-url", required=True)
        q.add_argument("--token", help="the shop's device token (or COUNTERPOINT_SHOP_TOKEN)")
        return q

    q = shop_command("order", cmd_shop_order, "award points for an online order")
    q.add_argument("--member", required=True, help="member id")
    q.add_argument("--amount", required=True)
    q.add_argument("--order-ref", required=True)
    q.add_argument("--shipping", help="the shipping fee, as its own line (free shipping "
                                      "takes it off)")
    q.add_argument("--reward", help="a reward id from the program (e.g. free shipping)")
    q.add_argument("--coupon", help="a coupon id the member holds")
    q.add_argument("--points", type=int, default=0, help="points used as money")
    q = shop_command("refund", cmd_shop_refund, "refund an online order, whole or by line")
    q.add_argument("--order-ref", required=True)
    q.add_argument("--line", action="append", type=code_quantity, metavar="CODE:QTY",
                   help="refund QTY of the line(s) with product code CODE (repeatable)")
    q = shop_command("redeem", cmd_shop_redeem, "redeem a reward online (held, confirmed)")
    q.add_argument("--member", required=True)
    q.add_argument("--reward", required=True)
    q.add_argument("--order-ref")
    q.add_argument("--channel", default="web", help="the shop's channel name")
    q = shop_command("donate", cmd_shop_donate, "give a member's points to a cause online")
    q.add_argument("--member", required=True)
    q.add_argument("--cause", required=True, help="a cause id from the program")
    q.add_argument("--points", required=True, type=int)
    q.add_argument("--channel", default="web", help="the shop's channel name")
    q = shop_command("member", cmd_shop_member, "a member's unified balance and history")
    q.add_argument("--member", required=True)
    add_shop_card_commands(shop_command)  # member-find, card-reissue: a lost card

"""What every ``kiosk`` subcommand shares: the parser that reports usage errors instead of
exiting, one way to print results and errors (text or ``--json``), and the default
program document."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from kiosk.limits import text_problem
from kiosk.services import Kiosk
from kiosk.services.errors import InputProblem, InvalidInput, product_code

DEFAULT_PROGRAM = Path(__file__).resolve().parents[2] / "assets" / "program.toml"


class UsageError(Exception):
    pass


_SURROGATE = re.compile("[\ud800-\udfff]")


class Parser(argparse.ArgumentParser):
    """argparse, with usage errors raised (:class:`UsageError`) instead of exiting, and
    every text argument of every command checked once: one that is not UTF-8 (a Big5
    terminal's bytes reach Python as lone surrogates, which no database, JSON or receipt
    can hold) is refused naming the argument (InvalidInput, exit 1)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None,
                         ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        for action in self._actions:  # a subcommand's parser checks its own
            value = getattr(parsed, action.dest, None)
            for item in value if isinstance(value, list) else [value]:
                found = isinstance(item, str) and _SURROGATE.search(item)
                if found:
                    name = "/".join(action.option_strings) or action.metavar or action.dest
                    raise InvalidInput(f"{name} {text_problem(found.group())}",
                                       InputProblem.CONTROL_CHARACTER)
        return parsed, extras


class Output:
    """Prints a result as JSON or as a line of text, and errors the same way."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def result(self, data: dict[str, Any], text: str) -> None:
        print(json.dumps(data, ensure_ascii=False) if self.as_json else text)

    def error(self, code: str, message: str) -> None:
        if self.as_json:
            print(json.dumps({"error": {"code": code, "message": message}},
                             ensure_ascii=False))
        else:
            print(f"error: {message}", file=sys.stderr)


KioskCommand = Callable[[argparse.Namespace, Kiosk, "Output"], int]
DirCommand = Callable[[argparse.Namespace, Path, "Output"], int]


def code_quantity(text: str) -> tuple[str, int]:
    """``CODE:QTY`` (``--line``) as (code, quantity): argparse says what is wrong with it.
    The code is read as a sale's basket reads it (``product_code``), so a line the checkout
    took is refunded by the code it was sent with."""
    code, colon, quantity = text.rpartition(":")
    if not colon or not code.strip() or not quantity.strip().isdigit() or int(quantity) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not CODE:QTY (a product code, a colon and a quantity of 1 or more)")
    try:
        return product_code(code), int(quantity)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc}") from None

"""A command-line argument that is not UTF-8 (a Big5 or Latin-1 terminal, a till script
that passes raw bytes): Python hands it over with lone surrogates. A cashier typing a name
or an order number in Chinese on a Big5 terminal got a UnicodeEncodeError traceback from
`sale --staff`, `sale --approved-by`, `refund --order-ref`, `refund --approved-by`, `staff
remove` and `init --store-name` (SQLite can't encode them), where `member enroll --name`
said "contains a lone surrogate"; now every text argument is checked where the command
line is parsed (found at review 27)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import KIOSK, copy_of, kiosk, kiosk_json
from tests.helpers.program import PLAIN_PROGRAM

BAD = os.fsdecode(b"\xff")  # what Python makes of the byte 0xFF in argv: '\udcff'


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("cli") / "k1"
    kiosk(folder, "init", "--device-id", "till-1", "--program", str(PLAIN_PROGRAM))
    card = kiosk_json(folder, "member", "enroll", "--name", "王小明", "--phone",
                      "0987-654-321", "--consent")["card_payload"]
    kiosk(folder, "staff", "add", "Grace", "--role", "manager", "--pin", "1234")
    kiosk(folder, "sale", "--card", card, "--amount", "500", "--order-ref", "A-1")
    return folder, card


CASES = {
    "sale --staff": lambda card: ["sale", "--card", card, "--amount", "5", "--staff", BAD],
    "sale --approved-by": lambda card: ["sale", "--card", card, "--amount", "5",
                                        "--approved-by", BAD],
    "refund --order-ref": lambda card: ["refund", "--order-ref", BAD],
    "refund --approved-by": lambda card: ["refund", "--order-ref", "A-1",
                                          "--approved-by", BAD],
    "staff remove": lambda card: ["staff", "remove", BAD],
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_argument_that_is_not_utf8_is_refused_in_one_line(template, tmp_path, case):
    """The cashier's terminal is set to Big5 and they type a name or an order number in
    Chinese: `kiosk sale --staff 陳...` (or --approved-by, `refund --order-ref`, `staff
    remove`) prints a UnicodeEncodeError traceback and no JSON, while `member enroll
    --name` or `sale --order-ref` with the same bytes say "contains a lone surrogate"."""
    folder, card = template
    data = copy_of(folder, tmp_path / "k1")
    proc = subprocess.run([KIOSK, "--data-dir", str(data), *CASES[case](card), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr[-300:]
    assert proc.returncode in (1, 2)
    assert "lone surrogate (U+DCFF)" in json.loads(proc.stdout)["error"]["message"]


def test_init_with_a_store_name_that_is_not_utf8_is_refused(tmp_path):
    """`kiosk init --store-name <Big5 bytes>`: a traceback, not a refusal."""
    proc = subprocess.run([KIOSK, "--data-dir", str(tmp_path / "k"), "init",
                           "--store-name", BAD, "--json"], capture_output=True, text=True,
                          timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr[-300:]
    assert "error" in json.loads(proc.stdout)

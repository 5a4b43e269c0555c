"""``kiosk run --text``: a line-based counter on the terminal (a keyboard-wedge scanner types
a card's payload and Enter), for a machine with no display, over the same running counter
as the touchscreen app."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from kiosk import presenters
from kiosk.app.runtime import counter_session
from kiosk.cards import CardError
from kiosk.money import AmountError, to_minor
from kiosk.services import Kiosk, Refusal, Sale, identify, redeem, refund_order, ring_up_sale

HELP = ("Scan a card (or paste its payload), then: sale AMOUNT | redeem REWARD | "
        "refund ORDER | clear | status | help | quit")


def run_counter(kiosk: Kiosk, cards_dir: Path, *, stdin: TextIO = sys.stdin,
                status: Callable[[], str] | None = None, demo: bool = False) -> int:
    """A line-based counter: a keyboard-wedge scanner types the payload and Enter. The demo
    starts by listing its members' cards to paste; a store's counter never does (a card's
    payload is all a scanner needs to spend that member's points, review 27)."""
    print(f"{kiosk.device.store_name}: kiosk {kiosk.device.device_id}, program "
          f"{kiosk.program.version}." + (f" Cards are in {cards_dir}." if demo else ""))
    with kiosk.store.read() as tx:
        for member_id in tx.members.ids() if demo else ():
            cards = tx.cards.of_member(member_id)
            if cards:
                print(f"  demo card {cards[-1].card_no}: {cards[-1].payload}")
    print(HELP)
    member: uuid.UUID | None = None
    for raw in stdin:
        line = raw.strip()
        word, _, rest = line.partition(" ")
        try:
            if not line:
                continue
            if word in ("quit", "exit"):
                break
            if word == "help":
                print(HELP)
            elif word == "status":
                print(status() if status else "This kiosk is not paired with a ledger.")
            elif word == "clear":
                member = None
                print("Member cleared.")
            elif word in ("sale", "redeem") and member is None:
                print("Scan a member card first.")
            elif word == "sale" and member is not None:
                amount = to_minor(rest, kiosk.program.minor_units)
                print(presenters.sale_text(ring_up_sale(kiosk, Sale(member, amount))))
            elif word == "redeem" and member is not None:
                print(presenters.redemption_text(redeem(kiosk, member, rest.strip())))
            elif word == "refund":
                print(presenters.refund_text(refund_order(kiosk, rest.strip()),
                                             kiosk.program))
            else:
                view = identify(kiosk, line)
                member = view.member.id
                print(presenters.member_text(view, kiosk.program))
        except (CardError, Refusal, AmountError) as exc:
            print(f"! {exc}")
    return 0


def run(data_dir: Path, *, demo: bool, program_path: Path, stdin: TextIO = sys.stdin) -> int:
    """The text counter until ``quit``, the end of its input, or Ctrl+C: each of them stops
    the sync thread and the embedded ledger and closes the store on the way out."""
    with counter_session(data_dir, demo=demo, program_path=program_path) as counter:
        try:
            return run_counter(counter.kiosk, data_dir / "cards", stdin=stdin,
                               status=counter.status, demo=demo)
        except KeyboardInterrupt:  # a sale under way was committed whole or not at all
            print("\nStopped.", flush=True)
            return 0

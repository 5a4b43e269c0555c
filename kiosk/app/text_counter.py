"""``kiosk run --text``: a line-based counter on the terminal (a keyboard-wedge scanner types
a card's payload and Enter), for a machine with no display, over the same running counter
as the touchscreen app."""

from __future__ import annotations

import getpass
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from kiosk import presenters
from kiosk.app.runtime import counter_session
from kiosk.cards import CardError
from kiosk.money import AmountError, to_minor
from kiosk.services import Kiosk, Refusal, Sale, identify, redeem, refund_order, ring_up_sale
from kiosk.services.refunds import RefundNeedsApproval
from kiosk.services.staff import check_pin, list_staff, staff_named

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
    lines = iter(stdin)
    for raw in lines:
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
                ref = rest.strip()
                if not ref:
                    print("! Name the order: refund ORDER")
                    continue
                approver = _manager_approval(kiosk, ref, lines, stdin)
                print(presenters.refund_text(refund_order(kiosk, ref, approved_by=approver),
                                             kiosk.program))
            else:
                view = identify(kiosk, line)
                member = view.member.id
                print(presenters.member_text(view, kiosk.program))
        except (CardError, Refusal, AmountError) as exc:
            print(f"! {exc}")
    return 0


def _manager_approval(kiosk: Kiosk, order_ref: str, lines: Iterator[str], stdin: TextIO
                      ) -> str | None:
    """The manager who approves a refund, by name and PIN (as the touchscreen's manager
    screen asks them), at a kiosk with staff; None at one without (as before staff had
    names). A wrong PIN, a cashier's name or nobody's is refused (``Refusal``), and counts
    towards that person's lock like any PIN pad's; the refund's line of the trail names
    the manager."""
    if not list_staff(kiosk):
        return None
    print("A refund needs a manager's approval. Manager's name:", flush=True)
    name = next(lines, "").strip()
    if not name:
        raise RefundNeedsApproval("refund cancelled: no manager named")
    person = staff_named(kiosk, name)
    if stdin is sys.stdin and stdin.isatty():
        pin = getpass.getpass(f"{person.name}'s PIN: ")
    else:
        print(f"{person.name}'s PIN:", flush=True)
        pin = next(lines, "").strip()
    return check_pin(kiosk, person.id, pin, manager=True, detail=f"refund {order_ref}").name


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

"""Demo data and the text counter behind ``kiosk run``.

The touchscreen app (ui/) will replace the text counter; the demo seed stays: a newcomer
gets members in three languages at three tiers, with cards rendered to
``<data-dir>/cards``. Wiring (embedded ledger, sync) is in ``sync/runtime.py``.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kiosk.cards import CardError
from kiosk.money import AmountError, to_minor
from kiosk.services import (
    Enrolment,
    Kiosk,
    Refusal,
    Sale,
    enrol,
    identify,
    redeem,
    refund_order,
    ring_up_sale,
)
from kiosk.services.staff import add_staff, list_staff
from kiosk.staff import Role


@dataclass(frozen=True)
class DemoMember:
    name: str
    phone: str
    spend: tuple[str, ...]  # past sales, major units


DEMO_MEMBERS = (
    DemoMember("陳美玲", "0912-345-678", ("12000", "880")),
    DemoMember("王小明", "0987-654-321", ("450",)),
    DemoMember("Alice Wong", "+852 9123 4567", ("30000", "5200", "1200")),
    DemoMember("李华", "+86 138 0013 8000", ("2600", "900")),
)


# name, role, PIN: the README lists them
DEMO_STAFF = (("Grace Ho", Role.MANAGER, "1234"), ("Mei Lin", Role.CASHIER, "1111"),
              ("陳建國", Role.CASHIER, "2222"))


def seed_demo_staff(kiosk: Kiosk) -> None:
    """A manager and two cashiers, unless the demo kiosk has staff already."""
    if not list_staff(kiosk):
        for name, role, pin in DEMO_STAFF:
            add_staff(kiosk, name, role, pin)


def seed_demo(kiosk: Kiosk, cards_dir: Path) -> list[uuid.UUID]:
    from devices.card_image import render_card, save_card

    seed_demo_staff(kiosk)
    cards_dir.mkdir(parents=True, exist_ok=True)
    ids = []
    for i, demo in enumerate(DEMO_MEMBERS):
        result = enrol(kiosk, Enrolment(demo.name, demo.phone, consent=True))
        for j, amount in enumerate(demo.spend):
            ring_up_sale(kiosk, Sale(result.member.id, to_minor(amount,
                                     kiosk.program.minor_units), f"DEMO-{i}-{j}"))
        save_card(render_card(result.card.payload, result.card.card_no, result.member.name,
                              kiosk.device.store_name),
                  cards_dir / f"{result.card.card_no}.png")
        ids.append(result.member.id)
    return ids


HELP = ("Scan a card (or paste its payload), then: sale AMOUNT | redeem REWARD | "
        "refund ORDER | clear | status | help | quit")


def run_counter(kiosk: Kiosk, cards_dir: Path, *, stdin: TextIO = sys.stdin,
                status: Callable[[], str] | None = None) -> int:
    """A line-based counter: a keyboard-wedge scanner types the payload and Enter."""
    from kiosk import presenters

    print(f"{kiosk.device.store_name}: kiosk {kiosk.device.device_id}, program "
          f"{kiosk.program.version}. Cards are in {cards_dir}.")
    with kiosk.store.read() as tx:
        for member_id in tx.member_ids():
            cards = tx.cards_of(member_id)
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
                print(presenters.refund_text(refund_order(kiosk, rest.strip())))
            else:
                view = identify(kiosk, line)
                member = view.member.id
                print(presenters.member_text(view, kiosk.program))
        except (CardError, Refusal, AmountError) as exc:
            print(f"! {exc}")
    return 0

"""Demo data for ``kiosk run --demo``: a newcomer gets staff with PINs and members in three
languages at three tiers, with cards rendered to ``<data-dir>/cards``. Wiring (embedded
ledger, sync) is in :mod:`kiosk.app.runtime`.

The members' history is dated in the past, as a shop's would be, in the order it happened:
the points of months ago are spendable (past the program's return window, if it has
one) and the last few days' may still be pending."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.engine.orders import KEYED_AMOUNT
from kiosk.money import to_minor
from kiosk.services import (
    Enrolment,
    Kiosk,
    Sale,
    SaleLine,
    enrol,
    ring_up_sale,
)
from kiosk.services.context import LedgerClock
from kiosk.services.staff import add_staff, list_staff
from kiosk.staff import Role


@dataclass(frozen=True)
class DemoMember:
    name: str
    phone: str
    joined: int  # days ago
    spend: tuple[tuple[int, str, int], ...]  # past sales: (days ago, amount in major
    # units, how many of it were cups of oolong: they stamp the default program's tea card)


# Listed in the order they joined (the counter lists members, and the demo's scan buttons
# their cards, in that order). Every sale is within the last year, so each member's tier
# is the one their spend in a rolling year reaches.
DEMO_MEMBERS = (
    DemoMember("陳美玲", "0912-345-678", 330, ((300, "12000", 0), (3, "880", 4))),
    DemoMember("王小明", "0987-654-321", 320, ((2, "450", 2),)),
    DemoMember("Alice Wong", "+852 9123 4567", 310,
               ((290, "30000", 0), (60, "5200", 0), (10, "1200", 3))),
    DemoMember("李华", "+86 138 0013 8000", 120, ((90, "2600", 5), (30, "900", 3))),
)


OOLONG, OOLONG_PRICE = "TEA-OOLONG", "65"  # as in assets/catalogue.toml

# name, role, PIN: the README lists them
DEMO_STAFF = (("Grace Ho", Role.MANAGER, "1234"), ("Mei Lin", Role.CASHIER, "1111"),
              ("陳建國", Role.CASHIER, "2222"))


def seed_demo_staff(kiosk: Kiosk) -> None:
    """A manager and two cashiers, unless the demo kiosk has staff already."""
    if not list_staff(kiosk):
        for name, role, pin in DEMO_STAFF:
            add_staff(kiosk, name, role, pin)


@contextmanager
def _as_of(kiosk: Kiosk, at: datetime) -> Iterator[None]:
    """The kiosk's clock reads ``at`` meanwhile (the demo's history is in the past)."""
    clock = kiosk.clock
    kiosk.clock = LedgerClock(lambda: at)
    try:
        yield
    finally:
        kiosk.clock = clock


def seed_demo(kiosk: Kiosk, cards_dir: Path) -> list[uuid.UUID]:
    from devices.card_image import render_card, save_card

    seed_demo_staff(kiosk)
    cards_dir.mkdir(parents=True, exist_ok=True)
    now = kiosk.clock()
    # Every enrolment and sale in time order (a kiosk's entries go forward in time; the
    # ledger flags one dated well before an earlier one): a member joins an hour before
    # a purchase on the same day.
    events = sorted([(timedelta(days=demo.joined, hours=1), i, -1)
                     for i, demo in enumerate(DEMO_MEMBERS)]
                    + [(timedelta(days=days), i, j) for i, demo in enumerate(DEMO_MEMBERS)
                       for j, (days, _, _) in enumerate(demo.spend)], reverse=True)
    members: dict[int, uuid.UUID] = {}
    for ago, i, j in events:
        demo = DEMO_MEMBERS[i]
        with _as_of(kiosk, now - ago):
            if j < 0:
                result = enrol(kiosk, Enrolment(demo.name, demo.phone, consent=True))
                members[i] = result.member.id
                save_card(render_card(result.card.payload, result.card.card_no,
                                      result.member.name, kiosk.device.store_name),
                          cards_dir / f"{result.card.card_no}.png")
            else:
                _, major, cups = demo.spend[j]
                amount = to_minor(major, kiosk.program.minor_units)
                tea = to_minor(OOLONG_PRICE, kiosk.program.minor_units)
                lines = (SaleLine(OOLONG, cups, tea, "tea"),
                         SaleLine(KEYED_AMOUNT, 1, amount - cups * tea)) if cups else ()
                ring_up_sale(kiosk, Sale(members[i], amount, f"DEMO-{i}-{j}", lines))
    return [members[i] for i in range(len(DEMO_MEMBERS))]

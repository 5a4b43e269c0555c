"""Demo data for ``kiosk run --demo``: a newcomer gets staff with PINs and members in three
languages at three tiers, with cards rendered to ``<data-dir>/cards``. Wiring (embedded
ledger, sync) is in :mod:`kiosk.app.runtime`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from kiosk.money import to_minor
from kiosk.services import (
    Enrolment,
    Kiosk,
    Sale,
    enrol,
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

"""Bad bodies to /v1/checkouts*: never a 5xx."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from kiosk.ledger import Entry, EntryKind
from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from sync.protocol import EntryWire
from tests.helpers.checkout_ledger import VERSION, checkout_ledger
from tests.helpers.ledger_process import LedgerProcess, paired


@pytest.fixture(params=["sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from checkout_ledger(request, tmp_path)


def test_no_5xx(ledger, tmp_path):
    k = paired(ledger, tmp_path, "till-a")
    member = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True)).member.id
    coupon = ring_up_sale(k.kiosk, Sale(member, 9000, "A-1")).coupons[0].id_for(member)
    k.agent().sync_once()
    h = {"Authorization": f"Bearer {k.token}"}
    now = datetime.now(UTC)

    def wire(**kw):
        base = dict(id=uuid.uuid4(), member_id=member, kind=EntryKind.REDEEM, points=-10,
                    channel="till-a", occurred_at=now, program_version=VERSION,
                    order_ref="C-1")
        base.update(kw)
        note = base.pop("note", "checkout")
        reward = base.pop("reward_id", None)
        e = Entry(base["id"], base["member_id"], base["kind"], base["points"],
                  base["channel"], base["occurred_at"], base["program_version"],
                  base["order_ref"], reward_id=reward, note=note)
        return EntryWire.of(e).model_dump(mode="json")

    bodies = [
        ("/v1/checkouts", {"member_id": str(member), "order_ref": "C-1", "entry": wire()}),
        ("/v1/checkouts", {"member_id": str(member), "order_ref": "C-1",
                           "entry": wire(reward_id="yacht")}),
        ("/v1/checkouts", {"member_id": str(member), "order_ref": "C-1",
                           "entry": wire(kind=EntryKind.EARN, points=10)}),
        ("/v1/checkouts", {"member_id": str(member), "order_ref": "C-1",
                           "entry": wire(program_version="nope")}),
        ("/v1/checkouts", {"member_id": str(member), "order_ref": "C-1",
                           "entry": wire(channel="till-zz")}),
        ("/v1/checkouts", {"member_id": str(uuid.uuid4()), "order_ref": "C-2",
                           "coupon_ids": [str(coupon)]}),
        ("/v1/checkouts", {"member_id": str(member), "order_ref": "C-3",
                           "coupon_ids": [str(uuid.uuid4())]}),
        ("/v1/checkouts", {"member_id": str(member), "order_ref": "C-4",
                           "entry": wire(order_ref="C-4", points=-10**9)}),
        ("/v1/checkouts", {"member_id": str(uuid.uuid4()), "order_ref": "C-5"}),
        ("/v1/checkouts/confirm", {"order_ref": "C-1", "entry_id": str(uuid.uuid4())}),
        ("/v1/checkouts/confirm", {"order_ref": "C-1", "coupon_ids": [str(coupon)]}),
        ("/v1/checkouts/confirm", {"order_ref": "C-1", "coupon_ids": [str(uuid.uuid4())]}),
        ("/v1/checkouts/release", {"order_ref": "C-1", "entry_id": str(uuid.uuid4())}),
        ("/v1/checkouts/release", {"order_ref": "C-1", "coupon_ids": [str(coupon)]}),
        ("/v1/checkouts", {"member_id": str(member), "order_ref": "C-6",
                           "coupon_ids": [str(coupon)], "hold_seconds": 600}),
        ("/v1/checkouts", {"member_id": str(member), "order_ref": "C-7",
                           "coupon_ids": [str(coupon)]}),
        ("/v1/checkouts", {"member_id": str(member), "order_ref": "\u0000",
                           "coupon_ids": [str(coupon)]}),
    ]
    bad = []
    for path, body in bodies:
        r = requests.post(f"{ledger.url}{path}", json=body, headers=h, timeout=10)
        print(path, r.status_code, r.text[:160])
        if r.status_code >= 500:
            bad.append((path, body, r.status_code, r.text[:300]))
    assert not bad
    k.kiosk.store.close()

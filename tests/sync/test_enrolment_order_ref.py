"""A sale whose receipt number happens to be 'enrolment', refunded whole, takes back only
the coupons that sale issued. Before, the ledger filed every welcome coupon as issued by
order 'enrolment' of the enrolling till, so the refund withdrew the welcome gift of every
member that till ever enrolled: they found it 'withdrawn when its order was refunded' at
the shop and every till (found at review 27)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from kiosk.services.refunds import refund_order
from tests.helpers.checkout_ledger import get
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import program_text
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program

WELCOME = '''
[[coupons]]
id = "welcome"
names = { en = "Welcome gift", zh-TW = "歡迎禮", zh-CN = "欢迎礼" }
value = { kind = "amount_off", amount = 100 }
valid_days = 30
trigger = { on = "welcome" }
'''


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path,
                                 program_text(WELCOME, version="2026.2-welcome"))


def test_refunding_an_order_named_enrolment_withdraws_every_members_welcome_coupon(
        ledger: LedgerProcess, tmp_path: Path) -> None:
    """Welcome coupons are filed on the ledger as issued by order 'enrolment' of the
    enrolling channel; a whole refund withdraws the unused coupons 'its order' issued by
    (channel, order ref) alone. So a sale at till-a whose receipt number is 'enrolment'
    (an order ref is the device's free text: any kiosk token, or a cashier's typed ref),
    once refunded, withdraws the welcome coupon of EVERY member till-a ever enrolled:
    hundreds of members find their welcome gift 'withdrawn when its order was refunded'
    at the shop and every online till, though they never bought anything."""
    a = paired(ledger, tmp_path, "till-a")
    first = enrol(a.kiosk, Enrolment("林志明", "0933444555", consent=True))
    others = [enrol(a.kiosk, Enrolment(f"客{i}", f"09220000{i:02d}", consent=True))
              for i in range(3)]
    ring_up_sale(a.kiosk, Sale(first.member.id, 500, "enrolment"))
    a.agent().sync_once()
    refund_order(a.kiosk, "enrolment")
    a.agent().sync_once()
    try:
        voided = {o.member.id: [c["voided_at"] for c in
                                get(ledger, f"/v1/members/{o.member.id}/coupons", "shop")]
                  for o in others}
        assert all(v == [None] for v in voided.values()), (
            f"other members' welcome coupons withdrawn: {list(voided.values())}")
    finally:
        a.kiosk.store.close()

"""The shop's checkout on /v1 (issue 15, points 7 and 8): a shop order uses free shipping,
a reward off its tea lines and points as money, priced by the counter's engine and spent in
the order's own transaction; what it can't use is refused, naming why, and changes
nothing; a refund by line gives the points back in proportion."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from kiosk.services.errors import UnknownReward
from kiosk.services.redemption import redeem
from sync.client import LedgerClient
from sync.errors import LedgerRefused
from sync.wire_shop import OrderLineWire
from tests.helpers.checkout_ledger import VERSION, checkout_ledger, get
from tests.helpers.cli import KIOSK
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk, paired, postgres_database
from tests.helpers.program import CHECKOUT, program_text
from tests.helpers.program_ledger import BOTH_DATABASES

TEA = OrderLineWire(code="TEA-OOLONG", quantity=2, unit_price_minor=250, category="tea")
MUG = OrderLineWire(code="MUG", quantity=1, unit_price_minor=400, category="kitchen")
SHIPPING = OrderLineWire(code="SHIPPING", quantity=1, unit_price_minor=120)


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from checkout_ledger(request, tmp_path)


@pytest.fixture
def shop_member(ledger, tmp_path):  # type: ignore[no-untyped-def]
    k = paired(ledger, tmp_path, "till-a")
    joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    ring_up_sale(k.kiosk, Sale(joined.member.id, 9000, "TOP-UP"))  # 50 + 90 points
    k.agent().sync_once()
    yield k, joined.member.id, LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    k.kiosk.store.close()


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def refusing(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[PairedKiosk, uuid.UUID, LedgerClient]]:
    """``shop_member`` once per database for the module's refusals: each refused order
    must leave the member's 140 points as they were, which each test asserts, so they
    can share one ledger and one member."""
    folder = tmp_path_factory.mktemp("refusing")
    with ExitStack() as stack:
        db = (stack.enter_context(postgres_database(
            template=request.getfixturevalue("pg_schema")))
              if request.param == "postgres" else f"sqlite:///{folder / 'ledger' / 'ledger.db'}")
        (folder / "ledger").mkdir()
        document = folder / "program.toml"
        document.write_text(program_text(CHECKOUT, version=VERSION), encoding="utf-8")
        ledger = LedgerProcess(db, folder / "ledger", program=document)
        ledger.start()
        stack.callback(ledger.kill)
        k = paired(ledger, folder, "till-a")
        stack.callback(k.kiosk.store.close)
        joined = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
        ring_up_sale(k.kiosk, Sale(joined.member.id, 9000, "TOP-UP"))  # 50 + 90 points
        k.agent().sync_once()
        yield k, joined.member.id, LedgerClient(ledger.url, ledger.add_device("web", "shop"))


def test_free_shipping_and_points_pay_part_of_a_shop_order(shop_member, ledger):
    k, member, shop = shop_member
    done = shop.order(member, 1020, "W-1", [TEA, MUG, SHIPPING], reward_id="free-shipping",
                      points=80)
    # NT$1,020 less the shipping (120) and 80 points as money: NT$820 earns 8 points.
    assert (done.points, done.balance) == (8 - 50 - 80, 140 + 8 - 130)
    again = shop.order(member, 1020, "W-1", [TEA, MUG, SHIPPING], reward_id="free-shipping",
                       points=80)
    assert again.duplicate and again.balance == done.balance  # a retry spends nothing more
    assert get(ledger, "/v1/reports/rejections") == []
    k.agent().sync_once()
    assert identify_balance(k, member) == 18  # the counter sees it after sync
    # The mug is 400 of the 1,020: that share of the 130 points (50) comes back, less the
    # points it earned on its share of the NT$820 paid (NT$364 after its share of the
    # points: the free shipping came off the shipping line alone), 4 of the 8.
    back = shop.refund("W-1", [("MUG", 1)])
    assert back.points == 50 - 4 and back.balance == 18 + 46


def identify_balance(k, member):  # type: ignore[no-untyped-def]
    with k.kiosk.store.read() as tx:
        return tx.entries.balance(member)


def test_a_reward_off_the_tea_lines_only(shop_member):
    _, member, shop = shop_member
    done = shop.order(member, 900, "W-2", [TEA, MUG], reward_id="tea-20")
    assert done.points == 8 - 30  # 20% of the NT$500 of tea: NT$800 paid earns 8


@pytest.mark.parametrize(("lines", "asked", "said"), [
    ([TEA, MUG], {"reward_id": "free-shipping"}, "takes off shipping, and this order has none"),
    ([MUG], {"reward_id": "tea-20"}, "is off tea, which this basket doesn't hold"),
    ([TEA, MUG], {"reward_id": "no-such"}, "there is no reward 'no-such'"),
    ([TEA, MUG], {"points": 15}, "points are used in steps of 10, not 15"),
    ([TEA, MUG], {"points": 500}, "at most 450 points can pay for this bill"),
])
def test_what_an_order_cannot_use_is_refused_and_changes_nothing(refusing, lines, asked,
                                                                  said):
    _, member, shop = refusing
    amount = sum(x.quantity * x.unit_price_minor for x in lines)
    with pytest.raises(LedgerRefused, match=said) as refused:
        shop.order(member, amount, "W-9", lines, **asked)
    assert refused.value.status == 422
    assert shop.balance(member) == 140


def test_points_beyond_what_the_member_has_are_refused(refusing):
    _, member, shop = refusing
    big = OrderLineWire(code="SOFA", quantity=1, unit_price_minor=5000)
    with pytest.raises(LedgerRefused, match="140 points available") as refused:
        shop.order(member, 5000, "W-8", [big], points=200)
    assert refused.value.status == 409
    assert shop.balance(member) == 140


def test_the_counter_does_not_offer_the_shops_free_shipping(refusing):
    k, member, _ = refusing
    assert "free-shipping" not in {r.id for r in k.kiosk.program.counter_rewards}
    with pytest.raises(UnknownReward, match="the online shop's"):
        redeem(k.kiosk, member, "free-shipping")


def shop_cli(ledger, token: str, *args: str,  # type: ignore[no-untyped-def]
             expect: int = 0) -> dict[str, object]:
    proc = subprocess.run([KIOSK, "shop", *args, "--ledger-url", ledger.url, "--token", token,
                           "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == expect, proc.stdout + proc.stderr
    return dict(json.loads(proc.stdout))


def test_the_shop_command_orders_with_free_shipping_and_donates(shop_member, ledger):
    _, member, _ = shop_member
    token = ledger.add_device("web-cli", "shop")
    order = shop_cli(ledger, token, "order", "--member", str(member), "--amount", "900",
                     "--shipping", "120", "--reward", "free-shipping", "--order-ref", "W-5")
    assert (order["points"], order["balance"]) == (9 - 50, 140 + 9 - 50)
    given = shop_cli(ledger, token, "donate", "--member", str(member), "--cause",
                     "school-meals", "--points", "20", "--channel", "web-cli")
    assert (given["points"], given["balance"], given["authorised"]) == (-20, 79, "online")
    causes = get(ledger, "/v1/reports/causes")
    assert [(c["cause"], c["points"]) for c in causes] == [("school-meals", 20)]
    for args, said in [(("--cause", "no-such", "--points", "20"), "there is no cause"),
                       (("--cause", "school-meals", "--points", "5"), "10 to 1000000 points"),
                       (("--cause", "school-meals", "--points", "500"), "not_enough_points")]:
        refused = shop_cli(ledger, token, "donate", "--member", str(member), *args,
                           "--channel", "web-cli", expect=1)
        assert said in json.dumps(refused["error"], ensure_ascii=False)
    assert LedgerClient(ledger.url, token).balance(member) == 79

"""The command line under the shipped default program (every feature): `kiosk balance`
says what the member screen says, the points available and pending, the punch cards as
stamps, the coupons and until when the tier holds."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import kiosk, kiosk_json


def test_the_balance_says_what_the_engine_gives(tmp_path: Path) -> None:
    data = tmp_path / "k1"
    kiosk(data, "init", "--store-name", "Tea house", "--device-id", "till-1")  # the default
    card = str(kiosk_json(data, "member", "enroll", "--name", "王小明", "--phone",
                          "0987-654-321", "--consent")["card_payload"])
    sale = kiosk_json(data, "sale", "--card", card, "--amount", "3200", "--order-ref", "A-1")
    view = kiosk_json(data, "balance", "--card", card)
    assert view["balance"] == 50 + sale["points"]
    # The purchase's points wait out the 7-day return window; the sign-up and the
    # first-purchase bonus (30, dated at enrolment) don't.
    assert view["available"] == 50 + 30
    assert [p["points"] for p in view["pending"]] == [sale["points"] - 30]  # type: ignore[union-attr]
    assert [(c["id"], c["stamps"], c["size"]) for c in view["punch_cards"]] == [  # type: ignore[union-attr]
        ("tea-card", 0, 9), ("leaf-card", 0, 4)]
    # "Spend NT$3,000, 10% off next time": a coupon for the next visit.
    assert [c["rule"] for c in view["coupons"]] == ["next-visit-10"]  # type: ignore[union-attr]
    assert view["tier"] == "bronze" and view["tier_holds_until"] is None
    text = kiosk(data, "balance", "--card", card).stdout
    assert "Tea card 0/9" in text and "80 available now" in text and "1 coupon" in text

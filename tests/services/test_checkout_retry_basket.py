"""A checkout retried under the same order number is the same basket or a refusal (found at
review 27: the stored order was compared on a prefix of its lines)."""

from __future__ import annotations

import pytest

from kiosk.services import Sale, SaleLine, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.errors import InvalidInput

TEA = SaleLine("TEA", 3, 10000, "tea")
CAKE = SaleLine("CAKE", 1, 5000)


def test_the_same_order_ref_with_a_shorter_basket_is_refused_not_a_duplicate(kiosk, member):
    """The till reuses order number T-1 for a different, smaller basket (the cake left
    off): instead of "already rung up with a different basket" (what `kiosk sale` says
    for a different amount), the checkout answers duplicate=true with the first basket's
    points, so the till believes the NT$300 basket was recorded when the kiosk holds a
    NT$350 order under that number."""
    first = check_out(kiosk, Checkout(member.member.id, (TEA, CAKE), order_ref="T-1"))
    assert not first.sale.duplicate
    with pytest.raises(InvalidInput):
        check_out(kiosk, Checkout(member.member.id, (TEA,), order_ref="T-1"))


def test_a_retry_of_the_same_basket_with_a_free_item_reward_is_a_duplicate(kiosk, member):
    """The honest retry (a double tap): the stored order carries the reward's own line at
    the end; the till's basket doesn't."""
    ring_up_sale(kiosk, Sale(member.member.id, 9000, "TOP-UP"))
    first = check_out(kiosk, Checkout(member.member.id, (TEA, CAKE), reward_id="coffee",
                                      order_ref="T-2"))
    again = check_out(kiosk, Checkout(member.member.id, (TEA, CAKE), reward_id="coffee",
                                      order_ref="T-2"))
    assert again.sale.duplicate and again.sale.order_ref == first.sale.order_ref
    with pytest.raises(InvalidInput):
        check_out(kiosk, Checkout(member.member.id, (TEA,), reward_id="coffee",
                                  order_ref="T-2"))

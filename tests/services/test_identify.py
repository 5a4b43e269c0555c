"""Scanning a card: good cards open the member, anything else gets a clear refusal."""

from __future__ import annotations

import pytest

from kiosk.cards import CardError, ForgedCard, MalformedCard, NotACard, RevokedCard
from kiosk.services import Sale, identify, ring_up_sale, verify_store
from tests.helpers.cards import forge


def snapshot(kiosk):
    with kiosk.store.read() as tx:
        return tx.outbox.size(), [tx.entries.balance(m) for m in tx.members.ids()]


@pytest.mark.parametrize(("mangle", "error"), [
    (forge, ForgedCard),
    (lambda p: p[: len(p) // 2], MalformedCard),
    (lambda p: "https://example.com/pay?id=123", NotACard),
    (lambda p: "4710088430012", NotACard),
    (lambda p: "", NotACard),
    (lambda p: p + ".EXTRA", MalformedCard),
])
def test_bad_cards_are_refused_clearly_and_change_nothing(kiosk, member, mangle, error):
    before = snapshot(kiosk)
    with pytest.raises(error) as caught:
        identify(kiosk, mangle(member.card.payload))
    assert str(caught.value)  # a sentence the cashier can read
    assert snapshot(kiosk) == before


def test_a_revoked_card_is_refused(kiosk, member, clock):
    with kiosk.store.write() as tx:
        tx.trust.revoke_card(member.card.card_no, clock())
    kiosk.reload()
    with pytest.raises(RevokedCard):
        identify(kiosk, member.card.payload)


def test_a_card_read_with_caps_lock_and_a_trailing_newline_still_opens(kiosk, member):
    assert identify(kiosk, f"  {member.card.payload.lower()}\r\n").member.id == member.member.id


def test_every_refusal_is_a_card_error_with_a_code(kiosk, member):
    for text in ("CP1.", "CP1....", "CP1.X.Y.Z.W", "\x00\xff", "CP1." + "A" * 600):
        with pytest.raises(CardError) as caught:
            identify(kiosk, text)
        assert caught.value.code in {"not_a_card", "malformed", "forged", "unknown_issuer"}


def test_the_member_view_shows_recent_activity_newest_first(kiosk, member, clock):
    for i in range(12):
        clock.advance(minutes=1)
        ring_up_sale(kiosk, Sale(member.member.id, 100 * (i + 1)))
    view = identify(kiosk, member.card.payload)
    assert len(view.recent) == 10
    assert [e.amount_minor for e in view.recent[:3]] == [1200, 1100, 1000]
    assert verify_store(kiosk).ok

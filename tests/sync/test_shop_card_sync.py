"""A lost card replaced by the online shop (issue 15, ``POST /v1/shop/cards``) against a
real ledger process on PostgreSQL and SQLite: the shop finds the member by phone however
it is written, the ledger cancels their cards and issues a new one that kiosks verify
offline from ``/v1/state``; after a sync every kiosk refuses the old card and takes the new
one with the same balance. Only the shop and the back office may call it, and a refusal
changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from kiosk.cards import RevokedCard, verify_card
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale
from kiosk.services.lost_cards import reissue_card
from sync.client import LedgerClient
from sync.server import models as m
from sync.server.db import ledger_engine
from sync.server.devices import SHOP_CARD_PREFIX
from tests.helpers.ledger_process import LedgerProcess, paired
from tests.helpers.program import PLAIN_PROGRAM
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program
from tests.helpers.state_trust import trust_of


@pytest.fixture(params=BOTH_DATABASES)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerProcess]:
    yield from ledger_on_program(request, tmp_path, PLAIN_PROGRAM.read_text(encoding="utf-8"))


def test_a_card_the_shop_replaced_is_refused_at_every_kiosk_after_sync(ledger, tmp_path):
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912-345-678", consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-1"))
    a.agent().sync_once()
    b.agent().sync_once()
    assert identify(b.kiosk, joined.card.payload).balance == 70

    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    for typed in ("+886 912 345 678", "0912345678", "(09) 1234 5678"):
        assert shop.find_members(typed) == [joined.member.id]
    assert shop.find_members("0999 999 999") == []
    new = shop.reissue_card(joined.member.id, "lost-1")
    assert (new.cancelled, new.balance, new.name) == ([joined.card.card_no], 70, "陳美玲")
    assert new.card_no.startswith(SHOP_CARD_PREFIX)
    claim = verify_card(new.card_payload, trust_of(shop.state()))  # offline, from the state
    assert (claim.member_id, claim.card_no) == (joined.member.id, new.card_no)

    for k in (a, b):
        k.agent().sync_once()
        with pytest.raises(RevokedCard, match="has been cancelled"):
            identify(k.kiosk, joined.card.payload)
        view = identify(k.kiosk, new.card_payload)
        assert (view.member.id, view.balance) == (joined.member.id, 70)
    ring_up_sale(b.kiosk, Sale(joined.member.id, 1000, "B-1"))  # the new card earns
    b.agent().sync_once()
    assert shop.balance(joined.member.id) == 80

    again = shop.reissue_card(joined.member.id, "lost-1")  # a retry: the same card
    assert again.duplicate and (again.card_no, again.card_payload, again.cancelled) == (
        new.card_no, new.card_payload, new.cancelled)
    a.agent().sync_once()
    assert identify(a.kiosk, new.card_payload).balance == 80  # still good
    assert ledger.check() == []
    for k in (a, b):
        k.kiosk.store.close()


def counts(db: str) -> dict[str, int]:
    engine = ledger_engine(db)
    try:
        with engine.connect() as conn:
            return {t.__tablename__: conn.execute(select(func.count()).select_from(t)
                                                  ).scalar_one()
                    for t in (m.Card, m.Revocation, m.ShopCard, m.Certificate, m.Member)}
    finally:
        engine.dispose()


def test_kiosks_strangers_unknown_members_and_bad_bodies_change_nothing(ledger, tmp_path):
    a = paired(ledger, tmp_path, "till-a")
    joined = enrol(a.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    a.agent().sync_once()
    shop, office = ledger.add_device("web", "shop"), ledger.add_device("office", "admin")
    before = counts(ledger.db)

    def post(token: str, body: object) -> requests.Response:
        return requests.post(ledger.url + "/v1/shop/cards", json=body, timeout=30,
                             headers={"Authorization": f"Bearer {token}"})

    good = {"member_id": str(joined.member.id), "request_id": "lost-1"}
    answer = post(a.token, good)
    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")
    assert post("cpt_not-a-token", good).status_code == 401
    answer = post(shop, {"member_id": str(uuid.uuid4()), "request_id": "lost-1"})
    assert (answer.status_code, answer.json()["code"]) == (404, "unknown_member")
    for body, field in [({"member_id": str(joined.member.id)}, "request_id"),
                        ({**good, "request_id": ""}, "request_id"),
                        ({**good, "request_id": "lost\x001"}, "request_id"),
                        ({**good, "request_id": "x" * 65}, "request_id"),
                        ({**good, "member_id": "not-a-member"}, "member_id"),
                        ({**good, "member_id": 12}, "member_id"),
                        ({**good, "also": "this"}, "also"),
                        ([good], None)]:
        answer = post(shop, body)
        assert answer.status_code == 422, (body, answer.text)
        if field is not None:
            assert ["body", field] in [e["loc"] for e in answer.json()["detail"]], answer.text
    raw = requests.post(ledger.url + "/v1/shop/cards", data=b"{\xff", timeout=30,
                        headers={"Authorization": f"Bearer {shop}",
                                 "Content-Type": "application/json"})
    assert raw.status_code == 422
    assert counts(ledger.db) == before
    a.agent().sync_once()
    assert identify(a.kiosk, joined.card.payload).member.id == joined.member.id  # still good
    # The back office may replace a card too.
    assert post(office, good).json()["cancelled"] == [joined.card.card_no]
    a.kiosk.store.close()


def test_a_card_a_kiosk_issued_offline_before_the_shop_replaced_the_card_is_cancelled(
        ledger, tmp_path):
    """The member lost their card, had one made at a kiosk that was offline, lost that too
    and asked the shop: the kiosk's card reaches the ledger after the shop's, issued before
    it, and is cancelled like every card the member held when the shop replaced it."""
    a, b = paired(ledger, tmp_path, "till-a"), paired(ledger, tmp_path, "till-b")
    joined = enrol(a.kiosk, Enrolment("林志明", "0933-222-111", consent=True))
    ring_up_sale(a.kiosk, Sale(joined.member.id, 2000, "A-1"))
    a.agent().sync_once()
    b.agent().sync_once()
    offline = reissue_card(b.kiosk, joined.member.id)  # b is offline: not synced yet
    shop = LedgerClient(ledger.url, ledger.add_device("web", "shop"))
    new = shop.reissue_card(joined.member.id, "lost-2")
    assert new.cancelled == [joined.card.card_no]  # the ledger doesn't know b's card yet
    b.agent().sync_once()  # b's card arrives, issued before the shop's
    a.agent().sync_once()
    b.agent().sync_once()
    for k in (a, b):
        for old in (joined.card.payload, offline.card.payload):
            with pytest.raises(RevokedCard, match="has been cancelled"):
                identify(k.kiosk, old)
        assert identify(k.kiosk, new.card_payload).balance == 70
    assert ledger.check() == []
    for k in (a, b):
        k.kiosk.store.close()

"""Spending a member's points without the ledger's yes is bounded (DESIGN rule 6: "a stolen
kiosk token is not a licence to drain a member"). Found at review 27:

- The shop's token could upload any member's redemptions and donations through
  ``/v1/upload`` with no hold: the floor limits skipped the shop ("it spends only in an
  order's own transaction") and an upload never checks the balance, so a leaked shop
  token took a member from 1,000 points to -19,000, each only an "overdraft". The shop is
  never offline: it spends through a hold or an order, and an unheld upload is refused.
- A hold past its time still exempted its entry from the floor limits ("the counter was
  told yes"), while its points were free for the next hold: a kiosk token took twenty
  one-second holds of one member's 1,000 points and uploaded all twenty (-4,600). A
  lapsed hold now stays a yes until the ledger gives its points to another taker that
  needs them; after that its entry is an offline spend, held to the floor limits (second
  review: a taker that needed none of its points took it over too).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.program import load_program
from sync.protocol import EntryWire, UploadRequest
from sync.server.calls import LedgerRefusal
from sync.server.counter import OnlineCounter
from sync.server.db import ledger_engine, migrate
from sync.server.ledger import Ledger
from sync.server.shop_checkout import ShopLoyalty
from tests.helpers.ledger_wire import KIOSK, SHOP, members, sale
from tests.helpers.program import PLAIN_PROGRAM
from tests.sync.conftest import sqlite_copy

DAY_LIMIT = 600  # tests/fixtures/plain_program.toml [offline]


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC) - timedelta(hours=1)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["postgres", "sqlite"])
def books(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock) -> Iterator[Ledger]:
    """The ledger on both databases, on a clock the test moves, with a kiosk and a shop
    and a member holding 1,000 points earned at the kiosk."""
    url = (request.getfixturevalue("pg_migrated_url") if request.param == "postgres"
           else sqlite_copy(request.getfixturevalue("sqlite_ledger_schema"),
                            tmp_path / "ledger.db"))
    engine = ledger_engine(url)
    migrate(engine)
    ledger = Ledger(engine, clock)
    ledger.initialise(load_program(PLAIN_PROGRAM))
    ledger.add_device(KIOSK.device_id, "kiosk")
    ledger.add_device(SHOP.device_id, "shop")
    yield ledger
    engine.dispose()


def rich(books: Ledger, clock: Clock) -> uuid.UUID:
    [member] = members(1)
    books.upload(KIOSK, UploadRequest(members=[member], entries=[
        sale(member, 1, 1000, occurred_at=clock.now)]))
    assert books.balance(member.id) == 1000
    return member.id


def spend(member: uuid.UUID, points: int, channel: str, at: datetime, reward: str,
          seq: int | None = None) -> EntryWire:
    return EntryWire(id=uuid.uuid4(), member_id=member, kind="redeem", points=-points,
                     channel=channel, occurred_at=at, program_version="2026.2",
                     reward_id=reward, device_seq=seq)


def test_the_shop_cannot_upload_a_members_points_away(books: Ledger, clock: Clock) -> None:
    member = rich(books, clock)
    totes = [spend(member, 500, SHOP.device_id, clock.now, "tote") for _ in range(40)]
    answer = books.upload(SHOP, UploadRequest(entries=totes))
    assert {(r.status, r.code) for r in answer.results} == {("rejected", "offline_limit")}
    assert "only through a hold or an order" in (answer.results[0].reason or "")
    assert books.balance(member) == 1000
    # The shop's own ways still spend: a hold confirmed, and points as money in an order.
    counter = OnlineCounter(books)
    coffee = spend(member, 60, SHOP.device_id, clock.now, "coffee")
    counter.reserve(SHOP, coffee, 60)
    assert counter.confirm(SHOP, coffee.id).status == "accepted"
    paid = counter.order(SHOP, member, 1000, "WEB-1", loyalty=ShopLoyalty("nt100-off"))
    assert [r.status for r in paid.results] == ["accepted"] * len(paid.results)
    assert books.balance(member) == 1000 - 60 + paid.points  # the NT$100 off among them
    # A replay of the upload is refused again, and nothing else changed.
    again = books.upload(SHOP, UploadRequest(entries=totes[:3]))
    assert [r.status for r in again.results] == ["rejected"] * 3
    assert books.check() == []


def test_lapsed_holds_taken_over_are_held_to_the_floor(books: Ledger, clock: Clock) -> None:
    member = rich(books, clock)
    counter = OnlineCounter(books)
    taken = []
    for i in range(20):  # ten coffees, then ten totes, each held for a second
        points, reward = (60, "coffee") if i < 10 else (500, "tote")
        entry = spend(member, points, KIOSK.device_id, clock.now, reward, seq=2 + i)
        counter.reserve(KIOSK, entry, 1)
        taken.append(entry)
        clock.now += timedelta(seconds=2)  # it lapses; the next hold takes its points
    answer = books.upload(KIOSK, UploadRequest(entries=taken))
    verdicts = [(r.status, r.code) for r in answer.results]
    # Each hold took over as many lapsed ones, the soonest first, as it needed points of:
    # those eighteen are offline spends (the coffees fit the day's 600, the totes don't);
    # the last two totes still hold the member's 1,000, and are still a yes.
    assert verdicts == ([("accepted", None)] * 10 + [("rejected", "offline_limit")] * 8
                        + [("accepted", None)] * 2)
    assert books.balance(member) == 1000 - 600 - 1000 == -DAY_LIMIT  # the floor's bound
    assert books.check() == []


def test_a_lapsed_hold_nobody_took_over_is_still_the_ledgers_yes(
        books: Ledger, clock: Clock) -> None:
    """An honest counter: the hold granted, its sale written, the confirmation lost, the
    entry uploaded after the hold's time. Nothing else took the points: accepted, though
    with the kiosk's offline spends of that day it is beyond the day's floor."""
    member = rich(books, clock)
    counter = OnlineCounter(books)
    tote = spend(member, 500, KIOSK.device_id, clock.now, "tote", seq=5)
    counter.reserve(KIOSK, tote, 1)
    clock.now += timedelta(minutes=30)
    offline = [spend(member, 60, KIOSK.device_id, clock.now, "coffee", seq=2),
               spend(member, 60, KIOSK.device_id, clock.now, "coffee", seq=3),
               spend(member, 100, KIOSK.device_id, clock.now, "nt100-off", seq=4)]
    answer = books.upload(KIOSK, UploadRequest(entries=[*offline, tote]))
    assert [(r.status, r.code) for r in answer.results] == [("accepted", None)] * 4
    assert books.balance(member) == 1000 - 220 - 500
    # Its hold is spent: no later hold can take those points again.
    with pytest.raises(LedgerRefusal) as refused:
        counter.reserve(KIOSK, spend(member, 500, KIOSK.device_id, clock.now, "tote"), 60)
    assert refused.value.status == 409
    assert books.check() == []


def test_a_lapsed_hold_whose_points_nobody_needed_is_still_a_yes(
        books: Ledger, clock: Clock) -> None:
    """Two totes (1,000 points, beyond the floor's 600 a day) held and handed over, the
    confirmations lost, the entries waiting past the holds' time; the member, with 2,000,
    buys a 60-point coffee at the shop meanwhile. Nothing needed the totes' points: both
    are still the ledger's yes (second review 27 of 310e11f: the second was refused)."""
    [who] = members(1)
    books.upload(KIOSK, UploadRequest(members=[who], entries=[
        sale(who, 1, 1000, occurred_at=clock.now), sale(who, 2, 1000, occurred_at=clock.now)]))
    member = who.id
    counter = OnlineCounter(books)
    totes = [spend(member, 500, KIOSK.device_id, clock.now, "tote", seq=3 + i)
             for i in range(2)]
    for tote in totes:
        counter.reserve(KIOSK, tote, 1)
    clock.now += timedelta(minutes=5)
    coffee = spend(member, 60, SHOP.device_id, clock.now, "coffee")
    counter.reserve(SHOP, coffee, 60)
    assert counter.confirm(SHOP, coffee.id).status == "accepted"
    answer = books.upload(KIOSK, UploadRequest(entries=totes))
    assert [(r.status, r.code) for r in answer.results] == [("accepted", None)] * 2
    assert books.balance(member) == 2000 - 60 - 1000
    assert books.check() == []

"""The ledger is the authority (DESIGN, the program engine, point 3): it re-runs the rules
for every entry a device uploads and refuses, with a reason code, what the program would
not have given. A stolen kiosk token is not a licence to mint points."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.audit import Rejected
from sync.protocol import UploadRequest, Withheld
from sync.server.counter import OnlineCounter
from sync.server.ledger import Caller, Ledger
from tests.helpers.ledger_wire import KIOSK, SHOP, members, sale

OTHER = Caller("till-2", "kiosk")
BONUS = {"kind": "bonus", "amount_minor": 0, "order_ref": None}
REDEEM = {"kind": "redeem", "amount_minor": 0, "order_ref": None}


def verdict(ledger: Ledger, caller: Caller, **changes: object) -> tuple[str, str | None]:
    """The ledger's answer to one entry for a fresh member, as (status, code)."""
    [member] = members(1)
    entry = sale(member, 1, **{"channel": caller.device_id, **changes})
    [result] = ledger.upload(caller, UploadRequest(members=[member], entries=[entry])).results
    return result.status, result.code


@pytest.mark.parametrize(("changes", "code"), [
    # The stolen token: 999,999 points for NT$1 under a version never published.
    ({"points": 999_999, "amount_minor": 1, "program_version": "nonexistent-9"},
     Rejected.UNKNOWN_VERSION),
    ({"points": 999_999, "amount_minor": 1}, Rejected.POINTS),
    ({"points": 0, "amount_minor": -500}, Rejected.AMOUNT),  # a negative sale
    ({"points": 5, "amount_minor": 500, "tier": "gold"}, Rejected.POINTS),  # gold gives 10
    ({"points": 10, "amount_minor": 500, "tier": "platinum"}, Rejected.UNKNOWN_TIER),
    ({"points": 10, "amount_minor": 500, "tier": "gold"}, Rejected.TIER_NOT_HELD),
    ({"points": 5_000_000, "amount_minor": 500_000_100}, Rejected.AMOUNT),  # over the limit
    ({**BONUS, "points": 500, "note": "signup"}, Rejected.BONUS),  # the program gives 50
    ({**BONUS, "points": 50, "note": "just because"}, Rejected.BONUS),
    ({**REDEEM, "points": -1, "reward_id": "tote"}, Rejected.REWARD_COST),  # tote costs 500
    ({**REDEEM, "points": -60, "reward_id": "yacht"}, Rejected.UNKNOWN_REWARD),
    ({**REDEEM, "points": -60, "reward_id": None}, Rejected.UNKNOWN_REWARD),
    ({**REDEEM, "kind": "adjust", "points": 100_001, "note": "typo"}, Rejected.ADJUSTMENT),
    ({**REDEEM, "kind": "adjust", "points": 10, "note": "  "}, Rejected.ADJUSTMENT),
    ({**REDEEM, "kind": "transfer", "points": 10}, Rejected.KIND),
    ({"occurred_at": datetime.now(UTC) + timedelta(days=2 * 365)}, Rejected.FUTURE),
])
def test_entries_the_program_would_not_give_are_refused_with_a_reason_code(ledger, changes,
                                                                          code):
    assert verdict(ledger, KIOSK, **changes) == ("rejected", code.value)
    assert ledger.check() == []


@pytest.mark.parametrize("changes", [
    {"points": 5, "amount_minor": 500},  # no tier recorded (uploaded by older kiosks)
    {"points": 5, "amount_minor": 500, "tier": "bronze"},
    {"points": 0, "amount_minor": 0, "order_ref": "ZERO"},
    {**BONUS, "points": 50, "note": "signup"},
    {**REDEEM, "points": -500, "reward_id": "tote"},
    {**REDEEM, "kind": "adjust", "points": -100_000, "note": "card was shared"},
    {"occurred_at": datetime.now(UTC) + timedelta(minutes=2)},  # a clock a little ahead
    {"occurred_at": datetime.now(UTC) - timedelta(days=3 * 365)},  # a sale keyed late
])
def test_entries_the_program_gives_are_accepted(ledger, changes):
    assert verdict(ledger, KIOSK, **changes) == ("accepted", None)


def test_a_device_cannot_write_on_another_devices_channel_or_take_its_order_ref(ledger):
    ledger.add_device(OTHER.device_id, "kiosk")
    people = members(1)
    forged = sale(people[0], 1, channel=OTHER.device_id, order_ref="DUP-1")
    answer = ledger.upload(KIOSK, UploadRequest(members=people, entries=[forged]))
    assert (answer.results[0].status, answer.results[0].code) == (
        "rejected", Rejected.WRONG_CHANNEL.value)
    honest = sale(people[0], 1, channel=OTHER.device_id, order_ref="DUP-1")
    assert ledger.upload(OTHER, UploadRequest(entries=[honest])).results[0].status == "accepted"
    web = sale(people[0], None, channel="till-1")
    assert ledger.upload(SHOP, UploadRequest(entries=[web])).results[0].code == (
        Rejected.WRONG_CHANNEL.value)
    assert ledger.balance(people[0].id) == 5


def test_a_tier_claim_counts_the_members_spend_on_every_channel_and_in_the_batch(ledger):
    """Silver (NT$10,000 in the window) earns 1.5x: a claim is accepted once the member's
    purchases anywhere, this upload's earlier ones included, reach it."""
    ledger.add_device(OTHER.device_id, "kiosk")
    people = members(1)
    big = sale(people[0], 1, 60, amount_minor=6_000, channel=OTHER.device_id)
    ledger.upload(OTHER, UploadRequest(members=people, entries=[big]))
    batch = [sale(people[0], 1, 4, amount_minor=300, tier="silver"),  # 6,000: not yet silver
             sale(people[0], 2, 40, amount_minor=4_000, tier="bronze"),  # now 10,300
             sale(people[0], 3, 4, amount_minor=300, tier="silver")]
    answer = ledger.upload(KIOSK, UploadRequest(entries=batch))
    assert [(r.status, r.code) for r in answer.results] == [
        ("rejected", Rejected.TIER_NOT_HELD.value), ("accepted", None), ("accepted", None)]
    assert answer.acked_through == 3


def test_a_reversal_of_another_channels_entry_is_refused(ledger):
    ledger.add_device(OTHER.device_id, "kiosk")
    people = members(1)
    theirs = sale(people[0], 1, channel=OTHER.device_id, order_ref="DUP-1")
    ledger.upload(OTHER, UploadRequest(members=people, entries=[theirs]))
    back = sale(people[0], 1, -5, kind="reverse", amount_minor=-500, reverses=theirs.id,
                order_ref="DUP-1")
    [result] = ledger.upload(KIOSK, UploadRequest(entries=[back])).results
    assert (result.status, result.code) == ("rejected", Rejected.OTHER_CHANNEL.value)
    assert ledger.balance(people[0].id) == 5


def test_withheld_numbers_are_rejections_on_record_and_the_mark_moves_past_them(ledger):
    people = members(1)
    first, third = sale(people[0], 1), sale(people[0], 3)
    poison = Withheld(device_seq=2, entry_id=uuid.uuid4(), reason="name has a NUL")
    answer = ledger.upload(KIOSK, UploadRequest(members=people, entries=[first, third],
                                                withheld=[poison]))
    assert (answer.acked_through, answer.gaps) == (3, [])
    [listed] = OnlineCounter(ledger).rejections(KIOSK.device_id)
    assert (listed.device_seq, listed.entry_id, listed.code, listed.reason) == (
        2, poison.entry_id, Rejected.WITHHELD.value, "name has a NUL")


def test_rejections_are_listed_per_device_with_their_codes(ledger):
    ledger.add_device(OTHER.device_id, "kiosk")
    verdict(ledger, KIOSK, points=999_999, amount_minor=1)
    verdict(ledger, OTHER, points=1, amount_minor=0)
    counter = OnlineCounter(ledger)
    assert [(r.device_id, r.code) for r in counter.rejections()] == [
        ("till-1", Rejected.POINTS.value), ("till-2", Rejected.POINTS.value)]
    assert [r.device_id for r in counter.rejections("till-2")] == ["till-2"]


def test_an_offline_backlog_is_no_clock_flag_but_a_clock_that_went_back_is(ledger):
    """Sales made offline over an hour go up in two uploads: dated before the first
    upload arrived, but in their order, as a right clock dates them. Then a sale dated two
    years before the one made just before it: that device's clock went back."""
    people = members(1)
    start = datetime.now(UTC) - timedelta(hours=2)
    offline = [sale(people[0], i + 1, occurred_at=start + timedelta(minutes=20 * i))
               for i in range(4)]
    ledger.upload(KIOSK, UploadRequest(members=people, entries=offline[:2]))
    ledger.upload(KIOSK, UploadRequest(entries=offline[2:]))
    counter = OnlineCounter(ledger)
    assert counter.clock_flags() == []
    back = sale(people[0], 5, occurred_at=datetime.now(UTC) - timedelta(days=730))
    ledger.upload(KIOSK, UploadRequest(entries=[back]))
    [flag] = counter.clock_flags()
    assert (flag.device_id, flag.device_seq, flag.entry_id) == ("till-1", 5, back.id)
    assert flag.latest_before == offline[-1].occurred_at
    assert counter.clock_flags("till-2") == [] and counter.clock_flags(limit=1) == [flag]


def test_an_entry_the_ledger_holds_comes_back_a_duplicate_not_audited_again(ledger):
    """An adjustment stored before the ledger audited uploads (above today's bound) is
    sent again after a lost answer: it is the ledger's already, a duplicate."""
    from sqlalchemy import insert, update

    from sync.server import models as m

    people = members(1)
    ledger.upload(KIOSK, UploadRequest(members=people, entries=[sale(people[0], 1)]))
    old = sale(people[0], 2, 150_000, kind="adjust", amount_minor=0, order_ref=None,
               note="before the audit")
    with ledger.engine.begin() as conn:  # as the ledger stored it then
        conn.execute(insert(m.Entry).values(
            id=old.id, seq=2, member_id=old.member_id, kind="adjust", points=old.points,
            amount_minor=0, channel="till-1", program_version="2026.2",
            occurred_at=old.occurred_at, note=old.note, device_id="till-1", device_seq=2))
        conn.execute(update(m.LedgerHead).values(last_seq=2))
        conn.execute(update(m.Balance).where(m.Balance.member_id == old.member_id)
                     .values(points=m.Balance.points + old.points))
    [answer] = ledger.upload(KIOSK, UploadRequest(entries=[old])).results
    assert (answer.status, answer.seq) == ("duplicate", 2)
    assert ledger.check() == []

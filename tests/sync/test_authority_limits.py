"""The bounds the program sets per device, member and store day, held on the ledger
(sync/server/floor_limits.py; DESIGN rule 6 and "The program engine", point 3): a kiosk
token's adjustments add up to ``limits.max_adjustment_points``, and what it spends without
a hold stays within the ``[offline]`` floor limits, in one upload and across uploads. An
honest kiosk at exactly those limits is refused nothing; a hold authorises any size."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from kiosk.audit import Rejected
from kiosk.ledger import Entry, EntryKind
from kiosk.services import Enrolment, Sale, enrol, identify, redeem, ring_up_sale
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.donations import donate
from kiosk.services.errors import OfflineLimitReached
from sync.client import LedgerClient
from sync.protocol import EntryWire, MemberWire, UploadRequest
from sync.server.counter import OnlineCounter
from sync.server.ledger import Caller, Ledger
from tests.helpers.checkout_ledger import KEYED, VERSION, online
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk, paired, sqlite_copy
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import CHECKOUT, program_text
from tests.helpers.program_ledger import BOTH_DATABASES, ledger_on_program
from tests.sync.conftest import in_process_ledger

ADJUST = {"kind": "adjust", "amount_minor": 0, "order_ref": None, "note": "goodwill"}
TOTE = {"kind": "redeem", "amount_minor": 0, "order_ref": None, "reward_id": "tote"}


def statuses(answer) -> list[tuple[str, str | None]]:
    return [(r.status, r.code) for r in answer.results]


# -- on the ledger, as a stolen token would call it (both databases) ---------------------

def test_adjustments_from_one_device_are_bounded_per_member(ledger: Ledger) -> None:
    """limits.max_adjustment_points (100,000) bounds one entry; ten entries minted a
    million points for one member from one token in one request."""
    [member] = members(1)
    ups = [sale(member, i + 1, 100_000, **ADJUST) for i in range(10)]
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=ups))
    assert ledger.balance(member.id) <= 100_000, (
        f"balance {ledger.balance(member.id)} from adjustments alone")


def test_adjustments_add_up_across_uploads_up_and_down_alike(ledger: Ledger) -> None:
    [member, other] = members(2)
    first = ledger.upload(KIOSK, UploadRequest(members=[member, other], entries=[
        sale(member, 1, 60_000, **ADJUST), sale(member, 2, -40_000, **ADJUST)]))
    assert statuses(first) == [("accepted", None)] * 2  # 100,000 moved: the bound exactly
    again = ledger.upload(KIOSK, UploadRequest(entries=[
        sale(member, 3, 1, **ADJUST), sale(other, 4, -100_000, **ADJUST)]))
    assert statuses(again) == [("rejected", Rejected.ADJUSTMENT.value), ("accepted", None)]
    assert "100000 a store day" in (again.results[0].reason or "")
    ledger.add_device("till-2", "kiosk")  # another kiosk has a bound of its own
    there = ledger.upload(Caller("till-2", "kiosk"), UploadRequest(entries=[
        sale(member, 1, 100_000, **ADJUST, channel="till-2")]))
    assert statuses(there) == [("accepted", None)]
    assert ledger.balance(member.id) == 120_000


def test_redemptions_no_hold_authorised_stay_within_the_offline_floor_limits(
        ledger: Ledger) -> None:
    """DESIGN rule 6: offline, a kiosk redeems at most max_points_per_member_per_day (600)
    per member and day; online it redeems through a hold. Five tote bags (2,500 points)
    redeemed for one member today from one kiosk with no hold: the ledger took them all,
    so a token drained any member's balance."""
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[
        sale(member, 1, 5_000, amount_minor=500_000)]))  # a real NT$500,000 purchase
    totes = [sale(member, 2 + i, -500, **TOTE) for i in range(5)]
    ledger.upload(KIOSK, UploadRequest(entries=totes))
    assert ledger.balance(member.id) >= 5_000 - 600, (
        f"balance {ledger.balance(member.id)}: 2,500 points redeemed offline in a day")


def test_offline_spends_add_up_across_uploads_and_a_hold_authorises_any_size(
        ledger: Ledger) -> None:
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[
        sale(member, 1, 5_000, amount_minor=500_000)]))
    held = [sale(member, 2 + i, -500, **TOTE) for i in range(3)]
    counter = OnlineCounter(ledger)
    for e in held:  # online: each held first (the ledger checked the balance then)
        counter.reserve(KIOSK, e.model_copy(update={"device_seq": None}), 60)
    assert statuses(ledger.upload(KIOSK, UploadRequest(entries=held))) == [
        ("accepted", None)] * 3
    tote = ledger.upload(KIOSK, UploadRequest(entries=[sale(member, 5, -500, **TOTE)]))
    voucher = ledger.upload(KIOSK, UploadRequest(entries=[
        sale(member, 6, -100, **{**TOTE, "reward_id": "nt100-off"})]))
    assert statuses(tote) + statuses(voucher) == [("accepted", None)] * 2  # 600: the limit
    coffee = ledger.upload(KIOSK, UploadRequest(entries=[
        sale(member, 7, -60, **{**TOTE, "reward_id": "coffee"})]))
    assert statuses(coffee) == [("rejected", Rejected.OFFLINE_LIMIT.value)]
    assert "offline the limit is 600 a day" in (coffee.results[0].reason or "")
    assert ledger.balance(member.id) == 5_000 - 1_500 - 600


def test_an_upload_holds_at_most_the_consecutive_offline_redemptions(ledger: Ledger) -> None:
    """Every redemption ahead of one in its upload was waiting at the counter when it was
    made: past max_consecutive_redemptions (200) the counter takes none offline."""
    people = members(201)
    coffees = [sale(p, i + 1, -60, **{**TOTE, "reward_id": "coffee"})
               for i, p in enumerate(people)]
    answer = ledger.upload(KIOSK, UploadRequest(members=people, entries=coffees))
    assert statuses(answer) == [("accepted", None)] * 200 + [
        ("rejected", Rejected.OFFLINE_LIMIT.value)]
    assert "200 redemptions were waiting" in (answer.results[-1].reason or "")


DONATE = {"kind": "donate", "amount_minor": 0, "order_ref": None,
          "note": "cause:school-meals", "program_version": VERSION}
COFFEE = {**TOTE, "reward_id": "coffee", "program_version": VERSION}


@pytest.fixture(params=BOTH_DATABASES)
def cause_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    """In-process, on the checkout's program (a cause to give to), four spends at most
    before a sync."""
    program = tmp_path / "program.toml"
    program.write_text(program_text(CHECKOUT, version=VERSION).replace(
        "max_consecutive_redemptions = 200", "max_consecutive_redemptions = 4"),
        encoding="utf-8")
    url = (request.getfixturevalue("pg_migrated_url") if request.param == "postgres"
           else sqlite_copy(request.getfixturevalue("sqlite_ledger_schema"),
                            tmp_path / "ledger.db"))
    ledger = in_process_ledger(url, program)
    yield ledger
    ledger.engine.dispose()


def _with_points(ledger: Ledger, people: list[MemberWire]) -> None:
    ledger.upload(KIOSK, UploadRequest(members=people, entries=[
        sale(p, 100 + i, 5_000, amount_minor=500_000, program_version=VERSION)
        for i, p in enumerate(people)]))


@pytest.mark.parametrize("uploads", [1, 2], ids=["one-upload", "upload-by-upload"])
def test_donations_without_a_hold_count_in_the_days_limit_as_redemptions_do(
        cause_ledger: Ledger, uploads: int) -> None:
    """As at the counter (tests/services/test_donations.py): 600 points given today with no
    hold is the day's limit, and one more gift or a coffee is refused. Donations were held
    to the limit but not counted in it: a token gave 600 points again and again."""
    [member] = members(1)
    _with_points(cause_ledger, [member])
    spends = [sale(member, 1, -500, **DONATE), sale(member, 2, -100, **DONATE),
              sale(member, 3, -10, **DONATE), sale(member, 4, -60, **COFFEE)]
    results = []
    for part in ([spends] if uploads == 1 else [spends[:2], spends[2:3], spends[3:]]):
        results += cause_ledger.upload(KIOSK, UploadRequest(entries=part)).results
    assert [(r.status, r.code) for r in results] == [("accepted", None)] * 2 + [
        ("rejected", Rejected.OFFLINE_LIMIT.value)] * 2
    assert all("offline the limit is 600 a day" in (r.reason or "") for r in results[2:])
    assert cause_ledger.balance(member.id) == 5_000 - 600


def test_donations_are_spends_waiting_ahead_in_an_upload(cause_ledger: Ledger) -> None:
    """max_consecutive_redemptions (4 here) counts the donations ahead in the upload, as
    the counter counts those waiting for the ledger."""
    people = members(5)
    _with_points(cause_ledger, people)
    spends = [sale(p, i + 1, -10, **DONATE) if i % 2 == 0 else sale(p, i + 1, -60, **COFFEE)
              for i, p in enumerate(people)]
    answer = cause_ledger.upload(KIOSK, UploadRequest(entries=spends))
    assert statuses(answer) == [("accepted", None)] * 4 + [
        ("rejected", Rejected.OFFLINE_LIMIT.value)]
    assert "4 redemptions were waiting" in (answer.results[-1].reason or "")


# -- an honest kiosk through its services and its sync agent ------------------------------

@pytest.fixture(params=BOTH_DATABASES)
def checkout_ledger(request: pytest.FixtureRequest, tmp_path: Path
                    ) -> Iterator[LedgerProcess]:
    """The checkout's program (a cause, points as money), four redemptions at most before
    a sync."""
    text = program_text(CHECKOUT, version=VERSION).replace(
        "max_consecutive_redemptions = 200", "max_consecutive_redemptions = 4")
    assert "max_consecutive_redemptions = 4" in text
    yield from ledger_on_program(request, tmp_path, text)


def _rejections(ledger: LedgerProcess) -> list[dict[str, object]]:
    token = ledger.add_device(f"office-{uuid.uuid4().hex[:8]}", "admin")
    answer = requests.get(f"{ledger.url}/v1/reports/rejections",
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def _spend(k: PairedKiosk, member: uuid.UUID, reward: str, seq: int) -> EntryWire:
    """A redemption the kiosk's token could upload with no hold and no counter behind it."""
    return EntryWire.of(Entry(k.kiosk.new_id(), member, EntryKind.REDEEM,
                              -k.kiosk.program.reward(reward).cost,  # type: ignore[union-attr]
                              k.kiosk.channel, datetime.now(UTC), VERSION, reward_id=reward),
                        device_seq=seq)


def _gift(k: PairedKiosk, member: uuid.UUID, points: int, seq: int) -> EntryWire:
    """A donation the kiosk's token could upload with no hold and no counter behind it."""
    return EntryWire.of(Entry(k.kiosk.new_id(), member, EntryKind.DONATE, -points,
                              k.kiosk.channel, datetime.now(UTC), VERSION,
                              note="cause:school-meals"), device_seq=seq)


def test_an_honest_offline_kiosk_at_exactly_the_limits_is_accepted(
        checkout_ledger: LedgerProcess, tmp_path: Path) -> None:
    """Offline, member A gives 500 points to a cause (the most at once) and redeems a
    NT$100 voucher (600 today: the day's limit, the gift counted in it); B pays 500 points
    of a bill and takes a coffee: the fourth spend waiting (the gift is one), the most
    before a sync. The counter refuses one more of each; the ledger takes every one the
    counter took, and refuses the same one more from the kiosk's token. Online, a hold
    authorises a tote past the day's limit."""
    k = paired(checkout_ledger, tmp_path, "till-a")
    a = enrol(k.kiosk, Enrolment("陳美玲", "0912345678", consent=True))
    b = enrol(k.kiosk, Enrolment("林志明", "0922111222", consent=True)).member.id
    for ref in ("A-1", "A-2"):
        ring_up_sale(k.kiosk, Sale(a.member.id, 90_000, ref))  # 900 points each
    ring_up_sale(k.kiosk, Sale(b, 90_000, "B-1"))
    earned = identify(k.kiosk, a.card.payload).balance
    assert k.kiosk.authoriser is None  # offline: the floor limits decide
    assert donate(k.kiosk, a.member.id, "school-meals", 500).authorised == "offline"
    redeem(k.kiosk, a.member.id, "nt100-off")
    with pytest.raises(OfflineLimitReached, match="600 a day"):
        redeem(k.kiosk, a.member.id, "coffee")  # 660 today
    with pytest.raises(OfflineLimitReached, match="600 a day"):
        donate(k.kiosk, a.member.id, "school-meals", 10)
    paid = check_out(k.kiosk, Checkout(b, (KEYED,), points=500, order_ref="B-2"))
    assert paid.authorised == "offline" and paid.redemption is not None
    redeem(k.kiosk, b, "coffee")  # the fourth spend waiting for the ledger
    with pytest.raises(OfflineLimitReached, match="4 redemptions are waiting"):
        donate(k.kiosk, b, "school-meals", 10)  # 570 today: within the day's 600
    k.agent().sync_once()
    assert _rejections(checkout_ledger) == []
    shop = LedgerClient(checkout_ledger.url, checkout_ledger.add_device("web", "shop"))
    assert shop.balance(a.member.id) == identify(k.kiosk, a.card.payload).balance
    assert shop.balance(a.member.id) == earned - 600
    assert checkout_ledger.check() == []
    # One more from the kiosk's token, with no counter behind it: refused, as it was there.
    forged = LedgerClient(checkout_ledger.url, k.token).upload(UploadRequest(entries=[
        _spend(k, a.member.id, "coffee", 1000), _gift(k, a.member.id, 10, 1001)]))
    assert statuses(forged) == [("rejected", Rejected.OFFLINE_LIMIT.value)] * 2
    online(k)  # a hold authorises what the floor limits would not
    assert redeem(k.kiosk, a.member.id, "tote").authorised == "online"
    k.agent().sync_once()
    assert shop.balance(a.member.id) == earned - 1_100
    assert [r["code"] for r in _rejections(checkout_ledger)] == [
        Rejected.OFFLINE_LIMIT.value] * 2
    k.kiosk.store.close()

"""What a stolen kiosk token could mint through what the ledger stores (the authority
review): sign-up bonuses and an order's stamps under fresh ids, another store's member
profile; and the honest upload the ledger refused, a once-only bonus granted under two
program versions. Each on both databases (spend on entries that are not sales:
test_authority_spend.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import func, insert, select

from kiosk.awards import DERIVED_CHANNEL, order_entries, record_for
from kiosk.engine.bonuses import local_midnight, window_start
from kiosk.engine.orders import MemberState, Order, OrderLine, derived_id
from kiosk.program import Program, parse_program
from sync.protocol import EntryWire, MemberWire, OrderWire, UploadRequest
from sync.server import models as m
from sync.server.db import ledger_engine
from sync.server.ledger import Caller, Ledger
from tests.helpers.ledger_wire import KIOSK, members, sale
from tests.helpers.program import COFFEE_CARD, program_text

ZONE = ZoneInfo("Asia/Taipei")
BONUS = {"kind": "bonus", "amount_minor": 0, "order_ref": None}
_seq = iter(range(1, 10**6))


def publish(ledger: Ledger, extra: str, version: str) -> Program:
    program = parse_program(program_text(extra, version))
    ledger.publish_program(program)
    return program


def person(**changes: Any) -> MemberWire:
    fields: dict[str, Any] = dict(id=uuid.uuid4(), name="陳美玲", phone="0912345678",
                                  enrolled_at=datetime.now(UTC) - timedelta(days=30),
                                  channel=KIOSK.device_id)
    fields.update(changes)
    return MemberWire.model_validate(fields)


def order_upload(program: Program, member: MemberWire, lines: tuple[OrderLine, ...],
                 state: MemberState) -> tuple[UploadRequest, list[EntryWire]]:
    order = Order(KIOSK.device_id, f"R-{uuid.uuid4().hex[:10]}",
                  datetime.now(UTC) - timedelta(minutes=1), lines, member.id)
    record = record_for(program, order, state)
    entries = [EntryWire.of(e, device_seq=next(_seq))
               for e in order_entries(record, new_id=uuid.uuid4, staff=None)]
    return UploadRequest(orders=[OrderWire.of(record)], entries=entries), entries


# -- once per member, once per order ------------------------------------------------------

def test_a_sign_up_bonus_is_granted_once_per_member(ledger: Ledger) -> None:
    """Any bonus noted "signup" worth the program's sign-up bonus passed the audit, under a
    fresh id each time: one token minted 50 points an entry, for any member."""
    [member] = members(1)
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[
        sale(member, 1, 50, **BONUS, note="signup")]))
    again = [sale(member, 2 + i, 50, **BONUS, note="signup") for i in range(20)]
    answer = ledger.upload(KIOSK, UploadRequest(entries=again))
    assert ledger.balance(member.id) == 50, (
        f"{sum(r.status == 'accepted' for r in answer.results)} more sign-up bonuses "
        f"accepted: balance {ledger.balance(member.id)}")
    assert {(r.status, r.code) for r in answer.results} == {("rejected", "bonus_not_granted")}


def test_an_orders_stamp_entry_counts_once(ledger: Ledger) -> None:
    """An order's earn and bonuses were unique per order through indexes, its stamp entry
    not: the same stamp entry under new ids was accepted each time, and the extra stamps
    then backed up card-filling claims."""
    program = publish(ledger, COFFEE_CARD, "2026.2-review-stamps")
    member = person()
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    request, entries = order_upload(program, member, (OrderLine("LATTE", 3, 120, "coffee"),),
                                    MemberState("bronze", member.enrolled_at))
    [stamp] = [e for e in entries if e.kind.value == "stamp"]
    copies = [stamp.model_copy(update={"id": uuid.uuid4(), "device_seq": next(_seq)})
              for _ in range(5)]
    answer = ledger.upload(KIOSK, request.model_copy(update={
        "entries": [*request.entries, *copies]}))
    statuses = [r.status for r in answer.results]
    e = m.Entry.__table__.c
    with ledger.engine.connect() as conn:
        held = conn.execute(select(func.sum(e.points)).where(
            e.member_id == member.id, e.kind == "stamp")).scalar_one()
    assert held == 3, f"3 coffees bought, {held} stamps on the ledger ({statuses})"
    assert {(r.status, r.code) for r in answer.results[len(entries):]} == {
        ("rejected", "order_recorded")}


# -- a member's profile is their own store's ---------------------------------------------

HOME = Caller("till-2", "kiosk")  # the member's own store
SCANNER = Caller("till-3", "kiosk")  # a store that saw their card first


def test_another_stores_member_profile_is_not_one_any_kiosk_may_write(ledger: Ledger
                                                                       ) -> None:
    """A member's stable facts (birthday, enrolment, referrer) that derived bonuses and
    coupons are checked against came from the first complete profile any device sent:
    till-1's token wrote another store's member, then granted a birthday bonus a year."""
    version = "2026.2-review-members"
    program = parse_program(program_text("[bonuses.birthday]\npoints = 100\n", version))
    ledger.publish_program(program)
    for caller in (HOME, SCANNER):
        ledger.add_device(caller.device_id, "kiosk")
    member_id = uuid.uuid4()
    real = MemberWire(id=member_id, name="陳美玲", phone="0912345678",
                      enrolled_at=datetime.now(UTC) - timedelta(days=1),
                      channel=HOME.device_id, birthday=date(1990, 3, 15))
    # till-3 scanned the card (profile pending) before till-2's enrolment went up; the
    # pending member names the card's issuer, till-2, as a kiosk does (kiosk/services/
    # views.py): only till-2 completes it (tests/sync/test_pending_profile_owner.py).
    pending = MemberWire(id=member_id, name="", phone="", enrolled_at=real.enrolled_at,
                         channel=HOME.device_id, profile_pending=True)
    ledger.upload(SCANNER, UploadRequest(members=[pending], entries=[]))

    today = datetime.now(ZONE).date()
    accomplice = person(name="王小明", phone="0922333444")
    ledger.upload(KIOSK, UploadRequest(members=[accomplice], entries=[]))
    forged = real.model_copy(update={"phone": "0999000111", "birthday": date(1990, today.month, 1),
                                     "enrolled_at": datetime(2020, 1, 1, tzinfo=UTC),
                                     "referrer_id": accomplice.id})
    assert program.bonuses.birthday is not None and forged.birthday is not None
    bonuses = [EntryWire(id=derived_id(member_id, f"birthday:{y}"), member_id=member_id,
                         kind="bonus", points=100, channel=DERIVED_CHANNEL,
                         occurred_at=local_midnight(window_start(
                             program.bonuses.birthday, forged.birthday, y), ZONE),
                         program_version=version, note=f"birthday:{y}", device_seq=i)
               for i, y in enumerate(range(2020, today.year + 1), start=1)]
    answer = ledger.upload(KIOSK, UploadRequest(members=[forged], entries=bonuses))
    assert {(r.status, r.code) for r in answer.results} == {("rejected", "derived_bonus")}

    ledger.upload(HOME, UploadRequest(members=[real], entries=[]))  # the real profile
    with ledger.engine.connect() as conn:
        row = conn.execute(select(m.Member.__table__).where(
            m.Member.__table__.c.id == member_id)).one()
    assert (row.phone, row.birthday, row.referrer_id) == (real.phone, real.birthday, None), (
        f"till-1 wrote another store's member: phone {row.phone}, birthday {row.birthday}, "
        f"referrer {row.referrer_id}, balance {ledger.balance(member_id)}")
    assert ledger.balance(member_id) == 0


# -- the honest upload the ledger refused ---------------------------------------------------

def test_a_birthday_bonus_granted_under_two_versions_offline_is_one_bonus(ledger: Ledger
                                                                          ) -> None:
    """v2 raises the birthday bonus from 100 to 150. Kiosk A (has v2) and kiosk B (still on
    v1, offline) both grant this year's bonus: same derived id, other points. The second
    copy was refused as a conflict: kiosk B then left its copy out of the balance and
    never took the ledger's (its primary key keeps its own), so the two parted for good.
    The first copy stands; the second is its duplicate, answered with the first's seq (the
    review's test asked only that it not be refused)."""
    v1 = parse_program(program_text("[bonuses.birthday]\npoints = 100\n", "2026.2-bd-1"))
    v2 = parse_program(program_text("[bonuses.birthday]\npoints = 150\n", "2026.2-bd-2"))
    ledger.publish_program(v1)
    ledger.publish_program(v2)
    other = Caller("till-2", "kiosk")
    ledger.add_device(other.device_id, "kiosk")
    today = datetime.now(ZONE).date()
    member = person(birthday=date(1990, today.month, 1),
                    enrolled_at=datetime.now(UTC) - timedelta(days=400))
    ledger.upload(KIOSK, UploadRequest(members=[member], entries=[]))
    note = f"birthday:{today.year}"
    results = []
    for caller, program in ((KIOSK, v2), (other, v1)):
        assert program.bonuses.birthday is not None and member.birthday is not None
        start = local_midnight(window_start(program.bonuses.birthday, member.birthday,
                                            today.year), ZONE)
        entry = EntryWire(id=derived_id(member.id, note), member_id=member.id, kind="bonus",
                          points=program.bonuses.birthday.points, channel=DERIVED_CHANNEL,
                          occurred_at=start, program_version=program.version, note=note,
                          device_seq=next(_seq))
        [result] = ledger.upload(caller, UploadRequest(entries=[entry])).results
        results.append((result.status, result.code, result.seq))
    assert results[1][0] != "rejected", f"the second kiosk's honest copy: {results}"
    assert results[1] == ("duplicate", None, results[0][2])
    assert ledger.balance(member.id) == 150


def test_a_derived_id_under_another_award_is_still_a_conflict(ledger: Ledger) -> None:
    """The same id is the same award only for the same member, kind, note and channel."""
    program = publish(ledger, "[bonuses.birthday]\npoints = 100\n", "2026.2-bd-1")
    today = datetime.now(ZONE).date()
    member = person(birthday=date(1990, today.month, 1))
    other = person(phone="0922333444", birthday=member.birthday)
    ledger.upload(KIOSK, UploadRequest(members=[member, other], entries=[]))
    note = f"birthday:{today.year}"
    assert program.bonuses.birthday is not None and member.birthday is not None
    start = local_midnight(window_start(program.bonuses.birthday, member.birthday,
                                        today.year), ZONE)
    answers = [ledger.upload(KIOSK, UploadRequest(entries=[EntryWire(
        id=derived_id(member.id, note), member_id=whose.id, kind="bonus", points=100,
        channel=DERIVED_CHANNEL, occurred_at=start, program_version=program.version,
        note=note, device_seq=next(_seq))])).results[0] for whose in (member, other)]
    assert [(r.status, r.code) for r in answers] == [("accepted", None),
                                                     ("rejected", "conflict")]


# -- the migration, on a ledger holding copies ----------------------------------------------

def _at(engine: Any, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(
        Path(m.__file__).with_name("migrations")))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


@pytest.mark.parametrize("database", ["postgres", "sqlite"])
def test_migration_0012_keeps_the_first_of_the_copies_a_ledger_already_holds(
        request: pytest.FixtureRequest, tmp_path: Path, database: str) -> None:
    """Copies stored before the indexes existed: the first (by seq) keeps its note, the
    later ones are retagged so the unique indexes can be built; stamp reversals are no
    copies."""
    url = (request.getfixturevalue("pg_url") if database == "postgres"
           else f"sqlite:///{tmp_path / 'ledger.db'}")
    engine = ledger_engine(url)
    _at(engine, "0011")
    member, now = uuid.uuid4(), datetime.now(UTC)
    rows: list[dict[str, Any]] = []

    def entry(kind: str, points: int, note: str, ref: str | None = None,
              reverses: uuid.UUID | None = None) -> uuid.UUID:
        rows.append(dict(id=uuid.uuid4(), seq=len(rows) + 1, member_id=member, kind=kind,
                         points=points, amount_minor=0, channel="till-1", order_ref=ref,
                         program_version="2026.2", occurred_at=now, reverses=reverses,
                         note=note))
        return rows[-1]["id"]

    entry("bonus", 50, "signup")
    entry("bonus", 50, "signup")
    stamp = entry("stamp", 3, "card:coffee", "R-1")
    entry("stamp", 3, "card:coffee", "R-1")
    entry("stamp", -1, "card:coffee", "R-1", reverses=stamp)
    entry("stamp", -1, "card:coffee", "R-1", reverses=stamp)
    with engine.begin() as conn:
        conn.execute(insert(m.Member.__table__).values(
            id=member, name="陳美玲", phone="0912345678", enrolled_at=now, channel="till-1"))
        conn.execute(insert(m.Entry.__table__), rows)
    _at(engine, "head")
    e = m.Entry.__table__.c
    with engine.connect() as conn:
        notes = list(conn.execute(select(e.note).order_by(e.seq)).scalars())
    engine.dispose()
    assert notes == ["signup", "signup (duplicate 2)", "card:coffee",
                     "card:coffee (duplicate 4)", "card:coffee", "card:coffee"]

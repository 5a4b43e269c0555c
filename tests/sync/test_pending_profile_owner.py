"""A member enrolled at one store and seen at another before their profile reached the
ledger is held there as 'profile pending', under the store that issued their card. A
store owner would notice another store's device writing that member's profile: the
member's name and phone on every till and in the shop's search are someone else's,
birthday bonuses are paid for a made-up birthday back to 2020, and the member's own
store's profile, when it arrives, is dropped. Found at review 27.

The profile of a pending member is taken only from the store the pending row names."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.bonuses import local_midnight, window_start
from kiosk.engine.orders import derived_id
from kiosk.program import parse_program
from sync.protocol import EntryWire, MemberWire, UploadRequest
from sync.server import models as m
from sync.server.ledger import Caller, Ledger
from tests.helpers.ledger_wire import KIOSK
from tests.helpers.program import program_text

ZONE = ZoneInfo("Asia/Taipei")
HOME = Caller("till-2", "kiosk")  # the member's own store
SCANNER = Caller("till-3", "kiosk")  # a store that saw their card first


def test_a_kiosk_claiming_its_own_channel_writes_another_stores_pending_member(
        ledger: Ledger) -> None:
    """The member enrolled at till-2, which is offline; till-3 saw their card, so the
    ledger holds them as 'profile pending'. A stolen till-1 token sends a complete profile
    for that member naming ITS OWN channel (as_claimed only checks channel == caller): the
    ledger takes it as the member's enrolment, grants birthday bonuses for the forged
    birthday back to 2020, and when till-2's real profile arrives it is dropped. The
    member's name and phone are the forger's on the ledger (the shop's phone search and
    every till show them), and points are minted for the forged birthdays."""
    version = "2026.2-review-pending"
    program = parse_program(program_text("[bonuses.birthday]\npoints = 100\n", version))
    ledger.publish_program(program)
    for caller in (HOME, SCANNER):
        ledger.add_device(caller.device_id, "kiosk")
    member_id = uuid.uuid4()
    real = MemberWire(id=member_id, name="陳美玲", phone="0912345678",
                      enrolled_at=datetime.now(UTC) - timedelta(days=1),
                      channel=HOME.device_id, birthday=date(1990, 3, 15))
    pending = MemberWire(id=member_id, name="", phone="", enrolled_at=real.enrolled_at,
                         channel=HOME.device_id, profile_pending=True)
    ledger.upload(SCANNER, UploadRequest(members=[pending], entries=[]))

    today = datetime.now(ZONE).date()
    forged = real.model_copy(update={"phone": "0999000111", "name": "X",
                                     "birthday": date(1990, today.month, 1),
                                     "enrolled_at": datetime(2020, 1, 1, tzinfo=UTC),
                                     "channel": KIOSK.device_id})
    assert program.bonuses.birthday is not None and forged.birthday is not None
    bonuses = [EntryWire(id=derived_id(member_id, f"birthday:{y}"), member_id=member_id,
                         kind="bonus", points=100, channel=DERIVED_CHANNEL,
                         occurred_at=local_midnight(window_start(
                             program.bonuses.birthday, forged.birthday, y), ZONE),
                         program_version=version, note=f"birthday:{y}", device_seq=i)
               for i, y in enumerate(range(2020, today.year + 1), start=1)]
    answer = ledger.upload(KIOSK, UploadRequest(members=[forged], entries=bonuses))
    ledger.upload(HOME, UploadRequest(members=[real], entries=[]))  # the real profile
    with ledger.engine.connect() as conn:
        row = conn.execute(select(m.Member.__table__).where(
            m.Member.__table__.c.id == member_id)).one()
    accepted = sum(r.status == "accepted" for r in answer.results)
    assert (row.name, row.phone, row.channel, ledger.balance(member_id)) == (
        real.name, real.phone, HOME.device_id, 0), (
        f"till-1 wrote till-2's member: name {row.name!r}, phone {row.phone}, channel "
        f"{row.channel}; {accepted} birthday bonuses accepted, balance "
        f"{ledger.balance(member_id)}")


def test_a_pending_members_profile_is_their_own_stores_only(ledger: Ledger) -> None:
    """Another device's profile for a member pending under till-2 leaves them pending
    (nobody's name on the tills); till-2's own profile, when it arrives, completes them."""
    for caller in (HOME, SCANNER):
        ledger.add_device(caller.device_id, "kiosk")
    member_id = uuid.uuid4()
    real = MemberWire(id=member_id, name="陳美玲", phone="0912345678",
                      enrolled_at=datetime.now(UTC) - timedelta(days=1),
                      channel=HOME.device_id, birthday=date(1990, 3, 15))
    ledger.upload(SCANNER, UploadRequest(members=[real.model_copy(update={
        "name": "", "phone": "", "birthday": None, "profile_pending": True})], entries=[]))
    forged = real.model_copy(update={"name": "X", "phone": "0999000111",
                                     "channel": KIOSK.device_id})
    ledger.upload(KIOSK, UploadRequest(members=[forged], entries=[]))

    def row() -> tuple[str, str, str, bool]:
        with ledger.engine.connect() as conn:
            r = conn.execute(select(m.Member.__table__).where(
                m.Member.__table__.c.id == member_id)).one()
        return r.name, r.phone, r.channel, r.profile_pending

    assert row() == ("", "", HOME.device_id, True)
    ledger.upload(HOME, UploadRequest(members=[real], entries=[]))
    assert row() == (real.name, real.phone, HOME.device_id, False)

"""The members and cards an upload brings: a member's profile is the enrolling device's to
write (the authority review: any kiosk's token wrote another store's member, birthday,
enrolment and referrer, which once-only bonuses and coupons are checked against)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, bindparam, select, update

from kiosk.members import PROFILE
from kiosk.program import Program
from sync.protocol import CardWire, MemberWire
from sync.server import models as m
from sync.server.bulk import insert_ignore, keys_present
from sync.server.calls import Caller, LedgerRefusal
from sync.server.coupons import issue_on_enrolment

log = logging.getLogger(__name__)


def as_claimed(caller: Caller, members: Sequence[MemberWire],
               conn: Connection | None = None) -> list[MemberWire]:
    """The request's members as the caller may write them: a complete profile is the
    enrolling device's (its channel) to give. Another device's is taken as what it can
    vouch for, a member known by a card (profile pending, none of the profile's facts):
    it neither writes the facts the checks read nor stands in for the real profile,
    which replaces it when the member's own store sends it.

    With ``conn`` (the upload's transaction), the member's own store is the one the
    ledger's pending row names (the issuer of the card another kiosk scanned): a device
    that names itself as the channel of a member pending under another's is another
    device too (review 27: a kiosk's token took another store's pending member, their
    name, phone, birthday and referrer, and the real profile was then dropped)."""
    pending = _pending_channels(conn, [w.id for w in members if not w.profile_pending]
                                ) if conn is not None else {}
    out = []
    for w in members:
        if w.profile_pending or (w.channel == caller.device_id
                                 and pending.get(w.id, w.channel) == w.channel):
            out.append(w)
            continue
        owner = pending.get(w.id, w.channel)
        log.warning("device %s sent a profile of member %s, whom %s enrolled: kept as known "
                    "by a card only", caller.device_id, w.id, owner)
        out.append(MemberWire(id=w.id, name="", phone="", enrolled_at=w.enrolled_at,
                              channel=owner, profile_pending=True))
    return out


def _pending_channels(conn: Connection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The channel each of these members' pending rows on the ledger names."""
    if not ids:
        return {}
    c = m.Member.__table__.c
    return dict(conn.execute(select(c.id, c.channel).where(
        c.id.in_(ids), c.profile_pending.is_(True))).all())


def store_members(conn: Connection, members: Sequence[MemberWire], cards: Sequence[CardWire],
                  program: Callable[[Connection], Program]) -> None:
    """Store the members (as :func:`as_claimed` gives them) of an upload, and the welcome
    coupons of those whose profile arrives complete (``program``: the current one). Its
    cards' members must be sent or known; the cards themselves are kept by
    :func:`sync.server.revocations.store_revocations`, which checks that the device
    issued them."""
    insert_ignore(conn, m.Member.__table__, [w.model_dump() for w in members])
    complete = [w for w in members if not w.profile_pending]
    if complete:
        # A member another store's kiosk knew only by the card (profile pending) takes
        # the profile their own store enrolled them with, the one the pending row names
        # (the profile's channel, which :func:`as_claimed` makes the caller's); a
        # complete one never changes.
        conn.execute(update(m.Member).where(m.Member.id == bindparam("member"),
                                            m.Member.profile_pending.is_(True),
                                            m.Member.channel == bindparam("p_channel"))
                     .values({**{c: bindparam(f"p_{c}") for c in PROFILE},
                              "profile_pending": False}),
                     [{"member": w.id, **{f"p_{c}": getattr(w, c) for c in PROFILE}}
                      for w in complete])
    # A card's member comes with it, or is on the ledger already (lean uploads): a
    # card for anyone else is refused whole, before the foreign key would (a 500).
    sent = {w.id for w in members}
    others = {c.member_id for c in cards} - sent
    known = keys_present(conn, m.Member.__table__, "id", others) if others else set()
    for i, card in enumerate(cards):
        if card.member_id not in sent and card.member_id not in known:
            raise LedgerRefusal(422, "unknown_member",
                                f"cards[{i}].member_id: the ledger does not know this "
                                "member; upload the member with its card")
    if complete:
        issue_on_enrolment(conn, {w.id for w in complete}, program(conn))

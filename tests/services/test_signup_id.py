"""The sign-up bonus happens once per member, so its id is derived from the member (DESIGN,
engine point 4): a second copy, however it arises, is the same entry on the kiosk and on
the ledger (which also keeps one per member whatever the id: migration 0012)."""

from __future__ import annotations

from kiosk.engine.orders import derived_id
from kiosk.ledger import EntryKind


def test_the_sign_up_bonus_id_is_derived_from_the_member(member):
    [bonus] = member.entries
    assert (bonus.kind, bonus.note, bonus.points) == (EntryKind.BONUS, "signup", 50)
    assert bonus.id == derived_id(member.member.id, "signup")

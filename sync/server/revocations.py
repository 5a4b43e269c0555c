"""Cards a kiosk cancelled when it replaced a member's lost card (issue 15): kept on the
ledger's revocation list, which every kiosk syncs, once the ledger sees the card was the
member's and the member holds another card that is not cancelled (the replacement, sent
with it). So a device's token can't cancel a member's only card: at worst it gives them a
new one. A revocation the ledger can't accept is logged and not kept; it changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, func, select

from sync.protocol import RevocationWire
from sync.server import models as m
from sync.server.bulk import insert_ignore

log = logging.getLogger(__name__)


def store_revocations(conn: Connection, revocations: Sequence[RevocationWire],
                      now: datetime) -> None:
    """In the upload's transaction, after its members and cards are stored."""
    card, revoked = m.Card, m.Revocation
    for r in revocations:
        owner = conn.execute(select(card.member_id).where(card.card_no == r.card_no)).scalar()
        if owner != r.member_id:
            log.warning("card %s is not member %s's on the ledger: not cancelled",
                        r.card_no, r.member_id)
            continue
        others = conn.execute(select(func.count()).select_from(card).where(
            card.member_id == r.member_id, card.card_no != r.card_no,
            card.card_no.not_in(select(revoked.card_no)))).scalar_one()
        if not others:
            log.warning("card %s is member %s's only card: not cancelled", r.card_no,
                        r.member_id)
            continue
        insert_ignore(conn, revoked.__table__, [{"card_no": r.card_no, "revoked_at": now}])

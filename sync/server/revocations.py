"""The cards an upload brings, and those a kiosk cancelled when it replaced a member's lost
card (issue 15), kept on the ledger's revocation list, which every kiosk syncs.

A card is kept only if the uploading device issued it (review 27: rows were stored as
sent, first copy kept, and passed to every kiosk, so a device's token could take another
kiosk's next numbers, hold a lost card's number under another member, or date a made-up
card 2999 so that every later replacement counted as older): its payload verifies against
the device's own certified key (so its number is in the device's range), names the row's
member, number and key. One dated after the ledger's clock beyond the tolerance entries
get (``kiosk.audit.FUTURE_TOLERANCE``) is kept dated at the ledger's clock. Any other card
is left out with a log line; the rest of the upload goes through.

A device may cancel a member's cards only by giving them a new one: the request that
carries the cancellation carries the replacement, and the replacement must be a card that
device issued (its signature verifies against the device's own certified key, its number
in the device's range). Then the ledger cancels every card of the member issued before the
replacement, the ones the kiosk named and the ones it never heard of (a replacement lost
in its turn and replaced at another store: the other store never saw it). A cancellation
without such a replacement is logged and not kept: a device's token can't leave a member
without a card, and a made-up card doesn't count as one.

A member holds one card: the newest. A replacement that reaches the ledger after a card
of the member issued later than it (the card lost again and replaced at another store, or
by the shop, ``sync/server/shop_cards.py``, while this kiosk was offline) is cancelled on
arrival with the cards it replaced, as it would have been had it come first.
"""

import json
import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, select

from kiosk.audit import FUTURE_TOLERANCE
from kiosk.cards import CardError, DeviceCertificate, DeviceKey, TrustStore, verify_card
from sync.protocol import CardWire, RevocationWire
from sync.server import models as m
from sync.server.bulk import insert_ignore

log = logging.getLogger(__name__)


def _trust_of(conn: Connection, device_id: str) -> TrustStore | None:
    """The device's own certified keys, under the ledger's root: a card it issued verifies."""
    root = conn.execute(select(m.LedgerKey.root_private)).scalar()
    rows = conn.execute(select(m.Certificate.key_id, m.Certificate.document).where(
        m.Certificate.device_id == device_id, m.Certificate.revoked.is_(False))).all()
    if root is None or not rows:
        return None
    certificates = {row.key_id: DeviceCertificate.from_dict(json.loads(row.document))
                    for row in rows}
    return TrustStore(DeviceKey.from_bytes(root).public_bytes(), certificates)


def _issued_by(card: CardWire, trust: TrustStore | None) -> str | None:
    """Why the device did not issue this card, or None if it did."""
    if trust is None:
        return "the device has no certified card key"
    try:
        claim = verify_card(card.payload, trust)
    except CardError as e:
        return str(e)
    if (claim.card_no, claim.member_id, claim.key_id) != (card.card_no, card.member_id,
                                                          card.key_id):
        return "its payload names another card, member or key"
    return None


def _replacement(cards: Sequence[CardWire], member_id: uuid.UUID) -> CardWire | None:
    """The newest card of the request for this member (all of them the device's own)."""
    return max((c for c in cards if c.member_id == member_id),
               key=lambda c: c.issued_at, default=None)


def store_revocations(conn: Connection, device_id: str, revocations: Sequence[RevocationWire],
                      cards: Sequence[CardWire], now: datetime) -> None:
    """In the upload's transaction, after its members are stored: the cards the device
    issued, then its cancellations."""
    trust = _trust_of(conn, device_id) if cards or revocations else None
    kept = []
    for card in cards:
        why = _issued_by(card, trust)
        if why is None:
            # Dated ahead of the ledger (a kiosk's clock fast until its first sync): kept,
            # dated at the ledger's clock, so a later replacement still outranks it. Left
            # out, it was lost for good, and a shop's replacement of it cancelled nothing
            # (second review 27).
            kept.append(card if card.issued_at <= now + FUTURE_TOLERANCE
                        else card.model_copy(update={"issued_at": now}))
        else:
            log.warning("device %s sent card %s of member %s that it did not issue (%s): "
                        "not kept", device_id, card.card_no, card.member_id, why)
    insert_ignore(conn, m.Card.__table__, [w.model_dump() for w in kept])
    if not revocations:
        return
    c = m.Card
    for member_id in dict.fromkeys(r.member_id for r in revocations):
        new = _replacement(kept, member_id)
        if new is None:
            log.warning("device %s cancelled cards of member %s without a card of its own "
                        "for them: not kept", device_id, member_id)
            continue
        older = set(conn.execute(select(c.card_no).where(
            c.member_id == member_id, c.card_no != new.card_no,
            c.issued_at <= new.issued_at)).scalars())
        named = {r.card_no for r in revocations if r.member_id == member_id}
        owners = dict(conn.execute(select(c.card_no, c.member_id).where(
            c.card_no.in_(named))).all())
        # A named card is the member's on the ledger, or one the ledger never received
        # from the device's own range (issued here, lost before a sync).
        mine = {no for no in named if owners.get(no) == member_id or (
            no not in owners and trust is not None and any(
                no.startswith(cert.card_prefix) for cert in trust.certificates.values()))}
        replaced_since = conn.execute(select(c.card_no).where(
            c.member_id == member_id, c.issued_at > new.issued_at).limit(1)).first()
        cancelled = sorted((older | mine | {new.card_no}) - (
            set() if replaced_since else {new.card_no}))
        insert_ignore(conn, m.Revocation.__table__,
                      [{"card_no": no, "revoked_at": now} for no in cancelled])

"""A lost card replaced online (issue 15): ``POST /v1/shop/cards``, the shop's side of
``kiosk card reissue``. The ledger cancels every card the member holds (revocations, the
list kiosks sync) and issues a new number and QR with its own shop-issuer key, which its
root certified for :data:`~sync.server.devices.SHOP_CARD_PREFIX` like a kiosk's key; so
every kiosk verifies the new card offline and refuses the old ones once it has synced. The
balance is the member's and stays.

The caller's request id makes it once: a retry answers the same card and cancels nothing
more. Requests are serialised on the ledger's keys row (a reissue is rare; it is what
numbers the shop's cards without a gap or a clash).
"""

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from sqlalchemy import Connection, func, insert, select

from kiosk.cards import CARD_NUMBER_LENGTH, card_number, issue_card
from sync.server import models as m
from sync.server.bulk import insert_ignore
from sync.server.calls import Caller, LedgerRefusal
from sync.server.devices import SHOP_CARD_PREFIX, Devices
from sync.server.openapi import json_body, refusals
from sync.wire_shop import ShopCardRequest, ShopCardResult

_LAST_SERIAL = 10 ** (CARD_NUMBER_LENGTH - 1 - len(SHOP_CARD_PREFIX)) - 1


class ShopCards:
    def __init__(self, devices: Devices) -> None:
        self.devices, self.engine, self.clock = devices, devices.engine, devices.clock

    def reissue(self, caller: Caller, req: ShopCardRequest) -> ShopCardResult:
        """Cancel the member's cards and issue a new one, in one transaction."""
        with self.engine.begin() as conn:
            # First the lock, so a twin of this request waiting on it then sees the first.
            conn.execute(select(m.LedgerKey.id).with_for_update())
            done = self._done(conn, caller, req)
            if done is not None:
                return done
            member = conn.execute(select(m.Member.name).where(
                m.Member.id == req.member_id)).first()
            if member is None:
                raise LedgerRefusal(404, "unknown_member", "the ledger does not know this member")
            key, cert, revoked = self.devices.issuer(conn)
            if revoked:
                raise LedgerRefusal(409, "issuer_withdrawn", "the shop issuer's key was "
                                    "withdrawn: no card can be issued with it")
            held = list(conn.execute(select(m.Card.card_no).where(
                m.Card.member_id == req.member_id)).scalars())
            cancelled = set(held) - set(conn.execute(select(m.Revocation.card_no).where(
                m.Revocation.card_no.in_(held))).scalars()) if held else set()
            card_no, now = self._next_number(conn), self.clock()
            conn.execute(insert(m.Card).values(
                card_no=card_no, member_id=req.member_id, key_id=cert.key_id,
                payload=issue_card(key, cert, member_id=req.member_id, card_no=card_no),
                issued_at=now))
            insert_ignore(conn, m.Revocation.__table__,
                          [{"card_no": no, "revoked_at": now} for no in sorted(held)])
            conn.execute(insert(m.ShopCard).values(
                device_id=caller.device_id, request_id=req.request_id,
                member_id=req.member_id, card_no=card_no,
                cancelled=json.dumps(sorted(cancelled)), issued_at=now))
            result = self._done(conn, caller, req)
        assert result is not None
        return result.model_copy(update={"duplicate": False})

    @staticmethod
    def _done(conn: Connection, caller: Caller, req: ShopCardRequest) -> ShopCardResult | None:
        """The card issued before under this request id (a retry); 409 if that was for
        another member."""
        s = m.ShopCard
        row = conn.execute(select(s.member_id, s.card_no, s.cancelled, s.issued_at,
                                  m.Card.payload, m.Member.name)
                           .join(m.Card, m.Card.card_no == s.card_no)
                           .join(m.Member, m.Member.id == s.member_id)
                           .where(s.device_id == caller.device_id,
                                  s.request_id == req.request_id)).first()
        if row is None:
            return None
        if row.member_id != req.member_id:
            raise LedgerRefusal(409, "conflict", f"request {req.request_id!r} replaced "
                                "another member's card")
        balance = conn.execute(select(m.Balance.points).where(
            m.Balance.member_id == row.member_id)).scalar()
        return ShopCardResult(member_id=row.member_id, name=row.name, card_no=row.card_no,
                              card_payload=row.payload, cancelled=json.loads(row.cancelled),
                              issued_at=row.issued_at, balance=int(balance or 0),
                              duplicate=True)

    @staticmethod
    def _next_number(conn: Connection) -> str:
        """The next of the shop's numbers (its own table says which it gave out: devices
        can't add to it) that no card holds: an upload may have taken one with a made-up
        card, which no kiosk would accept, but its row is there."""
        last = conn.execute(select(func.max(m.ShopCard.card_no))).scalar()
        serial = 1 if last is None else int(last[len(SHOP_CARD_PREFIX):-1]) + 1
        while serial <= _LAST_SERIAL:
            card_no = card_number(SHOP_CARD_PREFIX, serial)
            if conn.execute(select(m.Card.card_no).where(m.Card.card_no == card_no)
                            ).first() is None:
                return card_no
            serial += 1
        raise LedgerRefusal(409, "no_card_numbers_left",
                            f"every card number of prefix {SHOP_CARD_PREFIX} is taken")


def add_shop_card_route(app: FastAPI, cards: ShopCards, shop: Callable[..., Any],
                        request_body: Callable[[type[Any]], dict[str, Any]]) -> None:
    @app.post("/v1/shop/cards", openapi_extra=request_body(ShopCardRequest),
              responses=refusals(403, 404, 409, 422))
    def reissue_card(body: Annotated[ShopCardRequest, Depends(json_body(ShopCardRequest))],
                     who: Annotated[Caller, Depends(shop)]) -> ShopCardResult:
        """Replace a member's lost card: every card they hold is cancelled (kiosks refuse
        them once they have synced) and a new number and QR issued; the balance stays. A
        retry under the same ``request_id`` answers the same card (``duplicate``). 404
        ``unknown_member``; 409 ``conflict`` (the request id replaced another member's card),
        ``issuer_withdrawn``."""
        return cards.reissue(who, body)

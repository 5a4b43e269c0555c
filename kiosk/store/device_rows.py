"""This kiosk's identity (``tx.devices``) and whom it trusts: certified card-issuing keys
and revoked cards (``tx.trust``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.sqlite import insert as upsert

from kiosk.records import DeviceRecord
from kiosk.store import models as m
from kiosk.store.session import Rows


class SqliteDevices(Rows):
    __slots__ = ()

    def get(self) -> DeviceRecord | None:
        row = self.conn.execute(select(m.Device).where(m.Device.id == 1)).first()
        if row is None:
            return None
        return DeviceRecord(row.device_id, row.channel, row.store_name, row.signing_key,
                            row.certificate, row.root_public_key)

    def create(self, record: DeviceRecord, created_at: datetime) -> None:
        self.conn.execute(insert(m.Device).values(
            id=1, device_id=record.device_id, channel=record.channel,
            store_name=record.store_name, created_at=created_at,
            signing_key=record.signing_key, certificate=record.certificate,
            root_public_key=record.root_public_key, next_card_serial=1))

    def take_card_serial(self) -> int:
        return int(self.conn.execute(
            update(m.Device).where(m.Device.id == 1)
            .values(next_card_serial=m.Device.next_card_serial + 1)
            .returning(m.Device.next_card_serial - 1)).scalar_one())


class SqliteTrust(Rows):
    __slots__ = ()

    def add_certificate(self, key_id: str, document: str) -> None:
        self.conn.execute(insert(m.Certificate).values(key_id=key_id, document=document))

    def upsert_certificate(self, key_id: str, document: str, revoked: bool) -> None:
        stmt = upsert(m.Certificate).values(key_id=key_id, document=document, revoked=revoked)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["key_id"],
                                                     set_={"revoked": revoked}))

    def certificates(self) -> list[tuple[str, bool]]:
        rows = self.conn.execute(select(m.Certificate.document, m.Certificate.revoked))
        return [(r.document, bool(r.revoked)) for r in rows]

    def revoked_cards(self) -> frozenset[str]:
        return frozenset(self.conn.execute(select(m.RevokedCard.card_no)).scalars())

    def revoke_card(self, card_no: str, at: datetime) -> None:
        self.conn.execute(insert(m.RevokedCard).values(card_no=card_no, revoked_at=at)
                          .prefix_with("OR IGNORE"))

    def revoke_here(self, card_no: str, member_id: uuid.UUID, at: datetime) -> None:
        stmt = upsert(m.RevokedCard).values(card_no=card_no, revoked_at=at,
                                            member_id=member_id, on_ledger=False)
        self.conn.execute(stmt.on_conflict_do_update(  # cancelled before: sent again
            index_elements=["card_no"], set_={"member_id": member_id, "on_ledger": False}))

    def unsent_revocations(self) -> list[tuple[str, uuid.UUID, datetime]]:
        r = m.RevokedCard
        rows = self.conn.execute(select(r.card_no, r.member_id, r.revoked_at).where(
            r.on_ledger.is_(False), r.member_id.is_not(None)).order_by(r.revoked_at))
        return [(row.card_no, row.member_id, row.revoked_at) for row in rows]

    def mark_revocations_sent(self, card_nos: Iterable[str]) -> None:
        wanted = list(card_nos)
        if wanted:
            self.conn.execute(update(m.RevokedCard).where(
                m.RevokedCard.card_no.in_(wanted)).values(on_ledger=True))

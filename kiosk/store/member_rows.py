"""Members (``tx.members``) and their cards (``tx.cards``) in the local store."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, text, update

from kiosk.members import PROFILE, Member
from kiosk.records import CardRecord
from kiosk.store import models as m
from kiosk.store.columns import (
    CARD_TABLE_COLUMNS,
    MEMBER_TABLE_COLUMNS,
    card_of_row,
    card_values,
    member_of_row,
    member_values,
)
from kiosk.store.session import Rows

_M = m.Member.__table__.c
_C = m.Card.__table__.c
_MEMBERS = select(*MEMBER_TABLE_COLUMNS)
_CARDS = select(*CARD_TABLE_COLUMNS)


class SqliteMembers(Rows):
    __slots__ = ()

    def get(self, member_id: uuid.UUID) -> Member | None:
        row = self.conn.execute(_MEMBERS.where(_M.id == member_id)).first()
        return None if row is None else member_of_row(row)

    def ids(self) -> list[uuid.UUID]:
        return list(self.conn.execute(select(_M.id).order_by(_M.enrolled_at)).scalars())

    def with_phone(self, phone: str) -> list[Member]:
        return [member_of_row(r) for r in self.conn.execute(_MEMBERS.where(_M.phone == phone))]

    def by_ids(self, ids: Iterable[uuid.UUID]) -> list[Member]:
        rows = self.conn.execute(_MEMBERS.where(_M.id.in_(set(ids))))
        return [member_of_row(r) for r in rows]

    def add(self, member: Member) -> None:
        self.conn.execute(insert(m.Member).values(**member_values(member)))

    def complete_profiles(self, members: Sequence[Member]) -> None:
        if members:
            self.conn.execute(
                update(m.Member).where(m.Member.id == bindparam("member"),
                                       m.Member.profile_pending.is_(True))
                .values({**{f: bindparam(f"p_{f}") for f in PROFILE}, "profile_pending": False}),
                [{"member": x.id, **{f"p_{f}": getattr(x, f) for f in PROFILE}}
                 for x in members])

    def enrolled_since(self, since: datetime, channel: str) -> int:
        return int(self.conn.execute(select(func.count()).select_from(m.Member).where(
            _M.enrolled_at >= since, _M.channel == channel)).scalar_one())

    # Few members and cards are ever waiting for the ledger, and a partial index holds just
    # those, so reading them all and keeping the batch's is one cheap query.
    def to_upload(self, ids: Iterable[uuid.UUID]) -> list[Member]:
        wanted = set(ids)
        rows = self.conn.execute(_MEMBERS.where(text("members.on_ledger = 0")))
        return [x for x in map(member_of_row, rows) if x.id in wanted]


class SqliteCards(Rows):
    __slots__ = ()

    def get(self, card_no: str) -> CardRecord | None:
        row = self.conn.execute(_CARDS.where(_C.card_no == card_no)).first()
        return None if row is None else card_of_row(row)

    def add(self, card: CardRecord) -> None:
        self.conn.execute(insert(m.Card).values(**card_values(card)))

    def of_member(self, member_id: uuid.UUID) -> list[CardRecord]:
        rows = self.conn.execute(_CARDS.where(_C.member_id == member_id)
                                 .order_by(_C.issued_at))
        return [card_of_row(r) for r in rows]

    def of_members(self, ids: Iterable[uuid.UUID]) -> list[CardRecord]:
        rows = self.conn.execute(_CARDS.where(_C.member_id.in_(set(ids))))
        return [card_of_row(r) for r in rows]

    def to_upload(self, member_ids: Iterable[uuid.UUID]) -> list[CardRecord]:
        wanted = set(member_ids)
        rows = self.conn.execute(_CARDS.where(text("cards.on_ledger = 0")))
        return [c for c in map(card_of_row, rows) if c.member_id in wanted]

"""Small named values and the installed program documents (``tx.settings``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select
from sqlalchemy.dialects.sqlite import insert as upsert

from kiosk.records import PROGRAM_VERSION
from kiosk.store import models as m
from kiosk.store.session import Rows


def get_setting(conn: Connection, key: str) -> str | None:
    return conn.execute(select(m.Setting.value).where(m.Setting.key == key)).scalar()


def set_setting(conn: Connection, key: str, value: str) -> None:
    stmt = upsert(m.Setting).values(key=key, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


class SqliteSettings(Rows):
    __slots__ = ()

    def get(self, key: str) -> str | None:
        return get_setting(self.conn, key)

    def set(self, key: str, value: str) -> None:
        set_setting(self.conn, key, value)

    def install_program(self, version: str, document: str, at: datetime) -> None:
        self.keep_program(version, document, at)
        self.set(PROGRAM_VERSION, version)

    def keep_program(self, version: str, document: str, at: datetime) -> None:
        exists = self.conn.execute(select(m.ProgramVersion.version)
                                   .where(m.ProgramVersion.version == version)).first()
        if exists is None:
            self.conn.execute(insert(m.ProgramVersion).values(
                version=version, document=document, installed_at=at))

    def program_document(self, version: str | None = None) -> str | None:
        version = version or self.get(PROGRAM_VERSION)
        return self.conn.execute(select(m.ProgramVersion.document)
                                 .where(m.ProgramVersion.version == version)).scalar()

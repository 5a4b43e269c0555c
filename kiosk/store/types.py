"""Column types that keep SQLite compact and exact: UUIDs as 16 bytes, UTC instants as
integer microseconds (sortable, no time-zone text to misparse)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Dialect, LargeBinary
from sqlalchemy.types import TypeDecorator

from kiosk.records import StorageError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class DamagedValue(StorageError):
    """A value in a row of the kiosk's database that doesn't decode (a flipped sector, a
    restore from a damaged backup, a hand edit): a storage error, reads included, raised
    where the row is decoded, so every caller (a command, a service, the counter's
    screens) gets the one error the disk failing gives, not a ValueError or TypeError."""

    def __init__(self, where: str, problem: object) -> None:
        super().__init__(
            f"the kiosk's database is damaged ({where}: {problem}): nothing was recorded; "
            "keep the data folder (entries not yet synced are only in it) and restore it "
            "from a backup, or set the kiosk up again in a new one")
        self.where, self.problem = where, problem

    def at(self, where: str) -> DamagedValue:
        """The same damage, naming the row it was found in."""
        return DamagedValue(f"{where}, {self.where}", self.problem)


def row_key(value: Any) -> str:
    """A stored key as a message names it (a uuid's 16 bytes as the uuid)."""
    if isinstance(value, bytes) and len(value) == 16:
        return str(uuid.UUID(bytes=value))
    return repr(value)


class UUIDBlob(TypeDecorator[uuid.UUID]):
    impl = LargeBinary(16)
    cache_ok = True

    def process_bind_param(self, value: uuid.UUID | None, dialect: Dialect) -> bytes | None:
        return None if value is None else value.bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None:
            return None
        try:
            return uuid.UUID(bytes=bytes(value))
        except (TypeError, ValueError):
            raise DamagedValue("a stored id", f"{value!r} is not 16 bytes") from None


def to_micros(value: datetime) -> int:
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; use an aware UTC time")
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> datetime:
    """A stored time back (every row's times are read through here): one that is not a
    number of microseconds in datetime's range is a :class:`DamagedValue`."""
    try:
        return _EPOCH + timedelta(microseconds=value)
    except (TypeError, OverflowError):
        raise DamagedValue("a stored time", f"{value!r} is not a time") from None


class UtcMicros(TypeDecorator[datetime]):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        return None if value is None else to_micros(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else from_micros(value)

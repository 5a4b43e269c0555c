"""The columns of each record the store keeps, named once.

An entry's fourteen fields used to be spelled out in the INSERT and SELECT texts, in a
row-to-Entry and an Entry-to-parameters function, and again in the outbox's batch query;
a field added to one and not the others failed only at run time. Here each record's
columns are one tuple (its dataclass's fields, in order) and the SQL column lists,
placeholders and mappers are derived from it. The mappers are compiled once, at import,
into the same straight-line code that was written out by hand before, since every sale
and every outbox batch goes through them (BENCHMARKS.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from sqlalchemy import Column

from kiosk.ledger import Entry, EntryKind, LedgerError
from kiosk.members import Member
from kiosk.records import CardRecord
from kiosk.store import models as m
from kiosk.store.types import DamagedValue, from_micros, row_key, to_micros

ENTRY_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Entry))
MEMBER_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Member))
CARD_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(CardRecord))


def table_columns(table: Any, names: tuple[str, ...]) -> tuple[Column[Any], ...]:
    """The table's columns of these names, in this order (a name it lacks fails here, at
    import, not in the first sale)."""
    return tuple(table.c[name] for name in names)


ENTRY_TABLE_COLUMNS = table_columns(m.LedgerEntry.__table__, ENTRY_COLUMNS)
MEMBER_TABLE_COLUMNS = table_columns(m.Member.__table__, MEMBER_COLUMNS)
CARD_TABLE_COLUMNS = table_columns(m.Card.__table__, CARD_COLUMNS)

ENTRY_LIST = ", ".join(ENTRY_COLUMNS)
ENTRY_PLACEHOLDERS = ", ".join("?" * len(ENTRY_COLUMNS))
INSERT_ENTRY = f"INSERT INTO entries ({ENTRY_LIST}) VALUES ({ENTRY_PLACEHOLDERS})"
INSERT_PULLED = (f"INSERT INTO entries ({ENTRY_LIST}, server_seq) "
                 f"VALUES ({ENTRY_PLACEHOLDERS}, ?) ON CONFLICT (id) DO NOTHING")
OUTBOX_BATCH = (
    "SELECT o.device_seq, " + ", ".join(f"e.{c}" for c in ENTRY_COLUMNS)
    + " FROM outbox o JOIN entries e ON e.id = o.entry_id WHERE o.device_seq > ? "
    "ORDER BY o.device_seq LIMIT ?")


def _compile(name: str, arg: str, body: str, namespace: Mapping[str, Any],
             table: str | None = None) -> Any:
    """``table``: a row's mapper, where a value that doesn't decode (a time, an id, a
    kind) is a :class:`DamagedValue` naming the table and the row (its first column). A
    row that decodes into an entry the ledger's rules refuse stays a LedgerError, which
    ``kiosk verify`` lists."""
    scope: dict[str, Any] = {}
    code = f"def {name}({arg}):\n    return {body}\n"
    if table is not None:  # a try costs nothing until it catches
        where = f"'{table} row ' + row_key({arg}[0])"
        code = (f"def {name}({arg}):\n    try:\n        return {body}\n"
                f"    except DamagedValue as exc:\n        raise exc.at({where}) from None\n"
                f"    except LedgerError:\n        raise\n"
                f"    except (ValueError, TypeError) as exc:\n"
                f"        raise DamagedValue({where}, exc) from None\n")
    exec(code, dict(namespace), scope)
    return scope[name]


_NAMES = {"UUID": uuid.UUID, "EntryKind": EntryKind, "Entry": Entry, "Member": Member,
          "CardRecord": CardRecord, "to_micros": to_micros, "from_micros": from_micros,
          "DamagedValue": DamagedValue, "row_key": row_key, "LedgerError": LedgerError}


def _call(cls: str, columns: tuple[str, ...], ways: Mapping[str, str]) -> str:
    """``cls(r[0], r[1], ...)``, each value read the way ``ways`` says for its column."""
    return f"{cls}(" + ", ".join(ways.get(c, "{v}").format(v=f"r[{i}]")
                                 for i, c in enumerate(columns)) + ")"


# Plain SQL on the driver connection: uuids as 16 bytes, times as integer microseconds.
_TO_STORED = {"id": "{v}.bytes", "member_id": "{v}.bytes", "kind": "{v}.value",
              "occurred_at": "to_micros({v})", "reverses": "{v}.bytes if {v} else None"}
_FROM_STORED = {"id": "UUID(bytes={v})", "member_id": "UUID(bytes={v})",
                "kind": "EntryKind({v})", "occurred_at": "from_micros({v})",
                "reverses": "UUID(bytes={v}) if {v} else None"}

entry_params: Callable[[Entry], tuple[Any, ...]] = _compile(
    "entry_params", "e",
    "(" + ", ".join(_TO_STORED.get(c, "{v}").format(v=f"e.{c}") for c in ENTRY_COLUMNS)
    + ",)", _NAMES)
"""An entry as the parameters of :data:`INSERT_ENTRY`."""

entry_of_params: Callable[[Any], Entry] = _compile(
    "entry_of_params", "r", _call("Entry", ENTRY_COLUMNS, _FROM_STORED), _NAMES, "entries")
"""The inverse of :func:`entry_params`: an entry from its stored columns."""

# Through SQLAlchemy, the column types (kiosk/store/types.py) decode uuids and times.
entry_of_row: Callable[[Any], Entry] = _compile(
    "entry_of_row", "r", _call("Entry", ENTRY_COLUMNS, {"kind": "EntryKind({v})"}), _NAMES,
    "entries")
"""An entry from a row selected as :data:`ENTRY_TABLE_COLUMNS` (more may follow)."""

member_of_row: Callable[[Any], Member] = _compile(
    "member_of_row", "r", _call("Member", MEMBER_COLUMNS,
                                {"consent": "bool({v})", "profile_pending": "bool({v})"}),
    _NAMES)
"""A member from a row selected as :data:`MEMBER_TABLE_COLUMNS`."""

card_of_row: Callable[[Any], CardRecord] = _compile(
    "card_of_row", "r", _call("CardRecord", CARD_COLUMNS, {}), _NAMES)
"""A card from a row selected as :data:`CARD_TABLE_COLUMNS`."""


def member_values(member: Member) -> dict[str, Any]:
    return {c: getattr(member, c) for c in MEMBER_COLUMNS}


def card_values(card: CardRecord) -> dict[str, Any]:
    return {c: getattr(card, c) for c in CARD_COLUMNS}

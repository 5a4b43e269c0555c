"""Entry and member ids: UUIDv7, so ids made offline on many devices sort by creation time
and index well, without asking anyone for a number."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import uuid6

IdFactory = Callable[[], uuid.UUID]


def new_id() -> uuid.UUID:
    """A fresh UUIDv7 (time-ordered, monotonic within the process)."""
    return uuid.UUID(bytes=uuid6.uuid7().bytes)

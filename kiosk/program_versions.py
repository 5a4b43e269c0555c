"""Which program version is in force at a moment (DESIGN, the program engine, 8: versions
coexist), told the same way by the ledger, which answers for every version it published,
and by a kiosk, which switches to an announced version at its time even offline.

Each version has an ``effective_from``: the document's, or (none written) the moment the
ledger published it. The version in force at ``t`` is the one with the latest
``effective_from`` at or before ``t``; of two taking effect at the same moment, the one
published later. The earliest version is in force before its own time too (there is no
other to use). The ledger refuses to publish a version taking effect before it is
published (``sync.server.programs``), so what was in force at a moment never changes.

Pure (the standard library, and pydantic for the document's field).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BeforeValidator

from kiosk.limits import EARLIEST, LATEST

T = TypeVar("T")
EXAMPLE = "2027-01-01T00:00:00+08:00"


def _a_moment(value: object) -> object:
    """A time with its UTC offset (TOML's offset date-time, or ISO 8601 text as the
    canonical JSON has it): a date alone or a time without an offset would mean a
    different instant at each store, and a number is nobody's way to write a date."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a time: write it with its UTC offset, "
                             f"e.g. {EXAMPLE}") from None
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError(f"{value.isoformat()} has no UTC offset: write it as "
                             f"{EXAMPLE}")
        return value
    if isinstance(value, date):
        raise ValueError(f"a date alone is not a moment: write the time and its UTC "
                         f"offset, e.g. {EXAMPLE}")
    raise ValueError(f"must be a time with its UTC offset, e.g. {EXAMPLE}")


def _in_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if not EARLIEST <= value < LATEST:
        raise ValueError(f"{value.isoformat()} is outside 1970..2999")
    return value.astimezone(UTC)


EffectiveFrom = Annotated[datetime | None, BeforeValidator(_a_moment),
                          AfterValidator(_in_utc)]
"""The program document's ``effective_from``: an aware time, kept in UTC."""


@dataclass(frozen=True, slots=True)
class Timetable(Generic[T]):
    """Versions in the order they take effect: ``items[i]`` from ``starts[i]`` on.

    ``T`` is a version's name on the ledger and a parsed program at a kiosk, so picking
    one for a sale is a bisection, never a parse."""

    starts: tuple[datetime, ...]
    items: tuple[T, ...]

    @classmethod
    def of(cls, versions: Iterable[tuple[datetime, T]]) -> Timetable[T]:
        """From ``(effective_from, version)`` in the order they were published (a stable
        sort keeps that order among versions taking effect at the same moment)."""
        ordered = sorted(versions, key=lambda v: v[0])
        if not ordered:
            raise ValueError("a timetable needs a version")
        return cls(tuple(s for s, _ in ordered), tuple(v for _, v in ordered))

    def at(self, moment: datetime | Callable[[], datetime]) -> T:
        """The version in force at ``moment`` (a clock is read only if there is a choice:
        a kiosk with one version pays nothing per sale)."""
        if len(self.items) == 1:
            return self.items[0]
        when = moment() if callable(moment) else moment
        return self.items[max(bisect_right(self.starts, when) - 1, 0)]

    def after(self, moment: datetime) -> list[tuple[datetime, T]]:
        """The versions announced at ``moment``: taking effect later, in order."""
        i = bisect_right(self.starts, moment)
        return list(zip(self.starts[i:], self.items[i:], strict=True))


def version_problem(timetable: Timetable[str], version: str, at: datetime,
                    grace: Callable[[str], timedelta], early: timedelta) -> str | None:
    """Why an order dated ``at`` may not name ``version``, or None: it must have been in
    force at some moment of ``[at - grace, at + early]``, ``grace`` being what the
    version that replaced it allows (``offline.version_grace_hours``: a kiosk offline when
    that one was announced keeps ringing up under the one it has) and ``early`` how far
    two clocks may disagree (a version published without a time takes effect at the
    ledger's clock). None for a version not in the timetable (never published: the caller
    says so)."""
    if version not in timetable.items:
        return None
    i = timetable.items.index(version)
    start = timetable.starts[i]
    if i and at + early < start:
        return (f"program {version} takes effect at {start.isoformat()}, after the order "
                f"({at.isoformat()})")
    if i + 1 == len(timetable.items):
        return None
    successor, replaced_at = timetable.items[i + 1], timetable.starts[i + 1]
    allowed = grace(successor)
    if at - allowed > replaced_at:
        return (f"program {version} was replaced by {successor} at "
                f"{replaced_at.isoformat()}, more than {_hours(allowed)} before the order "
                f"({at.isoformat()})")
    return None


def _hours(span: timedelta) -> str:
    hours = span / timedelta(hours=1)
    return f"{hours:g} hour{'' if hours == 1 else 's'}"

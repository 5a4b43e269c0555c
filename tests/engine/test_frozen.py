"""The quicker ``__init__`` of the engine's value objects builds the very objects the
generated one built: same signature and defaults, ``__post_init__`` still runs, and they
stay frozen."""

from __future__ import annotations

import dataclasses
import inspect
import uuid
from datetime import UTC, datetime

import pytest

from kiosk.engine.orders import Award, Order, OrderLine
from kiosk.frozen import quick_init
from kiosk.ledger import Entry, EntryKind, LedgerError


@dataclasses.dataclass(frozen=True, slots=True)
class _Plain:
    a: int
    b: str = "b"
    c: tuple[int, ...] = ()


@quick_init
@dataclasses.dataclass(frozen=True, slots=True)
class _Quick:
    a: int
    b: str = "b"
    c: tuple[int, ...] = ()


@dataclasses.dataclass(frozen=True)
class _NoSlots:
    a: int


@dataclasses.dataclass(slots=True)
class _NotFrozen:
    a: int


def test_the_same_signature_and_defaults_as_the_generated_init() -> None:
    assert str(inspect.signature(_Quick)) == str(inspect.signature(_Plain))
    assert repr(_Quick(1)) == "_Quick(a=1, b='b', c=())"
    assert _Quick(1, c=(2,)) == _Quick(a=1, b="b", c=(2,))
    assert hash(_Quick(1)) == hash(_Quick(1))
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'a'"):
        _Quick()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'd'"):
        _Quick(1, d=2)  # type: ignore[call-arg]


def test_objects_stay_frozen() -> None:
    award = Award(EntryKind.EARN, 5, "earn", line=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        award.points = 6  # type: ignore[misc]
    assert dataclasses.replace(award, points=6) == Award(EntryKind.EARN, 6, "earn", 0)


def test_an_entry_is_still_checked_when_built() -> None:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    with pytest.raises(LedgerError, match="a bonus entry cannot take points away"):
        Entry(uuid.uuid4(), uuid.uuid4(), EntryKind.BONUS, -5, "till-1", at, "v1")
    with pytest.raises(LedgerError, match="aware UTC"):
        Entry(uuid.uuid4(), uuid.uuid4(), EntryKind.EARN, 5, "till-1", at.replace(tzinfo=None),
              "v1")


def test_defaults_are_the_fields_defaults() -> None:
    order = Order("till-1", "A1", datetime(2026, 12, 1, tzinfo=UTC),
                  (OrderLine("TEA", 1, 65),))
    assert order.member_id is None and order.loyalty.discount_minor == 0
    assert [f.name for f in dataclasses.fields(Entry)] == list(
        inspect.signature(Entry).parameters)


@pytest.mark.parametrize("cls", [_NoSlots, _NotFrozen, int])
def test_only_frozen_slots_dataclasses(cls: type) -> None:
    with pytest.raises(TypeError, match="frozen slots dataclasses"):
        quick_init(cls)


def test_only_plain_fields() -> None:
    made = dataclasses.make_dataclass("Listy", [("a", list[int], dataclasses.field(
        default_factory=list))], frozen=True, slots=True)
    with pytest.raises(TypeError, match="plain fields only"):
        quick_init(made)

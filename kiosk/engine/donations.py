"""Causes a member can give points to (issue 15): ``[[causes]]`` in the program, each named
in three languages. A donation is an entry of kind ``donate`` whose note names the cause
(``cause:<id>``); the ledger totals them per cause."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from kiosk.engine.doc import Doc, Identifier, Names, check_unique_ids

CAUSE_NOTE = "cause:"
MAX_DONATION = 1_000_000  # points one donation may give: more is a typing slip


class Cause(Doc):
    id: Identifier
    names: Names
    min_points: int = Field(default=1, ge=1, le=MAX_DONATION, strict=True)
    """The fewest points one donation gives."""


def cause_note(cause_id: str) -> str:
    return f"{CAUSE_NOTE}{cause_id}"


def cause_of(note: str | None) -> str | None:
    """The cause a donation's note names, or None."""
    if note is None or not note.startswith(CAUSE_NOTE):
        return None
    return note[len(CAUSE_NOTE):]


def check_causes(causes: Sequence[Cause]) -> None:
    check_unique_ids("causes", [c.id for c in causes])


def donation_problem(causes: Sequence[Cause], note: str | None, points: int) -> str | None:
    """Why a ``donate`` entry is not a donation the program takes, or None."""
    cause_id = cause_of(note)
    cause = next((c for c in causes if c.id == cause_id), None)
    if cause is None:
        return f"no cause {cause_id!r} in this program"
    if not cause.min_points <= -points <= MAX_DONATION:
        return (f"a donation to {cause.id!r} is {cause.min_points} to {MAX_DONATION} points, "
                f"not {-points}")
    return None

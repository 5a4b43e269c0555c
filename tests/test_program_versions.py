"""Which program version is in force when (kiosk/program_versions.py), and the document's
``effective_from``: a time with its UTC offset, or a refusal naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.program import ProgramError, load_program, parse_program, program_json
from kiosk.program_versions import Timetable, version_problem
from tests.helpers.program import PLAIN_PROGRAM

T0 = datetime(2026, 12, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


def with_line(line: str) -> str:
    return PLAIN_PROGRAM.read_text(encoding="utf-8").replace(
        'version = "2026.2"', f'version = "2026.2"\n{line}', 1)


@pytest.mark.parametrize(("value", "said"), [
    ("2027-01-01", "a date alone is not a moment"),
    ("2027-01-01T00:00:00", "2027-01-01T00:00:00 has no UTC offset"),
    ('"next monday"', "'next monday' is not a time"),
    ('"2027-01-01T00:00:00"', "has no UTC offset"),
    ("1735689600", "must be a time with its UTC offset"),
    ("1900-01-01T00:00:00Z", "is outside 1970..2999"),
])
def test_an_effective_from_that_is_not_a_moment_is_refused_naming_the_field(
        tmp_path: Path, value: str, said: str) -> None:
    path = tmp_path / "program.toml"
    path.write_text(with_line(f"effective_from = {value}"), encoding="utf-8")
    with pytest.raises(ProgramError, match=r"^program: effective_from: ") as refused:
        load_program(path)
    assert said in str(refused.value)


def test_an_effective_from_is_kept_in_utc_and_survives_the_canonical_json() -> None:
    program = parse_program(with_line("effective_from = 2027-01-01T00:00:00+08:00"))
    assert program.effective_from == datetime(2026, 12, 31, 16, tzinfo=UTC)
    again = parse_program(program_json(program), format="json")
    assert again.effective_from == program.effective_from
    assert "effective_from" not in program_json(parse_program(with_line("")))


def test_the_version_in_force_is_the_latest_to_have_taken_effect() -> None:
    table = Timetable.of([(T0, "a"), (T0 + 2 * HOUR, "c"), (T0 + HOUR, "b")])
    assert [table.at(T0 - HOUR), table.at(T0), table.at(T0 + HOUR - timedelta(microseconds=1)),
            table.at(T0 + HOUR), table.at(T0 + 5 * HOUR)] == ["a", "a", "a", "b", "c"]
    assert table.after(T0 + HOUR) == [(T0 + 2 * HOUR, "c")]
    # Two taking effect at one moment: the one published later (later in the list) wins.
    tie = Timetable.of([(T0, "a"), (T0 + HOUR, "b"), (T0 + HOUR, "b2")])
    assert tie.at(T0 + HOUR) == "b2"


def test_one_version_reads_no_clock() -> None:
    def clock() -> datetime:
        raise AssertionError("read")

    assert Timetable.of([(T0, "a")]).at(clock) == "a"


@pytest.mark.parametrize(("version", "at", "problem"), [
    ("a", T0 - HOUR, None),  # the first version: before its time too (there is no other)
    ("a", T0 + HOUR + 24 * HOUR, None),  # replaced by b 24 hours before: b allows 24
    ("a", T0 + HOUR + 25 * HOUR, "program a was replaced by b at"),
    ("b", T0 + HOUR - timedelta(minutes=4), None),  # within the clocks' 5 minutes
    ("b", T0, "program b takes effect at"),
    ("b", T0 + 3 * HOUR, None),
    ("never", T0, None),  # not published: the caller says so
])
def test_an_order_may_name_a_version_in_force_at_its_date_or_just_replaced(
        version: str, at: datetime, problem: str | None) -> None:
    table = Timetable.of([(T0, "a"), (T0 + HOUR, "b")])
    said = version_problem(table, version, at, lambda successor: 24 * HOUR,
                           early=timedelta(minutes=5))
    assert (said is None) == (problem is None)
    if problem is not None:
        assert said is not None and said.startswith(problem)

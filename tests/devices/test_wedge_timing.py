"""The wedge timing rule on plain numbers: scanner bursts, people, pauses, odd clocks."""

from __future__ import annotations

import pytest

from devices.wedge_timing import WedgeClassifier


def burst(gaps: list[float], enter_gap: float = 0.005) -> str | None:
    """Feed keys "0", "1", ... after the given gaps (s), the way the Qt filter does: a key
    that comes too late starts a new burst. Then Enter after ``enter_gap``."""
    c, now = WedgeClassifier(), 0.0
    for i, gap in enumerate(gaps):
        now += gap
        if not c.key(str(i % 10), now):
            c.take()  # the filter hands these to the field
            c.key(str(i % 10), now)
    return c.enter(now + enter_gap)


@pytest.mark.parametrize(("gaps", "enter_gap", "scan"), [
    ([0.005] * 10, 0.005, "0123456789"),  # a scanner
    ([0.001] * 4, 0.001, "0123"),  # the shortest code that counts
    ([0.001] * 3, 0.001, None),  # "ok" + Enter, typed fast: too short for a code
    ([0.005] * 5 + [0.2] + [0.005] * 2, 0.005, None),  # a pause, then too few keys
    ([0.1, 0.1, 0.2] + [0.004] * 6, 0.004, "2345678"),  # typing, then a scan: the scan alone
    ([0.12, 0.09, 0.15, 0.11, 0.1], 0.1, None),  # a person's pace
    ([0.005] * 10, 0.3, None),  # a burst, then Enter much later: a person pressed it
    ([0.005] * 5 + [-5.0] + [0.005] * 5, 0.005, "567890"),  # clock went back: afresh
])
def test_the_gaps_between_keys_decide(gaps, enter_gap, scan):
    assert burst(gaps, enter_gap) == scan


def test_thresholds_are_settings():
    slow_scanner = [0.05] * 8
    assert burst(slow_scanner, 0.05) is None
    c, now = WedgeClassifier(max_gap=0.08, min_length=8), 0.0
    for i in range(8):
        now += 0.05
        assert c.key(str(i), now)
    assert c.enter(now + 0.05) == "01234567"

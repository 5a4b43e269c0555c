"""The tier under a program's policy, as the counter and the ledger work it out (issue 14,
point 9): the history since ``tier_history_start`` gives the tier the whole history
gives, and the ledger's check (purchases only, refunds left out) never refuses a tier an
honest counter worked out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.program import parse_program
from kiosk.tiers import tier_history_start, tier_standing
from tests.helpers.program import PLAIN_PROGRAM

AT = datetime(2030, 3, 1, 4, tzinfo=UTC)
POLICIES = ['period = "calendar_year"\nretain = true', "retain = true\nwindow_days = 90",
            'period = "calendar_year"', "window_days = 30",
            'basis = "points"\nretain = true\nwindow_days = 60']
PROGRAMS = []
for policy in POLICIES:
    text = re.sub(r"(?m)^tier_window_days = .*$", "", PLAIN_PROGRAM.read_text(encoding="utf-8"))
    if "points" in policy:
        for tier, points in {"bronze": 0, "silver": 100, "gold": 300}.items():
            text = text.replace(f'id = "{tier}"\n', f'id = "{tier}"\nmin_points = {points}\n', 1)
    PROGRAMS.append(parse_program(text + f"\n[tier_policy]\n{policy}\n"))

purchases = st.lists(st.tuples(st.integers(0, 6 * 365 * 24), st.integers(1, 40_000)),
                     max_size=12)


@settings(max_examples=150, deadline=None)
@given(program=st.sampled_from(PROGRAMS), bought=purchases)
def test_the_history_since_the_bound_gives_the_tier_the_whole_history_gives(program,
                                                                            bought):
    events = [(AT - timedelta(hours=h), a) for h, a in bought]
    since = tier_history_start(program, AT)
    recent = [(t, a) for t, a in events if t >= since]
    assert tier_standing(program, recent, AT) == tier_standing(program, events, AT)


@settings(max_examples=150, deadline=None)
@given(program=st.sampled_from(PROGRAMS), bought=purchases,
       refunds=st.lists(st.tuples(st.integers(0, 2 * 365 * 24), st.integers(1, 40_000)),
                        max_size=4))
def test_the_ledgers_check_never_refuses_an_honest_counters_tier(program, bought, refunds):
    gross = [(AT - timedelta(hours=h), a) for h, a in bought]
    net = gross + [(AT - timedelta(hours=h), -a) for h, a in refunds]
    since = tier_history_start(program, AT)
    counter = tier_standing(program, [(t, a) for t, a in net if t >= since], AT).tier
    ledger = tier_standing(program, [(t, a) for t, a in gross if t >= since], AT).tier
    assert program.tiers.index(ledger) >= program.tiers.index(counter)

"""A refused donation says so in the donation's own words, not a reward's or an
adjustment's (the donate screen shows ``describe`` of the refusal)."""

from __future__ import annotations

import pytest

from kiosk.services.donations import UnknownCause
from kiosk.services.errors import InputProblem, InvalidInput, NotEnoughPoints
from ui.messages import describe


@pytest.mark.parametrize(("refusal", "said", "not_said"), [
    (NotEnoughPoints("too few"), "enough points available", "reward"),
    (InvalidInput("a donation to x is 10 to 1000000 points", InputProblem.DONATION_SIZE),
     "given to this cause", "adjustment"),
    (UnknownCause("no cause 'x'"), "no longer in the program", "no cause 'x'"),
])
def test_a_refused_donation_is_said_as_one(qapp, refusal, said, not_said) -> None:  # type: ignore[no-untyped-def]
    text = describe(refusal, quiet=True)
    assert said in text and not_said not in text


@pytest.mark.parametrize(("language", "said"), [
    ("en", "adjusted at this kiosk today as far as the program allows"),
    ("zh-TW", "點數調整已達方案允許的上限"),
    ("zh-CN", "积分调整已达方案允许的上限"),
])
def test_an_adjustment_past_the_days_bound_is_said_in_the_counters_language(
        qapp, language, said) -> None:  # type: ignore[no-untyped-def]
    """It showed the service's English sentence in every language."""
    from kiosk.services.manager import AdjustmentLimitReached
    from ui.i18n import Languages

    languages = Languages(qapp)
    languages.switch(language)
    try:
        text = describe(AdjustmentLimitReached("max_adjustment_points is 100000 a day"),
                        quiet=True)
    finally:
        languages.switch("en")
    assert said in text and "max_adjustment_points" not in text

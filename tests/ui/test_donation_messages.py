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

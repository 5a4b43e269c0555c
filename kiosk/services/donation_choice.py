"""How many points a member may give to a cause at the counter, decided before ``donate``
is asked: from the cause's minimum up to what the member can spend now (as the member
screen last read it), in large steps a finger can tap through. Pure arithmetic, run on the
UI thread at each tap; ``donate`` still checks everything again when it writes."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.engine.donations import MAX_DONATION, Cause
from kiosk.services.views import MemberView

STEP = 10
"""Points one tap on minus or plus moves by (a cause with a larger minimum steps by it)."""


@dataclass(frozen=True, slots=True)
class PointsRange:
    """Points a member may give, a cause or another member (kiosk.services.transfer_choice)."""

    low: int  # the cause's (or a transfer's) minimum
    high: int  # the most the member can give now (below ``low``: nothing can be given)
    step: int

    @property
    def possible(self) -> bool:
        return self.high >= self.low

    def clamp(self, points: int) -> int:
        return max(self.low, min(points, self.high))

    def up(self, points: int) -> int:
        """The next step above ``points`` (on the step's multiples), never past ``high``:
        10, 20, 30, then 47 for a member with 47 points."""
        return self.clamp((points // self.step + 1) * self.step)

    def down(self, points: int) -> int:
        """The step below ``points``, never under the minimum."""
        return self.clamp((points - 1) // self.step * self.step)

    def moved(self, points: int, direction: int) -> int:
        """A tap on plus (``direction`` > 0) or minus."""
        return self.up(points) if direction > 0 else self.down(points)


DonationRange = PointsRange
"""The name the donation screen knows it by."""


def available_points(view: MemberView) -> int:
    """What the member can spend now: the balance less points still pending."""
    available = view.balance if view.points is None else view.points.available
    return max(available, 0)


def donation_range(cause: Cause, available: int) -> DonationRange:
    return DonationRange(low=cause.min_points, high=min(available, MAX_DONATION),
                         step=max(STEP, cause.min_points))

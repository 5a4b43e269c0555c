"""How many points a member may give another at the counter (issue 15, a family pool),
decided before ``transfer`` is asked: from the program's ``[transfers]`` minimum up to its
maximum or what the giver can spend now, whichever is less, in the donation screen's large
steps. Pure arithmetic, run on the UI thread at each tap; ``transfer`` and the ledger still
check everything again when they write."""

from __future__ import annotations

from kiosk.engine.transfers import TransferPolicy
from kiosk.services.donation_choice import STEP, PointsRange, available_points

__all__ = ["PointsRange", "available_points", "transfer_range"]


def transfer_range(policy: TransferPolicy, available: int) -> PointsRange:
    """The points one transfer may move now; below ``policy.min_points`` available, none
    (``possible`` is false)."""
    return PointsRange(low=policy.min_points, high=min(available, policy.max_points),
                       step=max(STEP, policy.min_points))

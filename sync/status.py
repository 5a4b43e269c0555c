"""What the counter shows of its sync: a plain value the agent publishes and the screens
read, so they need nothing else of the sync machinery."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

CLOCK_WARNING = timedelta(minutes=2)


@dataclass(frozen=True)
class SyncStatus:
    """What the counter shows: online or not, what waits to go up, when it last worked."""

    online: bool | None = None  # None: not tried yet
    pending_uploads: int = 0
    last_success: datetime | None = None
    last_error: str | None = None
    uploaded: int = 0
    pulled: int = 0
    rejected: int = 0
    gaps: tuple[tuple[int, int], ...] = field(default_factory=tuple)
    held_back: int = 0  # entries the ledger refused or this kiosk held back, this week
    held_back_reasons: tuple[str, ...] = ()  # the latest few, for the sync detail
    clock_skew: timedelta | None = None  # the ledger's clock minus this device's
    # What of the ledger's state this kiosk couldn't read and left out at the last round (a
    # program in force from a newer ledger, a certificate): upgrade the kiosk.
    ledger_state_problems: tuple[str, ...] = ()

    @property
    def clock_off(self) -> bool:
        """Whether the device's clock is off by more than :data:`CLOCK_WARNING`: entries
        are dated by the ledger's time, but someone should set the clock right."""
        return self.clock_skew is not None and abs(self.clock_skew) > CLOCK_WARNING

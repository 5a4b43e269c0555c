"""Telling a keyboard-wedge scanner from a person by the time between keys; pure (no Qt),
so the rule is tested with plain numbers. ``devices.wedge`` applies it to Qt key events.

A scanner types its code at one key every 1-15 ms and ends it with Enter; a person
manages one every 100 ms or so, and even a fast typist's bursts are a few keys long.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_GAP = 0.035  # s between a scanner's keys (they send one every 1-15 ms)
MIN_LENGTH = 4  # a burst shorter than this ending in Enter is a person pressing keys


@dataclass
class WedgeClassifier:
    """State of one burst. ``key`` returns False when the burst can no longer be a scan
    (too slow): the caller replays what it held and starts again."""

    max_gap: float = MAX_GAP
    min_length: int = MIN_LENGTH
    held: list[str] = field(default_factory=list)
    last: float | None = None

    def _fast(self, now: float) -> bool:
        # A negative gap (a clock that wrapped) can't be judged: start afresh.
        return self.last is not None and 0 <= now - self.last <= self.max_gap

    def key(self, text: str, now: float) -> bool:
        if self.last is not None and not self._fast(now):
            return False
        self.held.append(text)
        self.last = now
        return True

    def enter(self, now: float) -> str | None:
        """The scan, if the held burst was one; else None (the caller replays)."""
        if not self._fast(now) or len(self.held) < self.min_length:
            return None
        return "".join(self.held)

    def take(self) -> list[str]:
        held, self.held, self.last = self.held, [], None
        return held

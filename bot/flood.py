"""A per-person limit on what one account may send, so it cannot flood coordinators or the database.

Each person may send ``limit`` messages or button presses in any window of ``window``. The first
one over the limit gets a polite "slow down" (:attr:`Verdict.WARN`); the rest are ignored
(:attr:`Verdict.DROP`) until the window has room again. The counts live in memory: a restart
forgets them, which only ever lets someone through sooner.
"""

from __future__ import annotations

import enum
from collections import deque
from datetime import datetime, timedelta

from bot.clock import Clock

# How many people's counters to keep before forgetting those who went quiet.
_TIDY_ABOVE = 10_000


class Verdict(enum.Enum):
    OK = "ok"
    WARN = "warn"  # over the limit: tell them once
    DROP = "drop"  # still over the limit: ignore silently


class FloodGuard:
    """Counts each person's messages in a sliding window."""

    def __init__(self, limit: int, window: timedelta, clock: Clock) -> None:
        if limit < 1 or window <= timedelta(0):
            raise ValueError("a flood limit needs a positive count and window")
        self._limit = limit
        self._window = window
        self._clock = clock
        self._sent: dict[int, deque[datetime]] = {}
        self._warned: set[int] = set()

    def check(self, person_id: int) -> Verdict:
        """Count one message from ``person_id`` and say what to do with it."""
        now = self._clock.now()
        if len(self._sent) > _TIDY_ABOVE:
            self._tidy(now)
        times = self._sent.setdefault(person_id, deque())
        while times and now - times[0] >= self._window:
            times.popleft()
        if len(times) < self._limit:
            times.append(now)
            self._warned.discard(person_id)
            return Verdict.OK
        if person_id in self._warned:
            return Verdict.DROP
        self._warned.add(person_id)
        return Verdict.WARN

    def _tidy(self, now: datetime) -> None:
        quiet = [
            pid for pid, times in self._sent.items() if not times or now - times[-1] >= self._window
        ]
        for person_id in quiet:
            del self._sent[person_id]
            self._warned.discard(person_id)

"""Send-rate accounting, Telegram-style flood limits and injected failures."""

from __future__ import annotations

import random
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from .state import ApiError

__all__ = [
    "Failure",
    "RandomFaults",
    "RateLimiter",
    "ServerStats",
    "is_send_method",
    "max_in_window",
]

_EXTRA_SEND_METHODS = frozenset(
    {"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"}
)


def is_send_method(method: str) -> bool:
    """Methods that post a message and therefore count against Telegram's send limits."""
    if method.startswith("send"):
        return method != "sendChatAction"
    return method in _EXTRA_SEND_METHODS


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """Largest number of ``times`` inside any sliding ``window``-second interval."""
    ordered = sorted(times)
    best = start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


@dataclass
class ServerStats:
    """Counters for assertions and benchmarks (times are event-loop monotonic seconds)."""

    requests: int = 0
    sends: int = 0
    rate_limited: int = 0
    hung_deliveries: int = 0  # calls carried out whose answer was held back (``deliver=True``)
    status_counts: Counter[int] = field(default_factory=Counter)
    send_times: list[float] = field(default_factory=list)
    rejected_send_times: list[float] = field(default_factory=list)
    chat_sends: list[tuple[str, float]] = field(default_factory=list)  # (chat id, time) accepted
    # Faults drawn by ``random_faults``: (kind, chat id, time); kind is "error", "lost" (timeout,
    # not carried out), "delivered" (timeout, carried out) or "burst" (a 429 in a burst).
    random_faults: list[tuple[str, str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Failure:
    """One injected error answer, or (``hang`` > 0) a response held back that long."""

    status: int
    description: str
    parameters: dict[str, Any] | None
    hang: float = 0.0
    deliver: bool = False  # with ``hang``: carry the call out, then hold back its answer


class RateLimiter:
    """Sliding one-second windows, globally and per chat; ``None`` limits are off."""

    def __init__(self) -> None:
        self.per_second: float | None = None
        self.per_chat_per_second: float | None = None
        self.retry_after = 1
        self._recent: deque[float] = deque()
        self._by_chat: dict[str, deque[float]] = {}

    def configure(
        self, per_second: float | None, per_chat_per_second: float | None, retry_after: int
    ) -> None:
        """Set the limits (``None`` disables one) and the advertised ``retry_after``."""
        self.per_second = per_second
        self.per_chat_per_second = per_chat_per_second
        self.retry_after = max(1, int(retry_after))

    def admit(self, chat_key: str, now: float, stats: ServerStats) -> None:
        """Count one send at ``now`` or raise the 429 Telegram would answer."""
        per_chat = self._by_chat.setdefault(chat_key, deque())
        for window in (self._recent, per_chat):
            while window and now - window[0] >= 1.0:
                window.popleft()
        over_global = self.per_second is not None and len(self._recent) >= self.per_second
        over_chat = (
            self.per_chat_per_second is not None and len(per_chat) >= self.per_chat_per_second
        )
        if over_global or over_chat:
            stats.rate_limited += 1
            stats.rejected_send_times.append(now)
            raise ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        self._recent.append(now)
        per_chat.append(now)
        stats.sends += 1
        stats.send_times.append(now)
        stats.chat_sends.append((chat_key, now))


_SERVER_ERRORS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class RandomFaults:
    """Seeded random failures of send methods, for fault benchmarks and tests.

    Each send draws once: ``error_rate`` of them get a 5xx at once; ``timeout_rate`` of them
    have their answer held back ``hang`` seconds (half carried out first, half not: see
    ``FakeBotAPI.fail_next``). Every ``burst_every`` seconds from the first send, for
    ``burst_length`` seconds, every send gets 429 with ``retry_after`` (a flood wait that does
    not depend on the bot's own rate).
    """

    def __init__(
        self,
        *,
        error_rate: float = 0.0,
        timeout_rate: float = 0.0,
        hang: float = 0.0,
        burst_every: float = 0.0,
        burst_length: float = 0.0,
        retry_after: int = 1,
        seed: int | None = None,
    ) -> None:
        if not 0 <= error_rate + timeout_rate <= 1:
            raise ValueError("error_rate + timeout_rate must be between 0 and 1")
        if timeout_rate > 0 and hang <= 0:
            raise ValueError("timeouts need hang > 0 (longer than the client's read timeout)")
        self.error_rate = error_rate
        self.timeout_rate = timeout_rate
        self.hang = hang
        self.burst_every = burst_every
        self.burst_length = burst_length
        self.retry_after = max(1, int(retry_after))
        self._random = random.Random(seed)
        self._started: float | None = None

    def in_burst(self, now: float) -> bool:
        """Whether ``now`` falls in a 429 burst."""
        if self._started is None:
            self._started = now
        if self.burst_every <= 0 or self.burst_length <= 0:
            return False
        return (now - self._started) % self.burst_every < self.burst_length

    def draw(self, chat_key: str, now: float, stats: ServerStats) -> Failure | None:
        """The failure for one send to ``chat_key`` at ``now``, if any; logged in ``stats``."""
        if self.in_burst(now):
            stats.random_faults.append(("burst", chat_key, now))
            description = f"Too Many Requests: retry after {self.retry_after}"
            return Failure(429, description, {"retry_after": self.retry_after})
        dice = self._random.random()
        if dice < self.error_rate:
            status = self._random.choice(sorted(_SERVER_ERRORS))
            stats.random_faults.append(("error", chat_key, now))
            return Failure(status, _SERVER_ERRORS[status], None)
        if dice < self.error_rate + self.timeout_rate:
            deliver = self._random.random() < 0.5
            stats.random_faults.append(("delivered" if deliver else "lost", chat_key, now))
            return Failure(504, "Gateway Timeout", None, self.hang, deliver)
        return None

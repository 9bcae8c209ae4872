"""The fake Bot API's random faults: seeded 5xx, timeouts and 429 bursts on send methods."""

from __future__ import annotations

from collections import Counter

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut

from fakebotapi import FakeBotAPI
from fakebotapi.limits import RandomFaults, ServerStats
from tests import fake_server

# The fake server and a plain PTB Bot on it (tests/fake_server.py).
server, bot = fake_server.server, fake_server.bot

ALICE = 1001


def draws(seed: int, n: int = 4000) -> list[str]:
    faults = RandomFaults(error_rate=0.10, timeout_rate=0.05, hang=1.0, seed=seed)
    stats = ServerStats()
    kinds = []
    for i in range(n):
        failure = faults.draw(str(i), float(i), stats)
        kinds.append("ok" if failure is None else stats.random_faults[-1][0])
    return kinds


def test_random_faults_are_repeatable_and_near_their_rates() -> None:
    assert draws(seed=7) == draws(seed=7)
    assert draws(seed=7) != draws(seed=8)
    counts = Counter(draws(seed=7))
    assert 0.08 < counts["error"] / 4000 < 0.12
    assert 0.035 < (counts["lost"] + counts["delivered"]) / 4000 < 0.065
    assert counts["lost"] > 50 and counts["delivered"] > 50  # both kinds of timeout


def test_bursts_hit_every_send_in_their_window() -> None:
    faults = RandomFaults(burst_every=3.0, burst_length=0.5, seed=1)
    stats = ServerStats()
    hit = [t for t in (10.0, 10.2, 10.6, 12.9, 13.1, 13.4, 13.6) if faults.draw("1", t, stats)]
    # The first send starts the clock: bursts at [10, 10.5), [13, 13.5), ...
    assert hit == [10.0, 10.2, 13.1, 13.4]
    assert all(failure[0] == "burst" for failure in stats.random_faults)


async def test_off_by_default_and_when_all_zero(server: FakeBotAPI, bot: Bot) -> None:
    server.user(ALICE, "Aigerim")
    server.random_faults(error_rate=0.0, timeout_rate=0.0, seed=1)
    for i in range(20):
        await bot.send_message(ALICE, f"hello {i}")
    assert server.stats.random_faults == []
    assert server.stats.sends == 20


async def test_random_faults_on_sends_only(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim")
    server.random_faults(error_rate=0.3, timeout_rate=0.3, hang=0.3, seed=3)
    outcomes: Counter[str] = Counter()
    for i in range(40):
        await bot.get_me()  # not a send: never fails
        try:
            await bot.send_message(ALICE, f"alert {i}", read_timeout=0.1)
            outcomes["ok"] += 1
        except TimedOut:
            outcomes["timeout"] += 1
        except NetworkError:  # PTB's error for a 5xx answer
            outcomes["5xx"] += 1
    kinds = Counter(kind for kind, _, _ in server.stats.random_faults)
    assert outcomes["5xx"] == kinds["error"] > 0
    assert outcomes["timeout"] == kinds["lost"] + kinds["delivered"]
    assert kinds["lost"] > 0 and kinds["delivered"] > 0
    # Carried out: the answered ones and the delivered-then-lost ones, nothing else.
    assert len(alice.messages) == outcomes["ok"] + kinds["delivered"]
    assert server.stats.hung_deliveries == kinds["delivered"]


async def test_a_burst_answers_429_with_retry_after(server: FakeBotAPI, bot: Bot) -> None:
    server.user(ALICE, "Aigerim")
    server.random_faults(burst_every=60, burst_length=30, seed=1, retry_after=2)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ALICE, "in the burst")
    assert caught.value.retry_after.total_seconds() == 2
    assert server.stats.status_counts[429] == 1

"""Sharing Telegram's limit: the free-rate window, and messages outside the outbox taking turns."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.broadcaster import Broadcaster, SharedRateLimiter, _Window, make_sender_bot
from bot.clock import SystemClock
from bot.settings import Settings
from fakebotapi import FakeBotAPI
from storage.database import Database
from storage.outbox import Alert, Delivery, DeliveryState, OutboxRepository
from storage.users import UserRepository


@pytest.fixture
async def broadcaster(bot_settings: Settings) -> AsyncIterator[Broadcaster]:
    db = await Database.open(bot_settings.database_path)
    await db.migrate()
    sender = Broadcaster(
        OutboxRepository(db), UserRepository(db), make_sender_bot(bot_settings),
        bot_settings, SystemClock(), rate=10,
    )  # fmt: skip
    await sender.start()
    yield sender
    await sender.stop()
    await db.close()


def test_window_never_lets_more_than_the_rate_into_a_second_even_after_a_stall() -> None:
    window = _Window(10)
    sent: list[float] = []
    now = 0.0
    while now < 5.0:
        wait = window.wait(now)
        if wait == 0:
            window.take(now)
            sent.append(now)
        # The loop wakes a little late, and once stalls for 0.3 s.
        now += max(wait, 0.001) + (0.3 if 2.0 < now < 2.01 else 0.004)
    for start in sent:
        assert sum(1 for t in sent if start <= t < start + 1.0) <= 10
    # Lateness is made up for: about 10 a second all the same (the guard costs ~3%).
    assert len(sent) >= 0.9 * 10 * 5


async def test_summary_and_replies_wait_their_turn_with_the_deliveries(
    telegram: FakeBotAPI, broadcaster: Broadcaster
) -> None:
    telegram.user(42, "Coordinator")
    loop = asyncio.get_running_loop()
    began = loop.time()
    for _ in range(5):
        await broadcaster.take_turn(42)
    # One message a second to a private chat: the fifth turn comes four seconds later.
    assert loop.time() - began >= 3.9


async def test_reply_through_the_shared_limiter_takes_a_turn(
    telegram: FakeBotAPI, broadcaster: Broadcaster
) -> None:
    person = telegram.user(43, "Coordinator")
    limiter = SharedRateLimiter()
    limiter.share(broadcaster)
    await limiter.initialize()
    calls: list[float] = []

    async def send() -> dict[str, object]:
        calls.append(asyncio.get_running_loop().time())
        return {}

    for _ in range(2):
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": person.id}, None)
    await limiter.process_request(send, (), {}, "getMe", {}, None)  # not a message: no turn
    await limiter.shutdown()
    # A token each (10/s here), but no chat cool-down: a person's replies stay quick.
    assert 0.05 <= calls[1] - calls[0] < 0.5
    assert calls[2] - calls[1] < 0.05


async def test_a_summary_right_after_a_reply_waits_for_the_chats_second(
    telegram: FakeBotAPI, broadcaster: Broadcaster
) -> None:
    person = telegram.user(44, "Coordinator")
    limiter = SharedRateLimiter()
    limiter.share(broadcaster)
    await limiter.initialize()
    loop = asyncio.get_running_loop()

    async def send() -> dict[str, object]:
        return {}

    # The receipt goes at once; the "delivered N of M" summary after it waits for the chat's
    # one-second cool-down instead of drawing a 429 (which would pause every send).
    await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": person.id}, None)
    replied = loop.time()
    await broadcaster.take_turn(person.id)
    assert loop.time() - replied >= 0.95
    await limiter.shutdown()


def _delivery(delivery_id: int, alert_id: int, chat_id: int, priority: int) -> Delivery:
    now = datetime.now(UTC)
    return Delivery(
        delivery_id, alert_id, chat_id, priority, DeliveryState.PENDING, 0, 0, now, None, ""
    )


def _alert(alert_id: int, priority: int) -> Alert:
    now = datetime.now(UTC)
    return Alert(
        alert_id, "reminder" if priority else "detention", None, priority, "text",
        None, None, None, None, False, None, now, None,
    )  # fmt: skip


@pytest.mark.parametrize("phase", [i / 20 for i in range(20)])
async def test_an_urgent_delivery_gets_a_token_within_one_interval_while_reminders_fill_the_window(
    bot_settings: Settings, phase: float
) -> None:
    """Reminders at the cap fill the sliding window and then wait for it to slide (≈ 0.23 s at
    30/s); they leave its last tokens free, so a detention alert arriving at any moment goes
    within one interval, and the sends together still never exceed the rate in any second."""
    db = await Database.open(bot_settings.database_path)
    try:
        sender = Broadcaster(
            OutboxRepository(db), UserRepository(db), make_sender_bot(bot_settings),
            bot_settings, SystemClock(), rate=30,
        )  # fmt: skip
        sender._alerts = {1: _alert(1, 2), 2: _alert(2, 0)}
        sender._window = [_delivery(100 + i, 1, 1000 + i, 2) for i in range(400)]
        sender._window_buckets = 1
        arrives = 2.0 + phase  # the window has been full of reminders for a while by then
        urgent = _delivery(5000, 2, 42, 0)
        sent: list[tuple[float, int]] = []
        now, picked_at, queued = 0.0, None, False
        while now < 4.0 and picked_at is None:
            if not queued and now >= arrives:
                sender._requeue(urgent)
                queued = True
            delivery, wait = sender._pick(now)
            if delivery is None:
                # The loop wakes a little late, or when the alert is enqueued (wake()).
                step = max(wait, 0.001) + 0.002
                now = min(now + step, arrives) if not queued else now + step
                continue
            sender._free.take(now)
            sent.append((now, delivery.id))
            if delivery.priority == 0:
                picked_at = now
        assert picked_at is not None
        assert picked_at - arrives <= 1 / 30 + 0.005
        times = [t for t, _ in sent]
        assert all(sum(1 for t in times if s <= t < s + 1.0) <= 30 for s in times)
        # What the reminders give up: the reserve, a tenth of the rate, not more.
        reminders = [t for t, d in sent if d != urgent.id and 1.0 <= t < 2.0]
        assert len(reminders) >= 25
    finally:
        await db.close()

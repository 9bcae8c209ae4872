"""The per-person limit: past it, one polite "slow down", then silence until the minute passes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import DabylApplication
from bot.clock import FrozenClock
from bot.flood import FloodGuard, Verdict
from bot.i18n import translator
from fakebotapi import FakeBotAPI
from tests.scenario import join, services_of

MINUTE = timedelta(minutes=1)
SLOW_DOWN = "You are sending messages too fast. Please wait a minute and send again."


def guard(limit: int = 3) -> tuple[FloodGuard, FrozenClock]:
    clock = FrozenClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    return FloodGuard(limit, MINUTE, clock), clock


def test_the_limit_lets_through_warns_once_then_drops() -> None:
    flood, _clock = guard(3)
    assert [flood.check(7) for _ in range(6)] == [
        *[Verdict.OK] * 3,
        Verdict.WARN,
        Verdict.DROP,
        Verdict.DROP,
    ]


def test_each_person_has_their_own_count() -> None:
    flood, _clock = guard(1)
    assert flood.check(1) is Verdict.OK
    assert flood.check(2) is Verdict.OK
    assert flood.check(1) is Verdict.WARN


def test_the_window_slides_and_a_new_flood_is_warned_about_again() -> None:
    flood, clock = guard(2)
    flood.check(7)
    clock.advance(timedelta(seconds=30))
    flood.check(7)
    assert flood.check(7) is Verdict.WARN
    clock.advance(timedelta(seconds=30))  # the first message is a minute old: room for one
    assert flood.check(7) is Verdict.OK
    assert flood.check(7) is Verdict.WARN  # a new flood: told again, once
    assert flood.check(7) is Verdict.DROP


def test_dropped_messages_do_not_extend_the_wait() -> None:
    flood, clock = guard(1)
    flood.check(7)
    for _ in range(50):
        clock.advance(timedelta(seconds=1))
        flood.check(7)
    clock.advance(timedelta(seconds=10))  # 60 s after the one message that counted
    assert flood.check(7) is Verdict.OK


@pytest.mark.parametrize(("limit", "window"), [(0, MINUTE), (5, timedelta(0))])
def test_a_limit_needs_a_positive_count_and_window(limit: int, window: timedelta) -> None:
    with pytest.raises(ValueError, match="positive"):
        FloodGuard(limit, window, FrozenClock(datetime(2026, 3, 1, tzinfo=UTC)))


@pytest.fixture
def network() -> dict[str, Any]:
    return {"commands_per_minute": 5}


async def test_a_flooding_account_gets_one_slow_down_and_no_more_work(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    marat = await join(telegram, bot, 6002, "Marat Ospanov")  # /start was the first of 5
    for _ in range(4):
        await marat.send("/help")
        await marat.expect_reply()
    for _ in range(10):
        await marat.send("/detained Saule Bekova; Abay square")
    warning = await marat.expect_reply()
    assert warning.text == SLOW_DOWN
    await marat.expect_no_reply(within=0.5)
    db = services_of(bot).db
    reports = await db.fetch_one("SELECT count(*) FROM reports")
    applied = await db.fetch_one("SELECT count(*) FROM processed_updates")
    assert reports is not None and reports[0] == 0  # nothing flooded reached the database
    assert applied is not None and applied[0] == 5  # not even as an update id

    clock.advance(timedelta(minutes=1))
    await marat.send("/help")
    assert (await marat.expect_reply()).text != SLOW_DOWN

    asel = telegram.user(6003, "Asel", language_code="ru")
    for _ in range(6):
        await asel.send("/help")
    replies = [await asel.expect_reply() for _ in range(6)]
    assert replies[-1].text == translator("ru")(SLOW_DOWN) != SLOW_DOWN

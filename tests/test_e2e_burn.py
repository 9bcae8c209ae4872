"""End to end: /burn drops a seized phone silently; /panic deletes the database and stops."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from bot.app import DabylApplication
from bot.clock import FrozenClock
from bot.roles import Role
from bot.settings import Settings
from fakebotapi import FakeBotAPI
from tests.conftest import ADMIN_ID
from tests.harness import running_bot
from tests.scenario import join, message_containing, services_of

INVITE_LINK = re.compile(r"\?start=([A-Za-z0-9_-]{16,64})")


async def test_a_burned_coordinator_gets_only_the_neutral_reply(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    services = services_of(bot)
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    gulnara = await join(telegram, bot, 6004, "Gulnara Bekova", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/invite member")
    code = INVITE_LINK.search((await daniyar.expect_reply()).text).group(1)
    await daniyar.send("/lang")
    languages = await daniyar.expect_reply()
    before = await services.users.get(6001)

    await aigerim.send("/burn @daniyar_x")
    assert "Daniyar (@daniyar_x) is burned" in (await aigerim.expect_reply()).text
    notice = await message_containing(gulnara, "burned Daniyar (@daniyar_x) (coordinator)")
    assert notice.params.get("protect_content") is True
    await daniyar.expect_no_reply(within=0.3)  # the burned person is not told

    commands = [
        "/status",
        "/help",
        "/start",
        f"/start {code}",
        "/report",
        "/detained Yerlan Abenov; Republic square",
        "/members",
        "/invite member",
        "/subscribe",
    ]
    for command in commands:
        await daniyar.send(command)
        word = command.split()[0]
        reply = await daniyar.expect_reply()
        assert reply.text == f"I don't know {word}. See /help for what you can do."
        assert not reply.reply_markup
    await daniyar.press(languages, languages.buttons[0][0])  # a button on an old message
    answer = await daniyar.expect_callback_answer()
    assert not answer.text
    await daniyar.send("they took my phone")
    assert (await daniyar.expect_reply()).text == (
        "I understand commands only. See /help for what you can do."
    )
    await daniyar.expect_no_reply(within=0.3)

    # Nothing they sent was stored or acted on.
    after = await services.users.get(6001)
    assert after.last_seen_at == before.last_seen_at and after.language == before.language
    assert (after.role, after.subscribed) == (Role.NONE, False)
    assert await services.db.fetch_all("SELECT id FROM reports") == []
    assert len(await services.db.fetch_all("SELECT id FROM invites")) == 1

    # No further alerts; the invite they made fails for whoever holds it.
    await aigerim.send("/broadcast Hearing moved to 15:00")
    assert "Hearing moved" in (await message_containing(asel, "Announcement")).text
    await services.broadcaster.drain()
    await daniyar.expect_no_reply(within=0.3)
    timur = telegram.user(6005, "Timur", username="timur_o")
    await timur.send(f"/start {code}")
    assert "expired" in (await timur.expect_reply()).text
    assert await services.users.get(6005) is None


async def test_coordinator_cannot_burn_a_coordinator_and_nobody_twice(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    await join(telegram, bot, 6004, "Gulnara Bekova", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Omarov", Role.MEMBER)
    await daniyar.send("/burn @gulnara_x")
    assert (await daniyar.expect_reply()).text == "Sorry, you cannot burn Gulnara (@gulnara_x)."
    await daniyar.send("/burn 6002")
    assert "is burned" in (await daniyar.expect_reply()).text
    await daniyar.send("/burn 6002")
    assert (await daniyar.expect_reply()).text == "Marat (@marat_x) is already burned."
    await daniyar.send("/burn @nobody_known")
    assert "Nobody called @nobody_known" in (await daniyar.expect_reply()).text
    await marat.expect_no_reply(within=0.3)


async def test_panic_needs_a_confirm_within_a_minute_then_deletes_everything(
    telegram: FakeBotAPI, bot_settings: Settings, clock: FrozenClock
) -> None:
    path = bot_settings.database_path
    files = [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm")]
    stopped = asyncio.Event()
    async with running_bot(bot_settings, clock, stop=lambda _: stopped.set()) as application:
        aigerim = await join(telegram, application, ADMIN_ID, "Aigerim Nurlanovna")
        daniyar = await join(telegram, application, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
        await daniyar.send("/panic")
        assert "not available to you" in (await daniyar.expect_reply()).text

        await aigerim.send("/panic confirm")  # never armed
        assert "Nothing was deleted" in (await aigerim.expect_reply()).text
        await aigerim.send("/panic")
        assert "send /panic confirm within 60 seconds" in (await aigerim.expect_reply()).text
        clock.advance(timedelta(seconds=61))
        await aigerim.send("/panic confirm")  # too late
        assert "Nothing was deleted" in (await aigerim.expect_reply()).text
        await aigerim.send("/help")
        await aigerim.expect_reply()
        assert all(file.exists() for file in files[:1]) and not stopped.is_set()

        await aigerim.send("/panic")
        await aigerim.expect_reply()
        clock.advance(timedelta(seconds=59))
        await aigerim.send("/panic confirm")
        assert "The database is deleted" in (await aigerim.expect_reply()).text
        await asyncio.wait_for(stopped.wait(), 5)
        assert [file for file in files if file.exists()] == []

"""End to end: whatever people send, the bot answers briefly or stays quiet, and keeps serving."""

from __future__ import annotations

import logging

import pytest

from bot.app import DabylApplication
from bot.services import Services
from fakebotapi import FakeBotAPI, FakeUser
from tests.conftest import ADMIN_ID
from tests.scenario import message_containing


async def joined(telegram: FakeBotAPI, user_id: int, name: str) -> FakeUser:
    person = telegram.user(user_id, name, username=f"{name.lower()}_x")
    await person.send("/start")
    await person.expect_reply()
    return person


async def test_unknown_commands_and_empty_arguments_point_to_help(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    aigerim = await joined(telegram, ADMIN_ID, "Aigerim")
    await aigerim.send("/fly to the moon")
    assert (await aigerim.expect_reply()).text == (
        "I don't know /fly. See /help for what you can do."
    )
    await aigerim.send("/invite")
    assert "Example: /invite member" in (await aigerim.expect_reply()).text
    await aigerim.send("/invite overlord")
    assert "Example: /invite member" in (await aigerim.expect_reply()).text
    await aigerim.send("/invite@dabyl_test_bot   member")
    assert "https://t.me/dabyl_test_bot?start=" in (await aigerim.expect_reply()).text


async def test_long_text_stickers_and_media_get_a_short_reply(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    asel = await joined(telegram, 6005, "Asel")
    await asel.send("Почему? " + "а" * 4992)
    reply = await asel.expect_reply()
    assert reply.text == "I understand commands only. See /help for what you can do."
    await asel.send_sticker()
    assert "See /help" in (await asel.expect_reply()).text
    await asel.send_photo()
    assert "See /help" in (await asel.expect_reply()).text
    stranger = telegram.user(6006, "Bolat")
    await stranger.send("hello?")
    assert (await stranger.expect_reply()).text == "Send /start to join."


async def test_edited_command_is_not_run_again(telegram: FakeBotAPI, bot: DabylApplication) -> None:
    asel = await joined(telegram, 6005, "Asel")
    sent = await asel.send("/unsubscribe")
    await asel.expect_reply()
    await asel.edit(sent, "/subscribe")
    await asel.expect_no_reply(within=0.5)
    assert (await bot.bot_data["services"].users.get(6005)).subscribed is False


async def test_groups_and_channels_are_ignored(telegram: FakeBotAPI, bot: DabylApplication) -> None:
    aigerim = telegram.user(ADMIN_ID, "Aigerim", username="aigerim_n")
    group = telegram.group(-200123, "Support chat")
    channel = telegram.channel(-100777, "Alerts")
    await group.send(aigerim, "/start")
    await group.send(aigerim, "/members")
    await group.send(aigerim, "/invite member")
    await channel.post("/members")
    await group.expect_no_reply(within=0.5)
    await channel.expect_no_reply(within=0.1)
    await aigerim.expect_no_reply(within=0.1)
    services: Services = bot.bot_data["services"]
    assert await services.users.get(ADMIN_ID) is None  # not even registered from a group
    assert await services.audit.recent() == []


async def test_a_failing_handler_is_logged_once_and_the_bot_keeps_serving(
    telegram: FakeBotAPI,
    bot: DabylApplication,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asel = await joined(telegram, 6005, "Asel")
    services: Services = bot.bot_data["services"]

    async def broken(*args: object) -> bool:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services.accounts, "set_subscribed", broken)
    caplog.set_level(logging.INFO)
    sent = await asel.send("/unsubscribe")
    assert "something went wrong" in (await asel.expect_reply()).text
    monkeypatch.undo()
    await asel.send("/unsubscribe")
    assert "Alerts are off" in (await asel.expect_reply()).text

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].getMessage() == f"Unexpected error while handling update {sent.update_id}"
    assert errors[0].exc_info is not None


async def test_pressing_a_button_twice_is_not_an_error(
    telegram: FakeBotAPI, bot: DabylApplication, caplog: pytest.LogCaptureFixture
) -> None:
    """A double tap edits the message to what it already says: Telegram answers "message is not
    modified", which must not reach the error handler (found by tests/test_properties.py)."""
    asel = await joined(telegram, 6005, "Asel")
    caplog.set_level(logging.INFO)
    await asel.send("/forget")
    question = await asel.expect_reply()
    await asel.send("/lang")
    choice = await asel.expect_reply()
    # Both taps leave before the bot edits the message: each carries the buttons.
    for message, data in ((question, "forget:keep"), (choice, "lang:ru")):
        for _ in range(2):
            await asel._callback(message, data)
    await asel.send("/help")  # answered after all four presses
    await message_containing(asel, "/forget")
    assert question.text == "Nothing was deleted. Your account stays."
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not any("something went wrong" in (m.text or "") for m in asel.messages)

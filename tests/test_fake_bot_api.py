"""Tests of the fake Telegram Bot API server, driven by real python-telegram-bot clients."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from fakebotapi import FakeBotAPI, SchemaError, SentMessage
from tests import fake_server
from tests.bot_api_schema import bot_api_schema
from tests.fake_server import TOKEN

# The fake server and a plain PTB Bot on it (tests/fake_server.py).
server, bot = fake_server.server, fake_server.bot

ALICE = 1001


def seconds(value: int | dtm.timedelta) -> int:
    """``RetryAfter.retry_after`` is an int or a timedelta depending on ``PTB_TIMEDELTA``."""
    return int(value.total_seconds()) if isinstance(value, dtm.timedelta) else value


def expect_schema_error(server: FakeBotAPI, fragment: str) -> None:
    """Assert one recorded schema error mentions ``fragment``, then forgive it."""
    assert any(fragment in error for error in server.schema_errors), server.schema_errors
    server.schema_errors.clear()


# -- echo bot used by the end-to-end tests ---------------------------------------------------
async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(" ".join(context.args or []) or "(empty)")


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    keyboard = [[InlineKeyboardButton("Send", callback_data="send")]]
    await update.effective_message.reply_text(
        "Send the alert?", reply_markup=InlineKeyboardMarkup(keyboard)
    )


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Sent!")
    await query.edit_message_text(f"Alert sent ({query.data})")


@pytest.fixture
async def app(server: FakeBotAPI) -> AsyncIterator[Application]:
    """A real PTB ``Application`` long-polling the fake server."""
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("echo", echo))
    application.add_handler(CommandHandler("menu", menu))
    application.add_handler(CallbackQueryHandler(on_press))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        yield application
        await application.updater.stop()
        await application.stop()


# -- schema validation ------------------------------------------------------------------------
async def test_get_me_and_case_insensitive_methods(server: FakeBotAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (100000, "dabyl_test_bot", True)
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{server.base_url}{TOKEN}/GETME")
    assert response.json()["result"]["username"] == "dabyl_test_bot"
    assert server.requests[-1] == ("getMe", {})


async def test_unknown_method(server: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)unknown method"):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": ALICE})
    expect_schema_error(server, "unknown method 'sendTelepathy'")


async def test_unknown_parameter(server: FakeBotAPI, bot: Bot) -> None:
    server.user(ALICE, "Aigerim")
    with pytest.raises(BadRequest, match=r"(?i)unknown parameter 'colour'"):
        await bot.send_message(ALICE, "hi", api_kwargs={"colour": "red"})
    expect_schema_error(server, "sendMessage: unknown parameter 'colour'")


async def test_missing_required_parameter(server: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)missing required parameter 'text'"):
        await bot.do_api_request("SendMessage", api_kwargs={"chat_id": ALICE})
    expect_schema_error(server, "missing required parameter 'text'")


async def test_wrong_types(server: FakeBotAPI, bot: Bot) -> None:
    server.user(ALICE, "Aigerim")
    with pytest.raises(BadRequest, match=r"(?i)JSON-encoded object"):
        await bot.do_api_request("SendMessage", {"chat_id": ALICE, "text": {"a": 1}})
    expect_schema_error(server, "'text': expected String")

    with pytest.raises(BadRequest, match=r"(?i)expected Integer"):
        await bot.do_api_request("DeleteMessage", {"chat_id": ALICE, "message_id": "first"})
    expect_schema_error(server, "'message_id': expected Integer, got String")

    bad_markup = {"inline_keyboard": [[{"text": 5, "callback_data": "x"}]]}
    with pytest.raises(BadRequest, match=r"inline_keyboard\[0\]\[0\]\.text"):
        await bot.do_api_request(
            "SendMessage", {"chat_id": ALICE, "text": "t", "reply_markup": bad_markup}
        )
    expect_schema_error(server, "expected String, got Integer")

    async with httpx.AsyncClient() as client:  # JSON bodies are typed: objects are objects
        body = {"chat_id": ALICE, "text": ["not", "a", "string"]}
        response = await client.post(f"{server.base_url}{TOKEN}/sendMessage", json=body)
    assert response.status_code == 400
    assert response.json()["description"].startswith("Bad Request:")
    expect_schema_error(server, "'text': expected String, got Array")


async def test_union_types_and_scoped_commands(server: FakeBotAPI, bot: Bot) -> None:
    commands = [BotCommand("start", "Start"), BotCommand("help", "Help")]
    await bot.set_my_commands(commands)
    await bot.set_my_commands(commands[:1], scope=BotCommandScopeChat(ALICE), language_code="kk")
    assert server.commands[("default", "")][1] == {"command": "help", "description": "Help"}
    assert len(server.commands[(f"chat:{ALICE}", "kk")]) == 1
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match=r"(?i)BotCommandScope"):
        await bot.do_api_request("GetMyCommands", {"scope": {"type": "galaxy"}})
    expect_schema_error(server, "does not match any BotCommandScope variant")


# -- long polling -----------------------------------------------------------------------------
async def test_polling_application_replies(server: FakeBotAPI, app: Application) -> None:
    alice = server.user(ALICE, "Aigerim", username="aigerim_n", language_code="en")
    await alice.send("/echo hello world")
    reply = await alice.expect_reply(timeout=3)
    assert reply.text == "hello world"
    assert reply.raw["from"]["id"] == 100000
    await alice.send("/echo@dabyl_test_bot again")
    assert (await alice.expect_reply(timeout=3)).text == "again"
    await alice.expect_no_reply(within=0.1)
    assert [m.text for m in alice.messages] == ["hello world", "again"]


async def test_long_poll_wakes_up_on_new_update(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    await alice.send("ping")
    updates = await poll
    assert time.monotonic() - started < 1
    assert updates[0].message is not None and updates[0].message.text == "ping"
    assert await bot.get_updates(timeout=0) == updates  # not confirmed yet: delivered again


async def test_offset_confirms_updates(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim")
    for text in ("one", "two", "three"):
        await alice.send(text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert len(server.pending_updates) == 1
    assert await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0) == ()
    assert server.pending_updates == []


async def test_second_poller_conflicts(server: FakeBotAPI, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    async with Bot(TOKEN, base_url=server.base_url) as second_instance:
        await second_instance.get_updates(timeout=0)
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await first


# -- simulated Telegram behaviour -------------------------------------------------------------
async def test_rate_limit_answers_429(server: FakeBotAPI, bot: Bot) -> None:
    server.user(ALICE, "Aigerim")
    server.rate_limit(per_second=3, retry_after=2)
    for n in range(3):
        await bot.send_message(ALICE, f"message {n}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ALICE, "one too many")
    assert seconds(caught.value.retry_after) == 2
    assert server.stats.rate_limited == 1
    assert server.stats.status_counts[429] == 1
    assert server.max_sends_in_any_second() == 3
    assert server.max_sends_in_any_second(include_rejected=True) == 4


async def test_per_chat_rate_limit(server: FakeBotAPI, bot: Bot) -> None:
    server.user(ALICE, "Aigerim")
    server.user(1002, "Daniyar")
    server.rate_limit(per_chat_per_second=1)
    await bot.send_message(ALICE, "first")
    await bot.send_message(1002, "other chat is fine")
    with pytest.raises(RetryAfter):
        await bot.send_message(ALICE, "second")


async def test_blocked_and_deactivated_users(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim")
    alice.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ALICE, "hello?")
    alice.unblock()
    await bot.send_message(ALICE, "hello again")
    alice.deactivate()
    with pytest.raises(Forbidden, match="user is deactivated"):
        await bot.send_chat_action(ALICE, "typing")
    assert [m.text for m in alice.messages] == ["hello again"]


async def test_fail_next_once(server: FakeBotAPI, bot: Bot) -> None:
    server.user(ALICE, "Aigerim")
    server.fail_next("sendmessage", status=500)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(ALICE, "lost")
    await bot.send_message(ALICE, "delivered")
    server.fail_next("sendMessage", 400, description="Bad Request: message is not modified")
    with pytest.raises(BadRequest, match="not modified"):
        await bot.send_message(ALICE, "x")
    server.fail_next("getMe", 429, retry_after=3)
    with pytest.raises(RetryAfter):
        await bot.get_me()
    assert server.stats.status_counts == {500: 1, 400: 1, 429: 1}


async def test_fail_next_hang_simulates_timeouts_before_and_after_delivery(
    server: FakeBotAPI, bot: Bot
) -> None:
    alice = server.user(ALICE, "Aigerim")
    server.fail_next("sendMessage", 504, hang=0.5)  # lost on the way in
    server.fail_next("sendMessage", hang=0.5, deliver=True)  # carried out, answer lost
    for text in ("never arrives", "arrives, unconfirmed"):
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE, text, read_timeout=0.1)
    assert [m.text for m in alice.messages] == ["arrives, unconfirmed"]
    assert server.stats.hung_deliveries == 1
    # A client patient enough gets the late answer: the error, or the message.
    server.fail_next("sendMessage", 504, hang=0.2)
    server.fail_next("sendMessage", hang=0.2, deliver=True)
    with pytest.raises(NetworkError, match="Gateway"):
        await bot.send_message(ALICE, "lost", read_timeout=2)
    assert (await bot.send_message(ALICE, "late", read_timeout=2)).text == "late"
    assert [m.text for m in alice.messages][-1] == "late"


async def test_latency(server: FakeBotAPI, bot: Bot) -> None:
    server.latency = 0.2
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.2


async def test_unknown_chat_and_html_errors(server: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hello")
    alice = server.user(ALICE, "Aigerim")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(ALICE, "<b>bold", parse_mode="HTML")
    sent = await bot.send_message(ALICE, "<b>Hearing</b> at 10:00", parse_mode="HTML")
    assert sent.text == "Hearing at 10:00"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 7
    assert (await alice.expect_reply()).params["text"] == "<b>Hearing</b> at 10:00"


# -- people -----------------------------------------------------------------------------------
async def test_callback_press_round_trip(server: FakeBotAPI, app: Application) -> None:
    alice = server.user(ALICE, "Aigerim")
    await alice.send("/menu")
    prompt = await alice.expect_reply()
    assert prompt.buttons == [("Send", "send")]
    await alice.press(prompt, "Send")
    answer = await alice.expect_callback_answer()
    assert answer.text == "Sent!"
    edited = await alice.expect_edit(prompt)
    assert edited.text == "Alert sent (send)"
    assert edited.buttons == [] and edited.history == ["Send the alert?"]


async def test_edit_message_and_not_modified(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Docs", url="https://example.org")]])
    sent = await bot.send_message(ALICE, "draft", reply_markup=keyboard)
    mine = await alice.expect_reply()
    assert mine.buttons == [("Docs", "https://example.org")]
    await bot.edit_message_text("final", chat_id=ALICE, message_id=sent.message_id)
    assert alice.messages[0].text == "final" and mine.buttons == []
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("final", chat_id=ALICE, message_id=sent.message_id)
    await bot.edit_message_reply_markup(ALICE, sent.message_id, reply_markup=keyboard)
    assert mine.buttons == [("Docs", "https://example.org")]
    await bot.delete_message(ALICE, sent.message_id)
    assert alice.messages == [] and mine.deleted


async def test_send_document_bytes_are_kept(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim")
    sent = await bot.send_document(ALICE, b"id,name\n1,A\n", filename="report.csv", caption="CSV")
    assert sent.document is not None and sent.document.file_name == "report.csv"
    received = await alice.expect_reply()
    assert received.file is not None and received.file.content == b"id,name\n1,A\n"
    assert received.text == "CSV"
    assert server.files[sent.document.file_id].content == b"id,name\n1,A\n"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"id,name\n1,A\n"
    again = await bot.send_document(ALICE, sent.document.file_id)  # resend by file_id
    assert again.document is not None and again.document.file_id == sent.document.file_id


async def test_user_media_updates_parse_in_ptb(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim", username="aigerim_n", last_name="N", language_code="kk")
    own = await alice.send("hello")
    await alice.edit(own, "hello, edited")
    await alice.send_location(43.238, 76.945)
    await alice.send_photo(caption="court")
    await alice.send_voice()
    await alice.send_video()
    await alice.send_sticker()
    await alice.send_document(b"%PDF", "decision.pdf", "application/pdf")
    await alice.send_contact("+77010000000")
    updates = await bot.get_updates()
    assert len(updates) == 9
    assert updates[1].edited_message is not None
    assert updates[1].edited_message.text == "hello, edited"
    assert updates[2].message is not None and updates[2].message.location is not None
    assert updates[2].message.location.latitude == pytest.approx(43.238)
    assert updates[3].message is not None and updates[3].message.caption == "court"
    document = updates[7].message.document if updates[7].message else None
    assert document is not None
    file = await bot.get_file(document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF"


async def test_groups_and_channels(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim")
    group = server.group(-200123, "Support chat")
    channel = server.channel(-100777, "Alerts", username="dabyl_alerts")
    await group.send(alice, "/members")
    await channel.post("Detention reported")
    updates = await bot.get_updates()
    message, post = updates[0].message, updates[1].channel_post
    assert message is not None and message.chat.type == "group"
    assert message.from_user is not None and message.from_user.id == ALICE
    assert post is not None and post.sender_chat is not None and post.chat.id == -100777
    await bot.send_message(-200123, "3 members")
    await bot.send_message("@dabyl_alerts", "Alert!")
    assert (await group.expect_reply()).text == "3 members"
    assert (await channel.expect_reply()).text == "Alert!"


async def test_expect_reply_timeout_lists_messages(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim")
    await bot.send_message(ALICE, "earlier")
    alice.mark_read()
    await alice.send("anyone there?")
    with pytest.raises(AssertionError, match="no reply") as caught:
        await alice.expect_reply(timeout=0.05)
    assert "earlier" in str(caught.value) and "anyone there?" in str(caught.value)
    await bot.send_message(ALICE, "surprise")
    with pytest.raises(AssertionError, match="unexpected bot message"):
        await alice.expect_no_reply(within=0.05)


async def test_wait_for_call_and_unimplemented(server: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_description("Alerts for support networks")
    calls = await server.wait_for_call("setMyDescription", timeout=1)
    assert calls == [{"description": "Alerts for support networks"}]
    assert server.unimplemented == [("setMyDescription", calls[0])]


# -- schema file handling ---------------------------------------------------------------------
async def test_missing_schema(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(SchemaError, match="schema not found"):
        FakeBotAPI(schema=missing)
    monkeypatch.setenv("BOT_API_SCHEMA", str(missing))
    bot_api_schema.cache_clear()
    try:
        monkeypatch.setenv("CI", "true")
        with pytest.raises(SchemaError, match="BOT_API_SCHEMA"):
            bot_api_schema()
        monkeypatch.setenv("CI", "")
        with pytest.warns(UserWarning, match="validation is disabled"):
            assert bot_api_schema() is None
    finally:
        bot_api_schema.cache_clear()


async def test_without_a_schema_strings_stay_strings() -> None:
    """Practice mode runs with no schema: parameters are decoded by guesswork, not validated."""
    async with FakeBotAPI() as fake, Bot(TOKEN, base_url=fake.base_url) as client:
        assert (await client.get_me()).username == "dabyl_test_bot"
        fake.user(ALICE, "Aigerim")
        await client.send_message(ALICE, "123")
    assert fake.calls("sendMessage") == [{"chat_id": ALICE, "text": "123"}]


def test_sent_message_repr_is_readable() -> None:
    raw = {"message_id": 7, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "hi"}
    assert "hi" in repr(SentMessage(raw, from_bot=True))
    assert json.loads(json.dumps(raw)) == raw


async def test_media_group_and_reply_keyboard(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim")
    album = [InputMediaDocument(b"one", filename="1.txt"), InputMediaDocument(b"two")]
    sent = await bot.send_media_group(ALICE, album, caption="Evidence")
    assert len({m.media_group_id for m in sent}) == 1
    first, second = await alice.expect_replies(2)
    assert first.text == "Evidence" and second.file is not None and second.file.content == b"two"
    with pytest.raises(BadRequest, match=r"(?i)needs 'document'"):
        await bot.send_media_group(ALICE, [InputMediaPhoto(b"p"), InputMediaDocument(b"d")])
    expect_schema_error(server, "media[0].type")

    keyboard = ReplyKeyboardMarkup([["Report detention", "Help"]], resize_keyboard=True)
    await bot.send_message(ALICE, "Choose", reply_markup=keyboard)
    menu_message = await alice.expect_reply()
    assert menu_message.buttons == [("Report detention", None), ("Help", None)]
    pressed = await alice.press(menu_message, "Help")
    assert isinstance(pressed, SentMessage) and pressed.text == "Help"
    assert (await bot.get_updates())[-1].message.text == "Help"  # type: ignore[union-attr]


async def test_get_chat_member(server: FakeBotAPI, bot: Bot) -> None:
    alice = server.user(ALICE, "Aigerim")
    channel = server.channel(-100777, "Alerts")
    assert (await bot.get_chat_member(-100777, ALICE)).status == "member"
    channel.set_member(100000, "administrator", can_post_messages=True)
    me = await bot.get_chat_member(-100777, 100000)
    assert me.status == "administrator" and me.can_post_messages is True  # type: ignore[attr-defined]
    channel.set_member(alice.id, "kicked", until_date=0)
    assert (await bot.get_chat_member(-100777, ALICE)).status == "kicked"


async def test_a_client_that_hangs_up_mid_request_is_not_a_server_bug(server: FakeBotAPI) -> None:
    """A bot shutting down can close its connection while the server still reads the request
    body (seen once on CI at a test's teardown): that is no fake-server bug."""
    host, port = server.url.removeprefix("http://").split(":")
    _reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"POST /bot123:abc/getUpdates HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntimeo"
    )
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    await asyncio.sleep(0.2)
    assert server.schema_errors == []

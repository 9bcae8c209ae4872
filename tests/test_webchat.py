"""The practice web chat: its JSON API, files, live events and static page, driven over real
HTTP against a started WebChat, with a plain PTB ``Bot`` playing the bot's side."""

from __future__ import annotations

import asyncio
import errno
import gc
import json
import re
import socket
import time
import warnings
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from playwright.async_api import Browser, expect
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode

from fakebotapi import FakeBotAPI, FakeChannel, FakeUser
from fakebotapi.webchat import SAMPLE_PHOTO, WEB_DIR, Channel, Person, Place, WebChat
from tests import fake_server, headless
from tests.bot_api_schema import bot_api_schema
from tests.headless import SMALL_PHONE

# The fake server and a plain PTB Bot on it (tests/fake_server.py).
server, bot = fake_server.server, fake_server.bot
# Debian's chromium, a browser on it, and test-output/<test name>/ (tests/headless.py).
chromium, browser, output_dir = headless.chromium, headless.browser, headless.output_dir

AIGERIM = 7001
DANIYAR = 7002
ALERTS = -1001234567890
COURT = Place("Medeu district court", 43.2389, 76.9286)
POLICE = Place("Police station No. 3", 43.2567, 76.9123)


@pytest.fixture
def aigerim(server: FakeBotAPI) -> FakeUser:
    return server.user(
        AIGERIM, "Aigerim", last_name="Nurlanovna", username="aigerim_n", language_code="kk"
    )


@pytest.fixture
def daniyar(server: FakeBotAPI) -> FakeUser:
    return server.user(DANIYAR, "Daniyar", last_name="Sarsenbayev", language_code="ru")


@pytest.fixture
def alerts(server: FakeBotAPI) -> FakeChannel:
    return server.channel(ALERTS, "Almaty alerts")


@pytest.fixture
async def webchat(
    server: FakeBotAPI, aigerim: FakeUser, daniyar: FakeUser, alerts: FakeChannel
) -> AsyncIterator[WebChat]:
    """The web chat on a free loopback port, with two practice people and an alert channel."""
    people = [Person(aigerim, "Coordinator"), Person(daniyar, "Member")]
    channels = [Channel(alerts, "Alerts channel")]
    chat = WebChat(server, people, places=[COURT, POLICE], channels=channels)
    await chat.start(port=0)
    yield chat
    await chat.stop()


@pytest.fixture
async def http(webchat: WebChat) -> AsyncIterator[aiohttp.ClientSession]:
    """A browser stand-in: every path is relative to the web chat."""
    async with aiohttp.ClientSession(base_url=webchat.url) as session:
        yield session


async def get_json(http: aiohttp.ClientSession, path: str) -> Any:
    async with http.get(path) as response:
        assert response.status == 200, await response.text()
        return await response.json()


async def post(
    http: aiohttp.ClientSession, path: str, body: Any, status: int = 200
) -> dict[str, Any]:
    async with http.post(path, json=body) as response:
        assert response.status == status, await response.text()
        return await response.json()


def last_update(server: FakeBotAPI) -> dict[str, Any]:
    return server.pending_updates[-1]


# -- people and chats ---------------------------------------------------------------------------
async def test_people_lists_roles_names_label_and_places(http: aiohttp.ClientSession) -> None:
    info = await get_json(http, "/api/people")
    assert info["label"] == "PRACTICE"
    assert info["time_zone"] is None  # the page shows the browser's time
    assert info["people"] == [
        {
            "id": AIGERIM,
            "name": "Aigerim Nurlanovna",
            "first_name": "Aigerim",
            "role": "Coordinator",
            "language_code": "kk",
        },
        {
            "id": DANIYAR,
            "name": "Daniyar Sarsenbayev",
            "first_name": "Daniyar",
            "role": "Member",
            "language_code": "ru",
        },
    ]
    assert [place["name"] for place in info["places"]] == [COURT.name, POLICE.name]
    assert info["channels"] == [
        {"id": ALERTS, "title": "Almaty alerts", "caption": "Alerts channel"}
    ]


async def test_chat_shows_html_entities_and_inline_buttons(
    http: aiohttp.ClientSession, bot: Bot, aigerim: FakeUser
) -> None:
    await aigerim.send("/start")
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Confirm", callback_data="report:confirm:12")],
            [InlineKeyboardButton("Guide", url="https://example.org/guide")],
        ]
    )
    await bot.send_message(
        AIGERIM,
        "<b>Detention</b> at <i>Medeu</i>\n<a href='https://example.org/r'>details</a>",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
    )
    chat = await get_json(http, f"/api/chats/{AIGERIM}")
    own, reply = chat["messages"]
    assert not own["from_bot"] and own["text"] == "/start"
    assert own["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert reply["from_bot"] and reply["text"] == "Detention at Medeu\ndetails"
    assert reply["entities"] == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 13, "length": 5},
        {"type": "text_link", "offset": 19, "length": 7, "url": "https://example.org/r"},
    ]
    assert reply["buttons"] == [
        [
            {
                "index": 0,
                "text": "Confirm",
                "kind": "callback",
                "callback_data": "report:confirm:12",
            }
        ],
        [{"index": 1, "text": "Guide", "kind": "url", "url": "https://example.org/guide"}],
    ]
    assert not reply["edited"] and reply["media"] is None
    assert chat["reply_keyboard"] is None
    assert (await get_json(http, f"/api/chats/{DANIYAR}"))["messages"] == []


async def test_chat_shows_edits_and_omits_deleted_messages(
    http: aiohttp.ClientSession, bot: Bot, aigerim: FakeUser
) -> None:
    first = await bot.send_message(AIGERIM, "Hearing at 10:00")
    second = await bot.send_message(AIGERIM, "Draft")
    await first.edit_text("Hearing moved to 11:00")
    await second.delete()
    (view,) = (await get_json(http, f"/api/chats/{AIGERIM}"))["messages"]
    assert view["text"] == "Hearing moved to 11:00" and view["edited"]


async def test_reply_keyboard_shows_until_removed_and_press_sends_its_text(
    server: FakeBotAPI, http: aiohttp.ClientSession, bot: Bot, aigerim: FakeUser
) -> None:
    keyboard = ReplyKeyboardMarkup(
        [["Report detention", "Help"], [KeyboardButton("Share place", request_location=True)]]
    )
    menu = await bot.send_message(AIGERIM, "Choose", reply_markup=keyboard)
    shown = (await get_json(http, f"/api/chats/{AIGERIM}"))["reply_keyboard"]
    assert shown["message_id"] == menu.message_id
    assert [[b["text"] for b in row] for row in shown["rows"]] == [
        ["Report detention", "Help"],
        ["Share place"],
    ]
    assert shown["rows"][1][0]["request_location"]

    answer = await post(
        http, f"/api/chats/{AIGERIM}/press", {"message_id": menu.message_id, "button": 1}
    )
    assert last_update(server)["message"]["text"] == "Help"
    assert last_update(server)["message"]["message_id"] == answer["message_id"]
    refused = await post(
        http,
        f"/api/chats/{AIGERIM}/press",
        {"message_id": menu.message_id, "button": 2},
        status=400,
    )
    assert "location" in refused["error"]

    await bot.send_message(AIGERIM, "Thanks", reply_markup=ReplyKeyboardRemove())
    assert (await get_json(http, f"/api/chats/{AIGERIM}"))["reply_keyboard"] is None


async def test_one_time_keyboard_hides_after_a_press_and_bad_links_are_dropped(
    http: aiohttp.ClientSession, bot: Bot
) -> None:
    keyboard = ReplyKeyboardMarkup([["Yes", "No"]], one_time_keyboard=True)
    menu = await bot.send_message(AIGERIM, "Free now?", reply_markup=keyboard)
    path = f"/api/chats/{AIGERIM}"
    await post(http, f"{path}/text", {"text": "Maybe later"})  # typing keeps the keyboard
    assert (await get_json(http, path))["reply_keyboard"]["message_id"] == menu.message_id
    await post(http, f"{path}/press", {"message_id": menu.message_id, "button": 0})
    assert (await get_json(http, path))["reply_keyboard"] is None

    links = InlineKeyboardMarkup([[InlineKeyboardButton("Run", url="javascript:alert(1)")]])
    await bot.send_message(AIGERIM, "Links", reply_markup=links)
    (button,) = (await get_json(http, path))["messages"][-1]["buttons"][0]
    assert button["kind"] == "url" and button["url"] is None


# -- the alert channel --------------------------------------------------------------------------
async def test_channel_shows_the_bots_posts_without_a_reply_keyboard(
    http: aiohttp.ClientSession, bot: Bot
) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("I can help", callback_data="alert:help:3")],
            [InlineKeyboardButton("Guide", url="https://example.org/guide")],
        ]
    )
    await bot.send_message(ALERTS, "<b>Detention</b> at Republic Square", parse_mode=ParseMode.HTML)
    await bot.send_message(ALERTS, "Lawyer needed", reply_markup=keyboard)
    chat = await get_json(http, f"/api/chats/{ALERTS}")
    alert, with_buttons = chat["messages"]
    assert alert["from_bot"] and alert["text"] == "Detention at Republic Square"
    assert alert["entities"] == [{"type": "bold", "offset": 0, "length": 9}]
    # Listed as sent; the page disables the callback one and the server refuses presses.
    assert [[b["kind"] for b in row] for row in with_buttons["buttons"]] == [["callback"], ["url"]]
    assert chat["reply_keyboard"] is None
    assert (await get_json(http, f"/api/chats/{AIGERIM}"))["messages"] == []  # not mixed up


async def test_channel_posts_and_edits_produce_chat_events(
    http: aiohttp.ClientSession, bot: Bot
) -> None:
    async with http.get("/events") as events:
        sent = await bot.send_message(ALERTS, "Detention at the court")
        assert await next_event(events) == {
            "type": "chat",
            "person": ALERTS,
            "added": [sent.message_id],
            "added_from_bot": 1,
            "edited": [],
            "deleted": [],
        }
        await sent.edit_text("Detention at the court: lawyer on the way")
        assert (await next_event(events))["edited"] == [sent.message_id]


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("text", {"text": "hello channel"}),
        ("press", {"message_id": 1, "button": 0}),
        ("location", {"place": 0}),
        ("photo", {"caption": "from the square"}),
        ("text", {"text": 5}),  # read-only comes before checking the body
    ],
)
async def test_channel_is_read_only(
    server: FakeBotAPI, http: aiohttp.ClientSession, bot: Bot, action: str, body: Any
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("I can help", callback_data="h")]])
    await bot.send_message(ALERTS, "Alert", reply_markup=keyboard)
    error = await post(http, f"/api/chats/{ALERTS}/{action}", body, status=403)
    assert error == {"error": "the channel is read-only: only the bot posts there"}
    assert server.pending_updates == []
    assert len((await get_json(http, f"/api/chats/{ALERTS}"))["messages"]) == 1


async def test_unknown_negative_ids_are_not_found(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/chats/-1009999999999") as response:
        assert response.status == 404 and "error" in await response.json()
    await post(http, "/api/chats/-1009999999999/text", {"text": "hi"}, status=404)


def test_a_channel_cannot_share_a_persons_id(server: FakeBotAPI, aigerim: FakeUser) -> None:
    clash = server.channel(-5, "Clash")
    person = server.user(-5, "Odd")  # ids are not checked for sign: only for clashes
    with pytest.raises(ValueError, match="id of a practice person"):
        WebChat(
            server,
            [Person(aigerim, "Admin"), Person(person, "Odd")],
            channels=[Channel(clash, "C")],
        )


# -- actions ------------------------------------------------------------------------------------
async def test_text_queues_a_message_update(
    server: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    answer = await post(http, f"/api/chats/{DANIYAR}/text", {"text": "/start", "extra": 1})
    message = last_update(server)["message"]
    assert message["text"] == "/start" and message["from"]["id"] == DANIYAR
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message["message_id"] == answer["message_id"]
    await post(http, f"/api/chats/{DANIYAR}/text", {"text": "line one\nline two"})
    assert last_update(server)["message"]["text"] == "line one\nline two"


async def test_press_queues_a_callback_query_by_index_or_data(
    server: FakeBotAPI, http: aiohttp.ClientSession, bot: Bot, aigerim: FakeUser
) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Yes", callback_data="c:yes")],
            [InlineKeyboardButton("No", callback_data="c:no")],
        ]
    )
    sent = await bot.send_message(AIGERIM, "Publish?", reply_markup=keyboard)
    path = f"/api/chats/{AIGERIM}/press"
    answer = await post(http, path, {"message_id": sent.message_id, "button": 1})
    query = last_update(server)["callback_query"]
    assert query["id"] == answer["callback_query_id"]
    assert query["data"] == "c:no" and query["from"]["id"] == AIGERIM
    assert query["message"]["message_id"] == sent.message_id
    await post(http, path, {"message_id": sent.message_id, "button": "c:yes"})
    assert last_update(server)["callback_query"]["data"] == "c:yes"


async def test_location_and_photo_queue_the_right_updates(
    server: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    await post(http, f"/api/chats/{AIGERIM}/location", {"place": 1})
    location = last_update(server)["message"]["location"]
    assert (location["latitude"], location["longitude"]) == (POLICE.latitude, POLICE.longitude)

    await post(http, f"/api/chats/{AIGERIM}/photo", {"caption": "Outside the court"})
    message = last_update(server)["message"]
    assert message["caption"] == "Outside the court"
    stored = server.files[message["photo"][-1]["file_id"]]
    assert stored.content == SAMPLE_PHOTO.read_bytes()
    await post(http, f"/api/chats/{AIGERIM}/photo", {})
    assert "caption" not in last_update(server)["message"]

    location_view, photo_view, _ = (await get_json(http, f"/api/chats/{AIGERIM}"))["messages"]
    assert location_view["media"]["place"] == POLICE.name
    assert photo_view["media"]["type"] == "photo" and photo_view["text"] == "Outside the court"
    async with http.get(photo_view["media"]["url"]) as response:
        assert response.status == 200 and response.content_type == "image/jpeg"
        assert response.headers["Content-Disposition"].startswith("inline")
        assert await response.read() == SAMPLE_PHOTO.read_bytes()


async def test_files_serves_a_bot_document_as_a_download(
    http: aiohttp.ClientSession, bot: Bot
) -> None:
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    await bot.send_document(AIGERIM, ics, filename="hearings.ics", caption="Calendar")
    (view,) = (await get_json(http, f"/api/chats/{AIGERIM}"))["messages"]
    media = view["media"]
    assert media["type"] == "document" and media["file_name"] == "hearings.ics"
    assert media["size"] == len(ics) and view["text"] == "Calendar"
    async with http.get(media["url"]) as response:
        assert response.status == 200
        assert await response.read() == ics
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment") and 'filename="hearings.ics"' in disposition
        assert response.headers["X-Content-Type-Options"] == "nosniff"


# -- live events --------------------------------------------------------------------------------
async def next_event(response: aiohttp.ClientResponse) -> dict[str, Any]:
    """The next ``data:`` event of a server-sent event stream."""
    async with asyncio.timeout(5):
        while True:
            line = (await response.content.readline()).decode()
            if line.startswith("data: "):
                return json.loads(line.removeprefix("data: "))


async def test_events_report_sends_edits_deletes_and_button_answers(
    server: FakeBotAPI, http: aiohttp.ClientSession, bot: Bot, aigerim: FakeUser
) -> None:
    await bot.send_message(DANIYAR, "Sent before the page opened")
    async with http.get("/events") as events:
        assert events.content_type == "text/event-stream"
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ok", callback_data="ok")]])
        sent = await bot.send_message(AIGERIM, "Alert", reply_markup=keyboard)
        event = await next_event(events)
        assert event == {
            "type": "chat",
            "person": AIGERIM,
            "added": [sent.message_id],
            "added_from_bot": 1,
            "edited": [],
            "deleted": [],
        }
        await sent.edit_text("Alert (updated)", reply_markup=keyboard)
        assert (await next_event(events))["edited"] == [sent.message_id]

        await post(
            http, f"/api/chats/{AIGERIM}/press", {"message_id": sent.message_id, "button": 0}
        )
        query_id = last_update(server)["callback_query"]["id"]
        await bot.answer_callback_query(query_id, "Saved", show_alert=True)
        answer = await next_event(events)  # pressing changes no message: the answer comes next
        assert answer == {"type": "answer", "person": AIGERIM, "text": "Saved", "show_alert": True}

        await sent.delete()
        assert (await next_event(events))["deleted"] == [sent.message_id]
        await aigerim.send("hello")
        own = await next_event(events)
        assert own["added_from_bot"] == 0 and len(own["added"]) == 1


async def test_stop_is_prompt_with_an_open_event_stream(
    server: FakeBotAPI, aigerim: FakeUser
) -> None:
    chat = WebChat(server, [Person(aigerim, "Admin")])
    url = await chat.start(port=0)
    async with aiohttp.ClientSession() as session, session.get(f"{url}/events") as events:
        await events.content.readline()  # connected
        started = time.monotonic()
        await asyncio.wait_for(chat.stop(), timeout=3)
        assert time.monotonic() - started < 1.0
        async with asyncio.timeout(2):
            await events.content.read()  # returns: the stream ended cleanly
        assert events.content.at_eof()
    assert server.state.listeners == []


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/chats/999/text", {"text": "hi"}, 404),
        ("/api/chats/abc/text", {"text": "hi"}, 404),
        ("/api/chats/--5/text", {"text": "hi"}, 404),
        ("/api/chats/²/text", {"text": "hi"}, 404),
        (f"/api/chats/{AIGERIM}/text", {"text": 5}, 400),
        (f"/api/chats/{AIGERIM}/text", {"text": "   "}, 400),
        (f"/api/chats/{AIGERIM}/text", {"text": "x" * 5000}, 400),
        (f"/api/chats/{AIGERIM}/text", ["not", "an", "object"], 400),
        (f"/api/chats/{AIGERIM}/press", {"message_id": 424242, "button": 0}, 404),
        (f"/api/chats/{AIGERIM}/press", {"message_id": "1", "button": 0}, 400),
        (f"/api/chats/{AIGERIM}/press", {"message_id": True, "button": 0}, 400),
        (f"/api/chats/{AIGERIM}/location", {"place": 2}, 400),
        (f"/api/chats/{AIGERIM}/location", {"place": -1}, 400),
        (f"/api/chats/{AIGERIM}/location", {"place": 0.5}, 400),
        (f"/api/chats/{AIGERIM}/photo", {"caption": {"a": 1}}, 400),
        (f"/api/chats/{AIGERIM}/photo", {"caption": "x" * 2000}, 400),
    ],
)
async def test_bad_input_gets_a_short_json_error(
    server: FakeBotAPI, http: aiohttp.ClientSession, path: str, body: Any, status: int
) -> None:
    error = await post(http, path, body, status=status)
    assert set(error) == {"error"} and "Traceback" not in error["error"]
    assert server.pending_updates == []


async def test_bad_buttons_and_messages_are_refused(
    server: FakeBotAPI, http: aiohttp.ClientSession, bot: Bot, aigerim: FakeUser
) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Go", callback_data="go"),
                InlineKeyboardButton("Site", url="https://example.org"),
            ]
        ]
    )
    sent = await bot.send_message(AIGERIM, "Buttons", reply_markup=keyboard)
    plain = await bot.send_message(AIGERIM, "No buttons")
    own = await aigerim.send("mine")
    server.state.updates.clear()
    path = f"/api/chats/{AIGERIM}/press"
    for body, status in [
        ({"message_id": sent.message_id, "button": 5}, 404),
        ({"message_id": sent.message_id, "button": "nope"}, 404),
        ({"message_id": sent.message_id, "button": None}, 400),
        ({"message_id": sent.message_id, "button": 1}, 400),  # a link: the page opens it
        ({"message_id": plain.message_id, "button": 0}, 400),
        ({"message_id": own.message_id, "button": 0}, 404),
    ]:
        assert "error" in await post(http, path, body, status=status)
    # Another person's message is not in this chat.
    assert "error" in await post(
        http, f"/api/chats/{DANIYAR}/press", {"message_id": sent.message_id, "button": 0}, 404
    )
    assert server.pending_updates == []


async def test_unknown_files_routes_and_bad_json_answer_json(
    webchat: WebChat, http: aiohttp.ClientSession
) -> None:
    async with http.get("/files/fake-document-99/x.txt") as response:
        assert response.status == 404 and "error" in await response.json()
    async with http.get("/api/nothing") as response:
        assert response.status == 404 and "error" in await response.json()
    async with http.get("/api/chats/999") as response:
        assert response.status == 404 and "error" in await response.json()
    headers = {"Content-Type": "application/json"}
    async with http.post(f"/api/chats/{AIGERIM}/text", data=b"{oops", headers=headers) as response:
        assert response.status == 400 and "error" in await response.json()


async def test_foreign_sites_cannot_drive_the_chat(
    server: FakeBotAPI, webchat: WebChat, http: aiohttp.ClientSession
) -> None:
    path = f"/api/chats/{AIGERIM}/text"
    async with http.post(path, data="text=hi", headers={"Content-Type": "text/plain"}) as response:
        assert response.status == 415  # a plain form post needs no CORS preflight: refused
    evil = {"Origin": "http://evil.example"}
    async with http.post(path, json={"text": "hi"}, headers=evil) as response:
        assert response.status == 403
    async with http.get("/api/people", headers={"Host": "evil.example:8080"}) as response:
        assert response.status == 403  # DNS rebinding
    assert server.pending_updates == []


# -- the page -----------------------------------------------------------------------------------
async def test_page_is_marked_practice_and_loads_nothing_from_outside(
    http: aiohttp.ClientSession,
) -> None:
    async with http.get("/") as response:
        page = await response.text()
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert 'id="banner"' in page and '<strong class="banner-label">PRACTICE</strong>' in page
    assert "not real Telegram, no real alerts" in page and 'data-label="PRACTICE"' in page
    assert re.search(r'<p id="read-only" [^>]*hidden>Channel: only the bot posts here\.</p>', page)
    # The notice for when practice stops is in the page from the start, hidden.
    assert re.search(r'<div id="stopped" [^>]*hidden>Practice has stopped\.', page)
    for name in ("index.html", "app.js", "style.css"):
        text = (WEB_DIR / name).read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/|<!--.*?-->", "", text, flags=re.DOTALL)
        for external in ("http://", "https://", "//cdn", "@import", "fonts.googleapis"):
            assert external not in code, f"{name} references {external}"
    for name in ("app.js", "style.css", "sample-photo.jpg"):
        async with http.get(f"/static/{name}") as response:
            assert response.status == 200
    assert len(SAMPLE_PHOTO.read_bytes()) <= 40 * 1024
    script = (WEB_DIR / "app.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "eval(" not in script
    assert "practice-mark" in script


async def test_label_and_title_are_escaped(server: FakeBotAPI, aigerim: FakeUser) -> None:
    chat = WebChat(server, [Person(aigerim, "Admin")], label="<b>DRILL</b>", title="A & B")
    url = await chat.start(port=0)
    try:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            page = await response.text()
    finally:
        await chat.stop()
    assert "&lt;b&gt;DRILL&lt;/b&gt;" in page and "<b>DRILL" not in page
    assert "A &amp; B" in page


async def test_page_texts_and_language_can_be_replaced_and_are_escaped(
    server: FakeBotAPI, aigerim: FakeUser
) -> None:
    texts = {
        "send": "Жіберу",
        "banner": "<b>жаттығу</b> & тек",
        "unread": "{count} оқылмаған",
        "stopped": "Жаттығу <i>тоқтады</i>",
        "photo_caption": "Жазба: {caption}",
        "external_link": "Нақты сайт <ашылады>",
        "channel_readonly": "Арна: <b>тек бот</b> & жазады.",
    }
    with pytest.raises(ValueError, match="unknown page texts"):
        WebChat(server, [Person(aigerim, "Үйлестіруші")], texts={"sned": "typo"})
    chat = WebChat(server, [Person(aigerim, "Үйлестіруші")], texts=texts, language="kk")
    await chat.start(port=0)
    try:
        async with aiohttp.ClientSession(base_url=chat.url) as session:
            page = await (await session.get("/")).text()
            info = await get_json(session, "/api/people")
    finally:
        await chat.stop()
    assert '<html lang="kk">' in page
    assert 'class="send">Жіберу</button>' in page
    assert "&lt;b&gt;жаттығу&lt;/b&gt; &amp; тек" in page and "<b>жаттығу" not in page
    assert "Жаттығу &lt;i&gt;тоқтады&lt;/i&gt;" in page and "<i>" not in page
    assert "{{" not in page  # every placeholder filled
    assert re.search(
        r'<p id="read-only" [^>]*hidden>Арна: &lt;b&gt;тек бот&lt;/b&gt; &amp; жазады\.</p>', page
    )
    assert info["language"] == "kk"
    assert info["texts"]["unread"] == "{count} оқылмаған"
    # The script puts these in as text (textContent, title), never as HTML.
    assert info["texts"]["photo_caption"] == "Жазба: {caption}"
    assert info["texts"]["external_link"] == "Нақты сайт <ашылады>"
    assert info["texts"]["photo"] == "Photo"  # the rest stay English
    assert info["texts"]["channel_empty"] == "No posts yet. The bot's alerts appear here."
    assert info["channels"] == []


# -- start-up -----------------------------------------------------------------------------------
async def test_page_and_people_work_before_the_fake_server_starts() -> None:
    """Practice opens the page's port first; the fake Telegram and the bot come up later."""
    fake = FakeBotAPI(bot_username="dabyl_test_bot", schema=bot_api_schema())
    aigerim = fake.user(AIGERIM, "Aigerim", last_name="Nurlanovna")
    chat = WebChat(fake, [Person(aigerim, "Admin")])
    await chat.start(port=0)
    try:
        async with aiohttp.ClientSession(base_url=chat.url) as session:
            async with session.get("/") as response:
                assert response.status == 200 and 'id="banner"' in await response.text()
            info = await get_json(session, "/api/people")
            assert [person["name"] for person in info["people"]] == ["Aigerim Nurlanovna"]
            assert info["session"]
            assert await get_json(session, f"/api/chats/{AIGERIM}") == {
                "messages": [],
                "reply_keyboard": None,
            }
            await fake.start()
            try:
                await post(session, f"/api/chats/{AIGERIM}/text", {"text": "/start"})
                assert fake.pending_updates[-1]["message"]["text"] == "/start"
            finally:
                await fake.stop()
    finally:
        await chat.stop()


async def test_a_busy_port_raises_and_leaves_nothing_open(
    server: FakeBotAPI, aigerim: FakeUser
) -> None:
    blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    port = blocker.getsockname()[1]
    chat = WebChat(server, [Person(aigerim, "Admin")])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with pytest.raises(OSError, match="in use") as raised:
                await chat.start(port=port)
            assert raised.value.errno == errno.EADDRINUSE
            gc.collect()  # an unclosed socket would warn here
        finally:
            blocker.close()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    assert server.state.listeners == []
    assert await chat.start(port=port) == f"http://127.0.0.1:{port}"  # free again: it starts
    await chat.stop()


# -- in a browser -------------------------------------------------------------------------------
# With Aigerim, practice's seven people (bot/practice.py PEOPLE); the channel makes eight tabs.
SIX_MORE = [
    ("Daniyar", "Coordinator"),
    ("Zhanar", "Member"),
    ("Yerlan", "Member"),
    ("Madina", "Subscriber"),
    ("Timur", "Subscriber"),
    ("Saule", "Subscriber"),
]


async def test_alert_channel_tab_is_read_only_and_eight_tabs_fit_a_small_phone(
    server: FakeBotAPI,
    bot: Bot,
    aigerim: FakeUser,
    alerts: FakeChannel,
    browser: Browser,
    output_dir: Path,
) -> None:
    """Seven people and the alert channel on a 360 px screen: every tab on it, none scrolls;
    the channel shows the bot's posts with a note instead of the composer."""
    people = [Person(aigerim, "Admin")]
    people += [Person(server.user(7100 + i, name), role) for i, (name, role) in enumerate(SIX_MORE)]
    chat = WebChat(server, people, channels=[Channel(alerts, "Alerts")])
    await chat.start(port=0)
    try:
        context = await browser.new_context(viewport=SMALL_PHONE, device_scale_factor=2)
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(chat.url)
        await expect(page.locator("#status")).to_have_attribute("data-state", "open")

        tabs = page.locator("[role=tab]")
        await expect(tabs).to_have_count(8)
        channel_tab = page.locator(f'[role=tab][data-person="{ALERTS}"]')
        await expect(tabs.last).to_have_attribute("data-kind", "channel")
        await expect(channel_tab).to_have_accessible_name("Alerts: Almaty alerts")
        await expect(channel_tab.locator(".role")).to_have_text("channel")
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("I can help", callback_data="alert:help:1")],
                [InlineKeyboardButton("Guide", url="https://example.org/guide")],
            ]
        )
        await bot.send_message(
            ALERTS,
            "<b>Detained:</b> Nurlan Bekov\nWhere: Astana Square, Almaty",
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
        )
        await expect(channel_tab.locator(".badge")).to_have_text("1")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= SMALL_PHONE["width"]
        for box in [await tabs.nth(i).bounding_box() for i in range(8)]:
            assert box is not None and box["x"] >= 0
            assert box["x"] + box["width"] <= SMALL_PHONE["width"]
        await expect(page.locator("#compose")).to_be_visible()
        await page.screenshot(path=output_dir / "person-tab.png")

        await channel_tab.click()
        await expect(channel_tab).to_have_attribute("aria-selected", "true")
        post = page.locator("#chat .msg.bot.post", has_text="Nurlan Bekov")
        await expect(post.locator(".practice-mark")).to_have_text("PRACTICE")
        await expect(post.locator(".author")).to_have_text("Almaty alerts")
        await expect(post.locator("button.inline-button")).to_be_disabled()
        await expect(post.locator("a.inline-button.external")).to_be_visible()
        await expect(page.locator("#compose")).to_be_hidden()
        await expect(page.locator("#read-only")).to_have_text("Channel: only the bot posts here.")
        await page.screenshot(path=output_dir / "alert-channel-tab.png")

        await tabs.first.click()  # back to a person: the composer returns
        await expect(page.locator("#compose")).to_be_visible()
        await expect(page.locator("#read-only")).to_be_hidden()
        await context.close()
        assert errors == []
    finally:
        await chat.stop()
    assert server.pending_updates == []  # the channel tab sent nothing

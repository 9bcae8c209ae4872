"""A phone-like web chat for the simulated people of a :class:`FakeBotAPI` (practice mode).

``dabyl practice`` runs the fake server and the real bot, then serves this page on 127.0.0.1;
each practice person gets a tab and talks to the bot through the same :class:`FakeUser`
methods the tests use, so the bot receives exactly the updates Telegram would send. Channels
the bot posts to (the network's alert channel) get a read-only tab after the people's: what
the public channel would show, with nothing to type and no button to press.

Example::

    chat = WebChat(server, [Person(server.user(5001, "Aigerim"), "Admin")],
                   places=[Place("Court No. 2", 43.2389, 76.8897)],
                   channels=[Channel(server.channel(-1001234567890, "Almaty alerts"), "Alerts")])
    url = await chat.start()  # http://127.0.0.1:8080
    ...
    await chat.stop()

HTTP API (JSON; errors are ``{"error": "..."}`` with a 4xx status, never a traceback):

- ``GET /`` the page; ``GET /static/{app.js,style.css,sample-photo.jpg}``.
- ``GET /api/people`` → ``{"session", "label", "title", "time_zone", "language", "texts",
  "places": [{"index", "name", "latitude", "longitude"}], "people": [{"id", "name",
  "first_name", "role", "language_code"}], "channels": [{"id", "title", "caption"}]}``;
  ``session`` is new on every ``start()`` (the page reloads everything when it changes: a
  restarted practice is a fresh world). Channel ids are negative (``-100…``).
- ``GET /api/chats/{chat_id}`` (a person's user id or a channel's id) →
  ``{"messages": [view...], "reply_keyboard": null |
  {"message_id", "rows": [[{"index", "text", "request_location", "request_contact"}]],
  "placeholder"}}``; a view is ``{"message_id", "from_bot", "date", "edited", "text",
  "entities", "buttons": [[{"index", "text", "kind": "callback"|"url"|"unsupported",
  "callback_data"?, "url"?}]], "media": null | {"type": "photo"|"document"|..., "url",
  "file_name", "size", "mime_type"} | {"type": "location", "latitude", "longitude", "place"}
  | {"type": "contact", ...}, "reply_to": null | {"message_id", "text"}}``. A channel's
  ``reply_keyboard`` is always null (channels have none); its callback buttons are listed
  as sent, but nobody can press them here.
- ``POST /api/chats/{user_id}/text`` ``{"text"}`` → ``{"ok": true, "message_id"}``.
- ``POST /api/chats/{user_id}/press`` ``{"message_id", "button": index | callback_data}`` →
  ``{"ok": true, "callback_query_id"}`` (inline) or ``{"ok": true, "message_id"}`` (reply
  keyboard: the button's text is sent; ``request_location`` buttons answer 400, use /location).
- ``POST /api/chats/{user_id}/location`` ``{"place": index}``; ``/photo`` ``{"caption"?}``
  (the bundled sample photo).
- Every POST to a channel (``/api/chats/{channel_id}/...``) answers 403 ``{"error": "the
  channel is read-only: only the bot posts there"}`` and queues nothing.
- ``GET /files/{file_id}/{name}`` the stored bytes (photos inline, anything else as a download).
- ``GET /events`` server-sent events, one JSON object per ``data:`` line:
  ``{"type": "chat", "person", "added": [ids], "added_from_bot": n, "edited": [ids],
  "deleted": [ids]}`` (``person`` is the chat's id: a user's, or a channel's for its posts),
  ``{"type": "answer", "person", "text", "show_alert"}`` (the bot answered a button press
  with text) and ``{"type": "resync"}`` (events were dropped: re-fetch).

POSTs must be ``Content-Type: application/json`` and, when bound to loopback, the ``Host`` (and
any ``Origin``) must name the loopback address: another web site cannot drive the page (CSRF,
DNS rebinding).

Stable page selectors (for browser tests):

- ``#banner`` the sticky "PRACTICE — not real Telegram" banner; ``.practice-mark`` on every
  bubble; ``body[data-label]`` the label.
- ``#stopped`` the notice shown (and ``body[data-stopped]`` set, the composer disabled) once
  the server is unreachable after the page was live; it goes when the event stream reopens.
- ``[role=tab][data-person="<user id>"]`` tabs (accessible name "Role: Full Name",
  ``aria-selected``), ``.badge`` unread count inside a tab; all tabs fit on the screen
  (compact pills in rows, no sideways scrolling; eight fit a 360 px wide phone).
- ``[role=tab][data-person="<channel id>"]`` a channel's tab, after the people's, also
  ``.channel-tab`` with ``data-kind="channel"`` (people's tabs have ``data-kind="person"``):
  the caption, the ``channel_tab`` word small below it (where a person's role is), accessible
  name "Caption: Title" (``title`` too), ``.badge`` as for people. While it is
  shown, ``body[data-read-only]`` is set, ``#read-only`` (the ``channel_readonly`` text)
  replaces ``#compose`` and ``#reply-keyboard``, and ``.inline-button``s that are not links
  are disabled; channel bubbles are ``.msg.bot.post`` (``.msg.post`` for posts not by the
  bot) with the channel's title as ``.author``; an empty channel says ``channel_empty``.
- ``#chat`` the message list; ``.msg.bot`` / ``.msg.me`` bubbles with
  ``data-message-id``; inside: ``.text``, ``.time``, ``.edited``, ``img.photo``,
  ``a.document`` (file name + size), ``.location``, ``.inline-button`` (``data-index``);
  a bot message with an inline keyboard (``.msg.with-keyboard``) spans the chat's width;
  links to the real internet are ``a.external`` (marked ↗, with a warning ``title``).
- ``#reply-keyboard`` with ``.reply-button`` (``data-index``).
- ``#composer`` textarea (Enter sends, Shift+Enter newline), ``#send``, ``#attach`` opens
  ``#attach-menu`` with ``[data-action=location]`` / ``[data-action=photo]``; the place picker
  ``#places`` lists ``.place-button`` (``data-place`` = index). The photo item shows the
  composer's text as ``.caption-hint``: it is sent as the photo's caption.
- ``.toast`` button answers and errors (``.toast.alert`` for ``show_alert``); ``#status``
  the live-update connection state (``data-state="open"`` when connected).
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import json
import logging
import re
import secrets
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from .chatview import (
    ChangeTracker,
    Place,
    chat_view,
    inline_buttons,
    reply_keyboard_buttons,
)
from .people import FakeChannel, FakeUser
from .server import FakeBotAPI
from .state import SentMessage, StoredFile

__all__ = ["SAMPLE_PHOTO", "WEB_DIR", "Channel", "Person", "Place", "WebChat"]

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).parent / "web"
SAMPLE_PHOTO = WEB_DIR / "sample-photo.jpg"

_MAX_TEXT = 4096
_MAX_CAPTION = 1024
_MAX_CALLBACK_DATA = 64
_MAX_BODY = 64 * 1024
_QUEUE_SIZE = 500
_PING_SECONDS = 15.0
_INLINE_IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_CHAT_ID = re.compile(r"-?[0-9]{1,18}")
_MIME = re.compile(r"^[\w.+-]+/[\w.+-]+$")
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_SHUTDOWN = None  # queued to every event stream by stop()
_PLACEHOLDER = re.compile(r"\{\{([a-z_.]+)\}\}")
# The page's own words (English); WebChat(texts=...) replaces any of them, e.g. translated.
PAGE_TEXTS = {
    "banner": "not real Telegram, no real alerts",
    "connecting": "connecting…",
    "live": "live",
    "reconnecting": "reconnecting…",
    "people": "Practice people",
    "messages": "Messages",
    "share_location": "Share a location",
    "cancel": "Cancel",
    "keyboard": "Keyboard",
    "attach": "Attach",
    "location_menu": "Location…",
    "photo": "Photo",
    "location": "Location",
    "message": "Message",
    "send": "Send",
    "noscript": "The practice chat needs JavaScript.",
    "spoiler": "Spoiler, press to reveal",
    "you": "You",
    "bot": "Bot",
    "edited": "edited",
    "unread": "{count} unread",
    "empty": "No messages yet. Try /start.",
    "no_contact": "Sharing a contact is not available in practice.",
    "no_places": "No practice places are set up.",
    "load_failed": "Could not load the chat: {error}",
    "send_failed": "Could not send: {error}",
    "stopped": "Practice has stopped. Start it again (make run); this page reconnects by itself.",
    "photo_caption": "Caption: {caption}",
    "external_link": "Opens a real web site outside practice",
    "channel_tab": "channel",
    "channel_readonly": "Channel: only the bot posts here.",
    "channel_empty": "No posts yet. The bot's alerts appear here.",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Person:
    """A practice person: a simulated user and the caption of their tab (e.g. "Coordinator")."""

    user: FakeUser
    role: str


@dataclass(frozen=True)
class Channel:
    """A channel the bot posts to, shown read-only, and its tab's caption ("Alerts channel")."""

    chat: FakeChannel
    caption: str


class ClientError(Exception):
    """A bad request from the page: answered as ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class WebChat:
    """Serves the practice web chat for ``people`` of ``server``; see the module docstring."""

    def __init__(
        self,
        server: FakeBotAPI,
        people: Sequence[Person],
        *,
        label: str = "PRACTICE",
        places: Sequence[Place] = (),
        photo: Path = SAMPLE_PHOTO,
        title: str = "Dabyl practice",
        time_zone: str | None = None,
        texts: Mapping[str, str] | None = None,
        language: str = "en",
        channels: Sequence[Channel] = (),
    ) -> None:
        self._server = server
        self._people = {person.user.id: person for person in people}
        self._channels = {channel.chat.id: channel for channel in channels}
        if self._channels.keys() & self._people.keys():
            raise ValueError("a channel has the id of a practice person")
        self.label = label
        self.title = title
        # IANA name the page shows times in (the bot's own zone), 24-hour; None: the browser's.
        self.time_zone = time_zone
        self.places = tuple(places)
        self._photo = photo.read_bytes()
        unknown = set(texts or {}) - set(PAGE_TEXTS)
        if unknown:
            raise ValueError(f"unknown page texts: {sorted(unknown)}")
        # The page's own words, e.g. translated by the caller; the defaults are English.
        self.texts = {**PAGE_TEXTS, **(texts or {})}
        self.language = language
        self._page = _render_page(label, title, self.texts, language)
        self._tracker = ChangeTracker()
        self._answers_seen = 0
        self._streams: set[asyncio.Queue[dict[str, Any] | None]] = set()
        self._runner: web.AppRunner | None = None
        self._allowed_hosts: frozenset[str] | None = None
        self._session = ""
        self.url = ""

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 8080) -> str:
        """Start serving on ``host:port`` (``port=0`` picks a free one); return the URL.

        The fake server need not be running yet: the page and ``/api/people`` work from the
        start (chats are empty until the bot writes), so the caller may open the port first
        and fail early. A busy port raises the ``OSError`` from ``bind`` unchanged
        (``errno.EADDRINUSE``), with nothing left open.
        """
        if self._runner is not None:
            raise RuntimeError("WebChat is already running")
        sock = _bound_socket(host, port)
        app = web.Application(middlewares=[self._guard], client_max_size=_MAX_BODY)
        self._add_routes(app)
        app.on_response_prepare.append(_security_headers)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        try:
            await runner.setup()
            await web.SockSite(runner, sock).start()
        except BaseException:
            await runner.cleanup()
            sock.close()
            raise
        self._runner = runner
        port = sock.getsockname()[1]
        self._allowed_hosts = _loopback_hosts(host, port)
        # A new world for the page: it reloads everything when this changes under it.
        self._session = secrets.token_hex(8)
        self._observe()  # what is already in the chats is not news
        self._server.state.listeners.append(self._observe)
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        """Close every event stream and stop serving."""
        if self._observe in self._server.state.listeners:
            self._server.state.listeners.remove(self._observe)
        for queue in self._streams:
            _put(queue, _SHUTDOWN)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_get("/", self._index)
        app.router.add_get("/favicon.ico", _no_content)  # browsers ask; none is needed
        app.router.add_static("/static/", WEB_DIR, show_index=False, follow_symlinks=False)
        app.router.add_get("/api/people", self._people_list)
        app.router.add_get("/api/chats/{chat_id}", self._chat)
        app.router.add_post("/api/chats/{chat_id}/text", self._send_text)
        app.router.add_post("/api/chats/{chat_id}/press", self._press)
        app.router.add_post("/api/chats/{chat_id}/location", self._send_location)
        app.router.add_post("/api/chats/{chat_id}/photo", self._send_photo)
        app.router.add_get("/files/{file_id}/{name}", self._file)
        app.router.add_get("/events", self._events)

    # -- request guard -------------------------------------------------------------------
    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse foreign hosts and origins; turn every error into a short JSON answer."""
        try:
            self._check_origin(request)
            return await handler(request)
        except ClientError as error:
            return web.json_response({"error": error.message}, status=error.status)
        except web.HTTPException as error:
            if error.status < 400:
                raise
            return web.json_response({"error": error.reason}, status=error.status)
        except Exception:  # the HTTP boundary: log it, answer without a traceback
            log.exception("web chat: %s %s failed", request.method, request.path)
            return web.json_response({"error": "internal error"}, status=500)

    def _check_origin(self, request: web.Request) -> None:
        allowed = self._allowed_hosts
        if allowed is None:
            return
        if request.host not in allowed:
            raise ClientError(403, "unknown host")
        origin = request.headers.get("Origin")
        if origin is not None and origin.split("://", 1)[-1] not in allowed:
            raise ClientError(403, "cross-origin request")
        if request.method == "POST" and request.content_type != "application/json":
            raise ClientError(415, "send JSON")

    # -- pages ---------------------------------------------------------------------------
    async def _index(self, request: web.Request) -> web.Response:
        return web.Response(text=self._page, content_type="text/html", charset="utf-8")

    async def _people_list(self, request: web.Request) -> web.Response:
        people = [
            {
                "id": person.user.id,
                "name": _full_name(person.user),
                "first_name": person.user.user["first_name"],
                "role": person.role,
                "language_code": person.user.user.get("language_code"),
            }
            for person in self._people.values()
        ]
        places = [
            {"index": i, "name": p.name, "latitude": p.latitude, "longitude": p.longitude}
            for i, p in enumerate(self.places)
        ]
        body = {
            "session": self._session,
            "label": self.label,
            "title": self.title,
            "time_zone": self.time_zone,
            "language": self.language,
            "texts": self.texts,
            "places": places,
            "people": people,
            "channels": [
                {"id": chat_id, "title": channel.chat.chat["title"], "caption": channel.caption}
                for chat_id, channel in self._channels.items()
            ],
        }
        return web.json_response(body)

    async def _chat(self, request: web.Request) -> web.Response:
        chat_id = _chat_id(request)
        if chat_id in self._channels:
            history = self._channels[chat_id].chat.history
            view = chat_view(history, self._server.state.files, self.places)
            view["reply_keyboard"] = None  # Telegram shows no reply keyboard in a channel
        else:
            person = self._person(request)
            view = chat_view(person.user.history, self._server.state.files, self.places)
        return web.json_response(view)

    async def _file(self, request: web.Request) -> web.Response:
        stored = self._server.state.files.get(request.match_info["file_id"])
        if stored is None:
            raise ClientError(404, "no such file")
        return _file_response(stored)

    # -- actions -------------------------------------------------------------------------
    async def _send_text(self, request: web.Request) -> web.Response:
        person = self._person(request)
        body = await _json_body(request)
        text = _string(body, "text", _MAX_TEXT).strip()
        if not text:
            raise ClientError(400, "text is empty")
        message = await person.user.send(text)
        return web.json_response({"ok": True, "message_id": message.message_id})

    async def _press(self, request: web.Request) -> web.Response:
        person = self._person(request)
        body = await _json_body(request)
        message = self._bot_message(person, _integer(body, "message_id", 1, 2**31))
        choice = body.get("button")
        inline = inline_buttons(message)
        if inline:
            data = _callback_data(_pick(inline, choice))
            query_id = await person.user.press(message, data)
            return web.json_response({"ok": True, "callback_query_id": query_id})
        keyboard = reply_keyboard_buttons(message)
        if not keyboard:
            raise ClientError(400, "the message has no buttons")
        button = _pick(keyboard, choice)
        if button.get("request_location") or button.get("request_contact"):
            raise ClientError(400, "this button shares a location or contact: use /location")
        sent = await person.user.send(str(button.get("text", "")))
        return web.json_response({"ok": True, "message_id": sent.message_id})

    async def _send_location(self, request: web.Request) -> web.Response:
        person = self._person(request)
        body = await _json_body(request)
        if not self.places:
            raise ClientError(400, "no places are set up")
        place = self.places[_integer(body, "place", 0, len(self.places) - 1)]
        message = await person.user.send_location(place.latitude, place.longitude)
        return web.json_response({"ok": True, "message_id": message.message_id})

    async def _send_photo(self, request: web.Request) -> web.Response:
        person = self._person(request)
        body = await _json_body(request)
        caption = body.get("caption")
        if caption is not None:
            caption = _string(body, "caption", _MAX_CAPTION).strip() or None
        message = await person.user.send_photo(self._photo, caption=caption)
        return web.json_response({"ok": True, "message_id": message.message_id})

    def _person(self, request: web.Request) -> Person:
        """The practice person the request's chat belongs to; a channel is read-only."""
        chat_id = _chat_id(request)
        if chat_id in self._channels:
            raise ClientError(403, "the channel is read-only: only the bot posts there")
        person = self._people.get(chat_id) if chat_id is not None else None
        if person is None:
            raise ClientError(404, "no such person")
        return person

    def _bot_message(self, person: Person, message_id: int) -> SentMessage:
        message = person.user.record.messages.get(message_id)
        if message is None or message.deleted or not message.from_bot:
            raise ClientError(404, "no such bot message")
        return message

    # -- live events ---------------------------------------------------------------------
    def _observe(self) -> None:
        """State listener: queue an event for every chat change and new button answer."""
        # With nobody listening this only moves the baseline: a page re-fetches on connect.
        for event in self._events_since_last_look():
            for queue in list(self._streams):
                _put(queue, event)

    def _events_since_last_look(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        chats = [person.user for person in self._people.values()]
        chats += [channel.chat for channel in self._channels.values()]
        for chat in chats:
            change = self._tracker.diff(chat.id, chat.record.messages.values())
            if change:
                events.append({"type": "chat", "person": chat.id, **vars(change)})
        answers = list(self._server.state.callback_answers.values())[self._answers_seen :]
        self._answers_seen += len(answers)
        for answer in answers:
            user_id, _ = self._server.state.callbacks[answer.callback_query_id]
            if answer.text and user_id in self._people:
                events.append(
                    {
                        "type": "answer",
                        "person": user_id,
                        "text": answer.text,
                        "show_alert": answer.show_alert,
                    }
                )
        return events

    async def _events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(_QUEUE_SIZE)
        self._streams.add(queue)
        try:
            await response.write(b"retry: 1000\n: connected\n\n")
            while (event := await _next_event(queue)) is not _SHUTDOWN:
                chunk = b": ping\n\n" if event == {} else _sse(event)
                await response.write(chunk)
        except ConnectionResetError:
            pass  # the page went away
        finally:
            self._streams.discard(queue)
        return response


# -- helpers -----------------------------------------------------------------------------
def _chat_id(request: web.Request) -> int | None:
    """The ``{chat_id}`` of the path as a number, ``None`` if it is not one."""
    raw = request.match_info["chat_id"]
    return int(raw) if _CHAT_ID.fullmatch(raw) else None


def _full_name(user: FakeUser) -> str:
    return " ".join(filter(None, (user.user["first_name"], user.user.get("last_name"))))


def _bound_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``; closed again if ``bind`` fails (its error raised)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _render_page(label: str, title: str, texts: Mapping[str, str], language: str) -> str:
    """index.html with the label, title, language and page texts filled in (escaped)."""
    page = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    values = {"label": label, "title": title, "lang": language}
    values.update({f"t.{key}": text for key, text in texts.items()})
    return _PLACEHOLDER.sub(lambda match: html.escape(values[match.group(1)]), page)


def _loopback_hosts(host: str, port: int) -> frozenset[str] | None:
    """``Host`` values accepted when bound to loopback; ``None`` (no check) otherwise."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        return None
    names = {host, "localhost", "127.0.0.1", "[::1]"}
    return frozenset(f"{name}:{port}" for name in names)


async def _json_body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object (unknown fields are ignored by the callers)."""
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ClientError(400, "body is not valid JSON") from error
    if not isinstance(body, dict):
        raise ClientError(400, "body must be a JSON object")
    return body


def _string(body: dict[str, Any], key: str, max_length: int) -> str:
    value = body.get(key)
    if not isinstance(value, str):
        raise ClientError(400, f"{key} must be a string")
    if len(value) > max_length:
        raise ClientError(400, f"{key} is longer than {max_length} characters")
    return value


def _integer(body: dict[str, Any], key: str, low: int, high: int) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClientError(400, f"{key} must be an integer")
    if not low <= value <= high:
        raise ClientError(400, f"{key} is out of range")
    return value


def _pick(buttons: list[dict[str, Any]], choice: Any) -> dict[str, Any]:
    """The button at index ``choice``, or the one whose callback data is ``choice``."""
    if isinstance(choice, int) and not isinstance(choice, bool):
        if 0 <= choice < len(buttons):
            return buttons[choice]
    elif isinstance(choice, str) and 0 < len(choice) <= _MAX_CALLBACK_DATA:
        for button in buttons:
            if button.get("callback_data") == choice:
                return button
    else:
        raise ClientError(400, "button must be an index or callback data")
    raise ClientError(404, "no such button")


def _callback_data(button: dict[str, Any]) -> str:
    data = button.get("callback_data")
    if not isinstance(data, str):
        raise ClientError(400, "not a callback button (open its link instead)")
    return data


def _file_response(stored: StoredFile) -> web.Response:
    """Photos inline (known image types only); everything else as a download."""
    mime = stored.mime_type if _MIME.match(stored.mime_type or "") else ""
    inline = stored.file_path.startswith("photos/") and mime in _INLINE_IMAGES
    name = stored.file_name.rsplit("/", 1)[-1] or "file"
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", name)
    disposition = "inline" if inline else "attachment"
    headers = {
        "Content-Disposition": (
            f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
        ),
        "Content-Security-Policy": "sandbox",
        "Cache-Control": "no-store",
    }
    return web.Response(
        body=stored.content, content_type=mime or "application/octet-stream", headers=headers
    )


async def _no_content(request: web.Request) -> web.Response:
    return web.Response(status=204)


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")


async def _next_event(queue: asyncio.Queue[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The next queued event, ``{}`` for a keep-alive ping after a quiet while."""
    try:
        async with asyncio.timeout(_PING_SECONDS):
            return await queue.get()
    except TimeoutError:
        return {}


def _put(queue: asyncio.Queue[dict[str, Any] | None], event: dict[str, Any] | None) -> None:
    """Queue ``event``; a stream too slow to keep up gets one ``resync`` instead."""
    try:
        queue.put_nowait(event)
    except asyncio.QueueFull:
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(event if event is _SHUTDOWN else {"type": "resync"})


def _sse(event: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode()

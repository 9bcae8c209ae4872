"""In-memory Telegram world shared by the HTTP layer, the method handlers and simulated people."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .schema import BotAPISchema

__all__ = [
    "ApiError",
    "BotState",
    "CallbackAnswer",
    "ChatRecord",
    "SentMessage",
    "StoredFile",
    "unix_now",
]


def unix_now() -> int:
    """Current Unix time (from a timezone-aware datetime)."""
    return int(datetime.now(UTC).timestamp())


class ApiError(Exception):
    """A Telegram-style error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """Return the JSON body Telegram would send."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class StoredFile:
    """A file known to the fake server (uploaded by the bot or sent by a simulated user)."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str
    mime_type: str
    file_path: str

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.content)


@dataclass(frozen=True)
class CallbackAnswer:
    """The bot's ``answerCallbackQuery`` call for a button press."""

    callback_query_id: str
    text: str | None = None
    show_alert: bool = False
    url: str | None = None


class SentMessage:
    """A message in a chat, sent by the bot or by a simulated person.

    ``raw`` is the live Telegram ``Message`` dict: edits update it in place, so ``.text``
    always shows the latest version.
    """

    def __init__(
        self,
        raw: dict[str, Any],
        *,
        from_bot: bool,
        method: str | None = None,
        params: dict[str, Any] | None = None,
        file: StoredFile | None = None,
        markup: dict[str, Any] | None = None,
    ) -> None:
        self.raw = raw
        self.from_bot = from_bot
        self.method = method
        self.params: dict[str, Any] = params or {}
        self.file = file
        self.markup = markup if markup is not None else raw.get("reply_markup")
        self.history: list[str | None] = []
        self.deleted = False
        self.edits_seen = 0  # edits already awaited by ``expect_edit``
        self.update_id: int | None = None  # for a person's message: the update that carried it

    @property
    def message_id(self) -> int:
        """Message id, unique within the chat."""
        return int(self.raw["message_id"])

    @property
    def chat_id(self) -> int:
        """Id of the chat the message is in."""
        return int(self.raw["chat"]["id"])

    @property
    def text(self) -> str | None:
        """Latest text (or caption for media messages)."""
        return self.raw.get("text", self.raw.get("caption"))

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        """Latest reply markup as sent by the bot (inline or reply keyboard), if any."""
        return self.markup

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Flat list of ``(text, callback_data or url)``; reply-keyboard buttons give ``None``."""
        markup = self.markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        flat: list[tuple[str, str | None]] = []
        for row in rows:
            for button in row:
                if isinstance(button, str):
                    flat.append((button, None))
                else:
                    flat.append((button["text"], button.get("callback_data", button.get("url"))))
        return flat

    def button(self, label: str) -> dict[str, Any]:
        """Return the button whose text or callback data is ``label`` (reply-keyboard buttons
        given as plain strings come back as ``{"text": ...}``)."""
        markup = self.markup or {}
        for row in markup.get("inline_keyboard") or markup.get("keyboard") or []:
            for button in row:
                found = {"text": button} if isinstance(button, str) else button
                if label in (found["text"], found.get("callback_data")):
                    return found
        raise AssertionError(f"no button {label!r} on {self!r}")

    @property
    def edit_count(self) -> int:
        """How many times the message was edited."""
        return len(self.history)

    @property
    def location(self) -> tuple[float, float] | None:
        """``(latitude, longitude)`` for location messages."""
        loc = self.raw.get("location")
        return (loc["latitude"], loc["longitude"]) if loc else None

    def __repr__(self) -> str:
        who = "bot" if self.from_bot else "user"
        flag = " deleted" if self.deleted else ""
        return f"<SentMessage #{self.message_id} {who}{flag}: {self.text!r} buttons={self.buttons}>"


@dataclass
class ChatRecord:
    """One chat: its ``Chat`` dict and every message in it."""

    chat: dict[str, Any]
    messages: dict[int, SentMessage] = field(default_factory=dict)
    bot_messages: list[SentMessage] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    forbidden: str | None = None  # 403 description while blocked / deactivated
    extra_info: dict[str, Any] = field(default_factory=dict)  # merged into getChat answers
    members: dict[int, dict[str, Any]] = field(default_factory=dict)  # getChatMember overrides
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def id(self) -> int:
        """Chat id."""
        return int(self.chat["id"])

    def next_message_id(self) -> int:
        """Allocate the next message id (shared by both sides, as in Telegram)."""
        return next(self._ids)

    def get(self, message_id: int) -> SentMessage:
        """Return a live message or raise the matching Telegram error."""
        message = self.messages.get(message_id)
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message not found")
        return message


class BotState:
    """Chats, messages, files and the pending update queue, plus one change notifier."""

    def __init__(self, bot_user: dict[str, Any], schema: BotAPISchema | None) -> None:
        self.bot_user = bot_user
        self.schema = schema
        self.schema_errors: list[str] = []
        self.error_log: list[str] = []  # "method: description" of every error answer
        self.chats: dict[int, ChatRecord] = {}
        self.users: dict[int, dict[str, Any]] = {}  # User dicts of simulated people
        self.files: dict[str, StoredFile] = {}
        self.updates: list[dict[str, Any]] = []
        self.delivered_update_ids: list[int] = []
        self.callbacks: dict[str, tuple[int, SentMessage]] = {}  # id -> (user id, message)
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.closing = False
        self.changed = asyncio.Condition()
        # Observers (the practice web chat): called synchronously by every notify(), which the
        # server runs on each request and after each change (send, edit, delete, answer, update).
        self.version = 0
        self.listeners: list[Callable[[], None]] = []
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    # -- notification --------------------------------------------------------------------
    async def notify(self) -> None:
        """Bump :attr:`version`, call the listeners and wake everything waiting on
        :meth:`wait_for`."""
        self.version += 1
        for listener in list(self.listeners):
            listener()
        async with self.changed:
            self.changed.notify_all()

    async def wait_for(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """Wait until ``predicate()`` holds or ``seconds`` elapse; return its final value."""
        async with self.changed:
            try:
                async with asyncio.timeout(seconds):
                    await self.changed.wait_for(predicate)
            except TimeoutError:
                return predicate()
        return True

    # -- chats ---------------------------------------------------------------------------
    def add_chat(self, chat: dict[str, Any]) -> ChatRecord:
        """Register a chat (idempotent: an existing record is updated and returned)."""
        record = self.chats.get(chat["id"])
        if record is None:
            record = self.chats[chat["id"]] = ChatRecord(chat=chat)
        else:
            record.chat.update(chat)
        return record

    def resolve_chat(self, chat_id: int | str) -> ChatRecord:
        """Find a chat by id or ``@username``; unknown chats give 400 "chat not found"."""
        if isinstance(chat_id, str):
            name = chat_id.removeprefix("@").lower()
            for record in self.chats.values():
                if str(record.chat.get("username", "")).lower() == name:
                    return record
            if chat_id.lstrip("-").isdigit():
                chat_id = int(chat_id)
        if isinstance(chat_id, int) and chat_id in self.chats:
            return self.chats[chat_id]
        raise ApiError(400, "Bad Request: chat not found")

    def add_message(
        self,
        record: ChatRecord,
        content: dict[str, Any],
        *,
        sender: dict[str, Any] | None = None,
        from_bot: bool = False,
        **kw: Any,
    ) -> SentMessage:
        """Create a message in ``record`` sent by the bot, by ``sender``, or (neither) as a
        channel post signed by the chat itself."""
        raw: dict[str, Any] = {"message_id": record.next_message_id()}
        if sender is not None:
            raw["from"] = sender
        elif from_bot and record.chat["type"] != "channel":
            raw["from"] = self.bot_user
        else:
            raw["sender_chat"] = record.chat
        raw.update({"date": unix_now(), "chat": record.chat})
        raw.update(content)
        message = SentMessage(raw, from_bot=from_bot, **kw)
        record.messages[message.message_id] = message
        if from_bot:
            record.bot_messages.append(message)
        return message

    # -- files ---------------------------------------------------------------------------
    def store_file(self, content: bytes, file_name: str, mime_type: str, kind: str) -> StoredFile:
        """Keep ``content`` and return its new file record."""
        number = next(self._file_ids)
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"fake-{kind}-{number}",
            file_unique_id=f"uniq{number}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{kind}s/file_{number}.{suffix}",
        )
        self.files[stored.file_id] = stored
        return stored

    # -- updates -------------------------------------------------------------------------
    async def add_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update ``{"update_id": n, kind: payload}`` and wake pollers."""
        update = {"update_id": next(self._update_ids), kind: payload}
        if self.schema is not None:
            problems = self.schema.validate_object("Update", update)
            self.schema_errors.extend(f"fake server built an invalid Update: {p}" for p in problems)
        self.updates.append(update)
        await self.notify()
        return update

    def new_callback_id(self) -> str:
        """Allocate a callback query id."""
        return f"cbq{next(self._callback_ids)}"

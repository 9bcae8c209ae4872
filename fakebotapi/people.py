"""Simulated people and chats: they produce updates and read what the bot sends."""

# The ``expect_*(timeout=...)`` helpers own their deadline on purpose: on expiry they raise an
# AssertionError describing the chat instead of a bare TimeoutError.
# ruff: noqa: ASYNC109

from __future__ import annotations

import copy
import re
from typing import Any

from .state import BotState, CallbackAnswer, ChatRecord, SentMessage, unix_now

__all__ = ["FakeChannel", "FakeChat", "FakeGroup", "FakeUser"]

_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,})?")
BLOCKED = "Forbidden: bot was blocked by the user"
DEACTIVATED = "Forbidden: user is deactivated"


def text_content(text: str) -> dict[str, Any]:
    """``{"text": ...}`` plus a ``bot_command`` entity for a leading ``/command[@bot]``."""
    content: dict[str, Any] = {"text": text}
    match = _COMMAND.match(text)
    if match:
        length = len(match.group(0).encode("utf-16-le")) // 2
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return content


class FakeChat:
    """A chat as seen by the test: reads the bot's messages in order, one cursor per chat."""

    def __init__(self, state: BotState, record: ChatRecord) -> None:
        self._state = state
        self.record = record
        self._cursor = 0

    @property
    def id(self) -> int:
        """Chat id."""
        return self.record.id

    @property
    def chat(self) -> dict[str, Any]:
        """The Telegram ``Chat`` dict."""
        return self.record.chat

    @property
    def messages(self) -> list[SentMessage]:
        """Every bot message in this chat that was not deleted (latest edited text)."""
        return [m for m in self.record.bot_messages if not m.deleted]

    @property
    def history(self) -> list[SentMessage]:
        """Every message in this chat, from both sides, including deleted ones."""
        return list(self.record.messages.values())

    @property
    def unread(self) -> list[SentMessage]:
        """Bot messages not yet returned by :meth:`expect_reply`."""
        return self.record.bot_messages[self._cursor :]

    @property
    def chat_actions(self) -> list[str]:
        """Actions sent with ``sendChatAction`` (``"typing"``, ...)."""
        return list(self.record.actions)

    def set_member(self, user_id: int, status: str = "administrator", **fields: Any) -> None:
        """Make ``getChatMember(this chat, user_id)`` answer ``status`` plus ``fields``
        (e.g. ``can_post_messages=True``); unset members answer ``"member"``."""
        self.record.members[user_id] = {"status": status, **fields}

    def mark_read(self) -> list[SentMessage]:
        """Skip all unread bot messages and return them."""
        unread = self.unread
        self._cursor = len(self.record.bot_messages)
        return unread

    def describe(self, limit: int = 10) -> str:
        """Recent messages of the chat (both sides) and recent API errors, for failures."""
        lines = [f"chat {self.id} ({self.chat['type']}), last {limit} messages:"]
        for message in self.history[-limit:] or []:
            lines.append(f"  {message!r}")
        if len(lines) == 1:
            lines.append("  (no messages)")
        if self._state.error_log:
            lines.append("recent error answers to the bot:")
            lines.extend(f"  {line}" for line in self._state.error_log[-5:])
        return "\n".join(lines)

    async def expect_reply(self, timeout: float = 5.0) -> SentMessage:
        """Wait for the next unread bot message in this chat and return it."""
        records = self.record.bot_messages
        if not await self._state.wait_for(lambda: len(records) > self._cursor, timeout):
            raise AssertionError(f"no reply from the bot within {timeout}s\n{self.describe()}")
        message = records[self._cursor]
        self._cursor += 1
        return message

    async def expect_replies(self, count: int, timeout: float = 5.0) -> list[SentMessage]:
        """Wait for the next ``count`` unread bot messages."""
        records = self.record.bot_messages
        wanted = self._cursor + count
        if not await self._state.wait_for(lambda: len(records) >= wanted, timeout):
            got = len(records) - self._cursor
            raise AssertionError(f"expected {count} replies, got {got}\n{self.describe()}")
        replies = records[self._cursor : wanted]
        self._cursor = wanted
        return replies

    async def expect_no_reply(self, within: float = 0.5) -> None:
        """Assert the bot sends nothing new to this chat for ``within`` seconds."""
        records = self.record.bot_messages
        if await self._state.wait_for(lambda: len(records) > self._cursor, within):
            extra = records[self._cursor :]
            raise AssertionError(f"unexpected bot message(s): {extra}\n{self.describe()}")

    async def expect_edit(self, message: SentMessage, timeout: float = 5.0) -> SentMessage:
        """Wait until ``message`` is edited again (edits already awaited are not re-counted)."""
        seen = message.edits_seen
        if not await self._state.wait_for(lambda: message.edit_count > seen, timeout):
            raise AssertionError(f"{message!r} was not edited within {timeout}s\n{self.describe()}")
        message.edits_seen = message.edit_count
        return message

    async def _post(
        self, content: dict[str, Any], sender: dict[str, Any] | None, kind: str = "message"
    ) -> SentMessage:
        message = self._state.add_message(self.record, content, sender=sender)
        update = await self._state.add_update(kind, copy.deepcopy(message.raw))
        message.update_id = update["update_id"]
        return message

    async def _edit(self, message: SentMessage, text: str, kind: str) -> SentMessage:
        message.history.append(message.text)
        key = "text" if "text" in message.raw else "caption"
        message.raw.pop("entities", None)
        message.raw.update({key: text, "edit_date": unix_now()})
        if key == "text":
            message.raw.update(text_content(text))
        await self._state.add_update(kind, copy.deepcopy(message.raw))
        return message


class FakeUser(FakeChat):
    """A person with a private chat with the bot (chat id == user id)."""

    def __init__(
        self,
        state: BotState,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> None:
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                self.user[key] = value
                if key != "language_code":
                    chat[key] = value
        super().__init__(state, state.add_chat(chat))
        state.users[user_id] = self.user
        self._last_callback: str | None = None

    # -- blocking ------------------------------------------------------------------------
    @property
    def blocked(self) -> bool:
        """Whether sending to this user currently fails with 403."""
        return self.record.forbidden is not None

    def block(self) -> None:
        """The user blocks the bot: sends to this chat answer 403."""
        self.record.forbidden = BLOCKED

    def unblock(self) -> None:
        """The user unblocks the bot."""
        self.record.forbidden = None

    def deactivate(self) -> None:
        """The account is deleted: sends answer 403 "user is deactivated"."""
        self.record.forbidden = DEACTIVATED

    # -- sending -------------------------------------------------------------------------
    async def send(self, text: str, *, reply_to: SentMessage | None = None) -> SentMessage:
        """Send a text message (``/command`` gets a ``bot_command`` entity)."""
        content = text_content(text)
        if reply_to is not None:
            content["reply_to_message"] = copy.deepcopy(reply_to.raw)
        return await self._post(content, self.user)

    async def edit(self, message: SentMessage, text: str) -> SentMessage:
        """Edit one of this user's messages (``edited_message`` update)."""
        return await self._edit(message, text, "edited_message")

    async def send_location(self, latitude: float, longitude: float) -> SentMessage:
        """Share a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return await self._post({"location": location}, self.user)

    async def send_contact(self, phone_number: str, first_name: str | None = None) -> SentMessage:
        """Share a contact (own contact by default)."""
        contact = {
            "phone_number": phone_number,
            "first_name": first_name or self.user["first_name"],
            "user_id": self.user["id"],
        }
        return await self._post({"contact": contact}, self.user)

    async def send_document(
        self,
        content: bytes = b"hello",
        file_name: str = "file.txt",
        mime_type: str = "text/plain",
        caption: str | None = None,
    ) -> SentMessage:
        """Send a file; the bot can download it through ``getFile``."""
        stored = self._state.store_file(content, file_name, mime_type, "document")
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": stored.size,
        }
        return await self._media({"document": document}, caption)

    async def send_photo(
        self, content: bytes = b"\xff\xd8\xff fake jpeg", caption: str | None = None
    ) -> SentMessage:
        """Send a photo."""
        stored = self._state.store_file(content, "photo.jpg", "image/jpeg", "photo")
        size = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        sizes = [{**size, "width": 1280, "height": 960, "file_size": stored.size}]
        return await self._media({"photo": sizes}, caption)

    async def send_voice(self, duration: int = 3, content: bytes = b"OggS fake") -> SentMessage:
        """Send a voice message."""
        stored = self._state.store_file(content, "voice.ogg", "audio/ogg", "voice")
        voice = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        voice.update(duration=duration, mime_type="audio/ogg", file_size=stored.size)
        return await self._media({"voice": voice}, None)

    async def send_video(
        self, duration: int = 5, content: bytes = b"fake mp4", caption: str | None = None
    ) -> SentMessage:
        """Send a video."""
        stored = self._state.store_file(content, "video.mp4", "video/mp4", "video")
        video = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        video.update(width=640, height=360, duration=duration, file_size=stored.size)
        return await self._media({"video": video}, caption)

    async def send_sticker(self, emoji: str = "👍") -> SentMessage:
        """Send a sticker."""
        stored = self._state.store_file(b"RIFF fake webp", "sticker.webp", "image/webp", "sticker")
        sticker = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        sticker.update(type="regular", width=512, height=512, is_animated=False, is_video=False)
        sticker["emoji"] = emoji
        return await self._media({"sticker": sticker}, None)

    async def _media(self, content: dict[str, Any], caption: str | None) -> SentMessage:
        if caption is not None:
            content["caption"] = caption
        return await self._post(content, self.user)

    # -- buttons -------------------------------------------------------------------------
    async def press(self, message: SentMessage, button: str) -> str | SentMessage:
        """Press a button of a bot message, chosen by its text or callback data.

        Inline buttons send a ``callback_query`` and return its id; reply-keyboard buttons
        send their text as a message and return that message.
        """
        found = message.button(button)
        if "keyboard" in (message.reply_markup or {}):
            return await self.send(found["text"])
        if "callback_data" not in found:
            raise AssertionError(f"button {found['text']!r} has no callback data: {found}")
        return await self._callback(message, found["callback_data"])

    async def _callback(self, message: SentMessage, data: str) -> str:
        query_id = self._state.new_callback_id()
        self._state.callbacks[query_id] = (self.user["id"], message)
        self._last_callback = query_id
        query = {
            "id": query_id,
            "from": self.user,
            "message": copy.deepcopy(message.raw),
            "chat_instance": f"ci{message.chat_id}",
            "data": data,
        }
        await self._state.add_update("callback_query", query)
        return query_id

    async def expect_callback_answer(self, timeout: float = 5.0) -> CallbackAnswer:
        """Wait for the bot's ``answerCallbackQuery`` to this user's latest button press."""
        query_id = self._last_callback
        if query_id is None:
            raise AssertionError("no button was pressed")
        answers = self._state.callback_answers
        if not await self._state.wait_for(lambda: query_id in answers, timeout):
            raise AssertionError(f"callback {query_id} not answered in {timeout}s")
        return answers[query_id]


class FakeGroup(FakeChat):
    """A group or supergroup; members are the users who talk in it."""

    async def send(
        self, user: FakeUser, text: str, *, reply_to: SentMessage | None = None
    ) -> SentMessage:
        """``user`` writes ``text`` in the group."""
        content = text_content(text)
        if reply_to is not None:
            content["reply_to_message"] = copy.deepcopy(reply_to.raw)
        return await self._post(content, user.user)

    async def edit(self, message: SentMessage, text: str) -> SentMessage:
        """Edit a member's message (``edited_message`` update)."""
        return await self._edit(message, text, "edited_message")

    async def join(self, user: FakeUser) -> SentMessage:
        """``user`` joins: a service message with ``new_chat_members``."""
        return await self._post({"new_chat_members": [user.user]}, user.user)

    async def leave(self, user: FakeUser) -> SentMessage:
        """``user`` leaves: a service message with ``left_chat_member``."""
        return await self._post({"left_chat_member": user.user}, user.user)


class FakeChannel(FakeChat):
    """A channel; posts are signed by the channel itself."""

    async def post(self, text: str) -> SentMessage:
        """Publish a post (``channel_post`` update)."""
        return await self._post(text_content(text), None, "channel_post")

    async def edit_post(self, message: SentMessage, text: str) -> SentMessage:
        """Edit a post (``edited_channel_post`` update)."""
        return await self._edit(message, text, "edited_channel_post")
